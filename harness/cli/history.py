"""``roboverify history SKILL``: a skill's verdicts and key metrics across its recorded versions.

One table per scenario, in version order, each run against the previous version's run on the
same plan and episodes (paired non-inferiority of the success rate): ``regression``, ``no
regression`` or ``inconclusive``. ``--format json|csv`` prints the same as data instead;
``--html DIR`` also writes a page with the trends.
"""

from __future__ import annotations

import argparse

from rich import box
from rich.console import Console
from rich.table import Table

from harness.cli.console import say
from harness.errors import UsageError
from harness.history.export import as_csv, as_json, scenario_rows
from harness.history.page import write_page
from harness.history.store import HistoryStore, default_history_path
from harness.history.trends import Step, steps

VERDICT_STYLE = {"pass": "green", "fail": "bold red", "inconclusive": "yellow", "invalid": "magenta"}
WIDTH = 80  # fits a terminal, a CI log and a code review comment
REGRESSION_STYLE = {"regression": "bold red", "no regression": "green", "inconclusive": "yellow"}


def run(args: argparse.Namespace, console: Console) -> int:
    path = args.history or default_history_path()
    with HistoryStore.open(path, create=False) as store:
        runs = store.runs(args.skill)
        if not runs:
            known = ", ".join(store.skills()) or "none yet"
            raise UsageError(f"'{path}' records no run of skill '{args.skill}'; recorded skills: {known}")
        found = steps(runs, store.episodes)
    if args.format == "json":
        print(as_json(found), end="")
    elif args.format == "csv":
        print(as_csv(found), end="")
    else:
        for table in tables(args.skill, found):
            console.print(table, width=min(WIDTH, console.width))
    if args.html is not None:
        say(
            console if args.format == "table" else Console(stderr=True),
            f"page: {write_page(args.skill, found, args.html)}",
        )
    return 0


def tables(skill: str, found: list[Step]) -> list[Table]:
    """One table per scenario, 80 columns wide at most."""
    by_scenario: dict[str, list[dict[str, object]]] = {}
    for step in found:
        for row in scenario_rows(step):
            by_scenario.setdefault(str(row["scenario"]), []).append(row)
    return [_table(f"{skill} on {scenario}", rows) for scenario, rows in by_scenario.items()]


def _table(title: str, rows: list[dict[str, object]]) -> Table:
    """Cycle time and cost appear only when some run measured them."""
    cells = [_cells(row) for row in rows]
    table = Table(title=title, box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True)
    shown = [i for i in range(len(HEADERS)) if i not in OPTIONAL or any(c[i] != "-" for c in cells)]
    for i in shown:
        table.add_column(HEADERS[i], justify="right" if 3 <= i <= 6 else "left", no_wrap=i < 4)
    for row in cells:
        table.add_row(*(row[i] for i in shown))
    return table


HEADERS = ("version", "recorded", "verdict", "success [95% CI]", "cycle", "safety", "cost", "vs previous")
OPTIONAL = (4, 6)  # cycle, cost


def _cells(row: dict[str, object]) -> list[str]:
    rate, low, high = row["success_rate"], row["success_low"], row["success_high"]
    success = "-" if not isinstance(rate, float) else f"{rate:.2f} [{low:.2f}, {high:.2f}]"
    cycle, cost = row["median_cycle_s"], row["cost_per_task"]
    verdict, regression = str(row["verdict"]), str(row["regression"])
    return [
        str(row["version"]),
        str(row["created_utc"])[:16].replace("T", " "),
        f"[{VERDICT_STYLE.get(verdict, '')}]{verdict}[/]",
        success,
        f"{cycle:.2f} s" if isinstance(cycle, float) else "-",
        str(row["safety_events"]),
        f"{cost:.2f}" if isinstance(cost, float) else "-",
        f"[{REGRESSION_STYLE.get(regression, 'dim')}]{regression}[/]",
    ]
