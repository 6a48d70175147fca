"""Terminal output with rich: progress during the run, tables and the verdict at the end."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from harness.execution.runner import ResultHook
from harness.plan.resolve import ResolvedPlan
from harness.report.dimensions import Dimension
from harness.report.model import Report, RunVerdict
from harness.results import EpisodeResult, Outcome
from harness.verdicts.compare import RateComparison
from harness.verdicts.endurance import EnduranceSummary
from harness.verdicts.gate_result import METHOD_NAMES, GateResult
from harness.verdicts.summaries import RecoverySummary

VERDICT_STYLE = {
    RunVerdict.PASS: "bold green",
    RunVerdict.FAIL: "bold red",
    RunVerdict.INCONCLUSIVE: "bold yellow",
    RunVerdict.INVALID: "bold magenta",
}


OUTCOME_STYLE = {
    Outcome.FAILURE: "red",
    Outcome.TIMEOUT: "yellow",
    Outcome.SAFETY_STOP: "bold red",
    Outcome.SKILL_ERROR: "magenta",
    Outcome.SIM_ERROR: "bold magenta",
    Outcome.HARNESS_ERROR: "bold magenta",
}


@contextmanager
def episode_progress(
    console: Console, resolved: ResolvedPlan, quiet: bool, restored: Sequence[EpisodeResult] = ()
) -> Iterator[ResultHook]:
    """Per scenario: a progress bar with episodes done, successes so far, failures by outcome as
    they happen and the time left; with ``quiet``, one line per scenario once it is done.

    ``restored``: episodes already finished by an interrupted run, counted from the start.
    """
    tallies = {s.spec.id: _Tally(s.spec.id, s.episodes) for s in resolved.scenarios}
    for result in restored:
        tallies[result.scenario].add(result)
    if quiet:
        yield _quiet_hook(console, tallies)
        return
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[tally]}"),
        TimeElapsedColumn(),
        TextColumn("eta"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, transient=False) as progress:
        tasks = {
            t.scenario: progress.add_task(t.scenario, total=t.total, completed=t.done, tally=t.text())
            for t in tallies.values()
        }

        def advance(result: EpisodeResult) -> None:
            tally = tallies[result.scenario]
            tally.add(result)
            progress.update(tasks[result.scenario], advance=1, tally=tally.text())

        yield advance


class _Tally:
    def __init__(self, scenario: str, total: int) -> None:
        self.scenario, self.total = scenario, total
        self.outcomes: Counter[Outcome] = Counter()
        self.started = time.monotonic()

    @property
    def done(self) -> int:
        return sum(self.outcomes.values())

    def add(self, result: EpisodeResult) -> None:
        self.outcomes[result.outcome] += 1

    def text(self) -> str:
        parts = [f"[green]{self.outcomes[Outcome.SUCCESS]} ok[/]"]
        failed = [(o, n) for o, n in sorted(self.outcomes.items()) if o in OUTCOME_STYLE]
        parts += [f"[{OUTCOME_STYLE[o]}]{o.value} {n}[/]" for o, n in failed]
        return " ".join(parts)

    def line(self) -> str:
        successes = self.outcomes[Outcome.SUCCESS]
        rate = f" ({successes / self.done:.1%})" if self.done else ""
        others = "".join(
            f", {o.value} {n}" for o, n in sorted(self.outcomes.items()) if o is not Outcome.SUCCESS
        )
        elapsed = time.monotonic() - self.started
        return (
            f"{self.scenario}: {self.done}/{self.total} episodes, {successes} success{rate}{others} "
            f"({elapsed:.1f} s)"
        )


def _quiet_hook(console: Console, tallies: dict[str, _Tally]) -> ResultHook:
    """One plain line per scenario as soon as its last episode is in (CI logs)."""

    def advance(result: EpisodeResult) -> None:
        tally = tallies[result.scenario]
        tally.add(result)
        if tally.done == tally.total:
            console.print(tally.line(), highlight=False, markup=False, soft_wrap=True)

    for tally in tallies.values():
        if tally.done == tally.total:  # finished before an interruption: nothing more will come
            console.print(f"{tally.line()} [journal]", highlight=False, markup=False, soft_wrap=True)
    return advance


def endurance_line(e: EnduranceSummary) -> str:
    rate = e.interventions_per_1000_cycles
    text = (
        f"endurance [bold]{e.scenario}[/]: {e.cycles} cycles in {e.runs} run(s), {e.interventions} "
        f"intervention(s) = {f'{rate:.1f}' if rate is not None else '-'} per 1000 cycles "
        f"(95% CI [{e.interventions_per_1000_low:.1f}, {e.interventions_per_1000_high:.1f}]), "
        f"longest stretch {e.longest_run_without_intervention} cycles"
    )
    if e.aborted_runs:
        text += f", {e.aborted_runs} run(s) cut short"
    if e.cycle_time_first_tenth_s is not None and e.cycle_time_last_tenth_s is not None:
        text += f"; cycle time {e.cycle_time_first_tenth_s:.2f} s -> {e.cycle_time_last_tenth_s:.2f} s"
    if e.cycle_time_trend is not None:
        trend = e.cycle_time_trend
        text += f" (trend {trend.slope_s_per_100_cycles:+.2f} s per 100 cycles"
        text += f" [{trend.low:+.2f}, {trend.high:+.2f}])"
    return text


def print_summary(console: Console, report: Report) -> None:
    """The scenarios' table, every gate, endurance, recovery and comparison line, the verdict."""
    console.print(_scenario_table(report))
    lines = [*map(_dimension_line, report.dimensions)]
    lines += [*map(_gate_line, report.gates), *map(endurance_line, report.endurance)]
    lines += [_recovery_line(s.scenario, r) for s in report.scenarios for r in s.recovery]
    lines += map(_comparison_line, report.comparisons)
    for line in lines:
        console.print(line, highlight=False)
    style = VERDICT_STYLE[report.verdict]
    console.print(f"verdict: [{style}]{report.verdict.value.upper()}[/] ({report.verdict_reason})")


def _scenario_table(report: Report) -> Table:
    table = Table(title=f"{report.plan.name}")
    table.add_column("scenario", no_wrap=True)
    table.add_column("skill", no_wrap=True)
    method = METHOD_NAMES.get(report.interval_method, report.interval_method)
    for column in ("scored/attempted", "success", f"95% CI ({method})"):
        table.add_column(column, justify="right")
    table.add_column("outcomes")
    table.add_column("median cycle", justify="right")
    for s in report.scenarios:
        rate = f"{s.success_rate:.1%}" if s.success_rate is not None else "-"
        cycle = next((c.values.median for c in s.criteria if c.name == "cycle_time" and c.values), None)
        table.add_row(
            s.scenario,
            s.skill,
            f"{s.scored}/{s.attempted}",
            f"{s.successes}/{s.scored} = {rate}",
            f"[{s.success_interval.low:.3f}, {s.success_interval.high:.3f}]",
            ", ".join(f"{o.value} {n}" for o, n in s.outcomes.items()),
            f"{cycle:.2f} s" if cycle is not None else "-",
        )
    return table


DIMENSION_STYLE = {"pass": "green", "fail": "bold red", "inconclusive": "yellow", "not_assessed": "dim"}


def _dimension_line(dimension: Dimension) -> str:
    style = DIMENSION_STYLE[dimension.verdict.value]
    verdict = dimension.verdict.value.replace("_", " ")
    return f"[bold]{dimension.title}[/]: [{style}]{verdict}[/] ({escape(dimension.reason)})"


def _gate_line(gate: GateResult) -> str:
    bounds = ", ".join(
        f"{name} bound {value:.3f}"
        for name, value in (("lower", gate.lower_bound), ("upper", gate.upper_bound))
        if value is not None
    )
    measured = f"measured {gate.measured:.3f}" if gate.measured is not None else "nothing measured"
    note = f"; {gate.note}" if gate.note else ""
    return f"gate [bold]{gate.scenario}[/]: {gate.rule}: {measured}, {bounds} -> {gate.verdict.value}{note}"


def _recovery_line(scenario: str, r: RecoverySummary) -> str:
    rate = f"{r.recovered.rate:.1%}" if r.recovered.rate is not None else "-"
    return (
        f"recovery [bold]{scenario}[/] from {r.fault}: {r.recovered.count}/{r.injected} = {rate} "
        f"[{r.recovered.interval.low:.3f}, {r.recovered.interval.high:.3f}] (did not fire in {r.not_fired})"
    )


def _comparison_line(c: RateComparison) -> str:
    pairing = "paired by seed" if c.paired else "independent"
    return (
        f"vs baseline [bold]{c.scenario}[/] {c.metric}: {c.old_rate:.3f} -> {c.new_rate:.3f}, difference "
        f"[{c.low:+.3f}, {c.high:+.3f}] ({pairing}, margin {c.margin:g}) -> {c.verdict.value}"
    )


def say(console: Console, text: str) -> None:
    """One line as it is: no markup, no highlighting, no hard wraps (paths can be copied)."""
    console.print(text, highlight=False, markup=False, soft_wrap=True)
