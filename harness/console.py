"""Terminal output with rich: progress during the run, tables and the verdict at the end."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from harness.report import Report, RunVerdict
from harness.resolve import ResolvedPlan
from harness.results import EpisodeResult, Outcome
from harness.runner import ResultHook

VERDICT_STYLE = {
    RunVerdict.PASS: "bold green",
    RunVerdict.FAIL: "bold red",
    RunVerdict.INCONCLUSIVE: "bold yellow",
    RunVerdict.INVALID: "bold magenta",
}


@contextmanager
def episode_progress(console: Console, resolved: ResolvedPlan, quiet: bool) -> Iterator[ResultHook]:
    """A progress bar per scenario, with successes so far, advanced once per finished episode."""
    if quiet:
        yield lambda result: None
        return
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("[green]{task.fields[ok]} ok[/] [red]{task.fields[bad]} not ok[/]"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, transient=False) as progress:
        tasks = {
            s.spec.id: progress.add_task(s.spec.id, total=s.episodes, ok=0, bad=0) for s in resolved.scenarios
        }

        def advance(result: EpisodeResult) -> None:
            task = tasks[result.scenario]
            fields = progress.tasks[task].fields
            key = "ok" if result.outcome is Outcome.SUCCESS else "bad"
            progress.update(task, advance=1, **{key: fields[key] + 1})

        yield advance


def print_summary(console: Console, report: Report) -> None:
    table = Table(title=f"{report.plan.name}: skill '{report.plan.skill}'")
    table.add_column("scenario", no_wrap=True)
    for column in ("scored/attempted", "success", "95% CI (Wilson)"):
        table.add_column(column, justify="right")
    table.add_column("outcomes")
    table.add_column("median cycle", justify="right")
    for s in report.scenarios:
        rate = f"{s.success_rate:.1%}" if s.success_rate is not None else "-"
        cycle = next((c.values.median for c in s.criteria if c.name == "cycle_time" and c.values), None)
        table.add_row(
            s.scenario,
            f"{s.scored}/{s.attempted}",
            f"{s.successes}/{s.scored} = {rate}",
            f"[{s.success_interval.low:.3f}, {s.success_interval.high:.3f}]",
            ", ".join(f"{o.value} {n}" for o, n in s.outcomes.items()),
            f"{cycle:.2f} s" if cycle is not None else "-",
        )
    console.print(table)
    for gate in report.gates:
        bounds = ", ".join(
            f"{name} bound {value:.3f}"
            for name, value in (("lower", gate.lower_bound), ("upper", gate.upper_bound))
            if value is not None
        )
        measured = f"measured {gate.measured:.3f}" if gate.measured is not None else "nothing measured"
        note = f"; {gate.note}" if gate.note else ""
        console.print(
            f"gate [bold]{gate.scenario}[/]: {gate.rule}: {measured}, {bounds} -> {gate.verdict.value}{note}",
            highlight=False,
        )
    for c in report.comparisons:
        pairing = "paired by seed" if c.paired else "independent"
        console.print(
            f"vs baseline [bold]{c.scenario}[/] {c.metric}: {c.old_rate:.3f} -> {c.new_rate:.3f}, difference "
            f"[{c.low:+.3f}, {c.high:+.3f}] ({pairing}, margin {c.margin:g}) -> {c.verdict.value}",
            highlight=False,
        )
    style = VERDICT_STYLE[report.verdict]
    console.print(f"verdict: [{style}]{report.verdict.value.upper()}[/] ({report.verdict_reason})")
