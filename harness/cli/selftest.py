"""``roboverify selftest``: every known-bad skill on its scenario, and whether it was caught.

Exit 0 when every one that ran was caught, 1 when any was missed, 2 for bad input. The table
fits 80 columns; ``--format json`` prints the same rows for a machine.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from rich.console import Console
from rich.table import Table

from harness.campaign.selftest import MISSED, SelftestResult, SelftestRow, known_bad_catches, run_selftest
from harness.cli.trust import trust_policy
from harness.execution.backends import make_backend

STYLES = {"caught": "green", "MISSED": "bold red", "skipped": "yellow"}


def run(args: argparse.Namespace, console: Console) -> int:
    catches = known_bad_catches(args.family, args.skill or ())
    backend = make_backend("local", args.jobs)  # worker processes: a crashing skill costs one episode
    quiet = args.format == "json"
    say = (
        None if quiet else (lambda row: console.print(f"  {row.catch.skill}: {row.verdict}", highlight=False))
    )
    result = run_selftest(
        catches,
        backend,
        episodes=args.episodes,
        seed=args.seed or 0,
        disabled=args.disable or (),
        on_row=say,
        policy=trust_policy(args),
    )
    if quiet:
        console.print_json(json.dumps(as_json(result)))
    else:
        print_table(console, result)
    return 1 if result.missed else 0


def print_table(console: Console, result: SelftestResult) -> None:
    table = Table(title="known-bad skills", title_justify="left", width=min(console.width, 80))
    for column, ratio in (("skill", 5), ("intended catch", 4), ("observed", 5), ("verdict", 3)):
        table.add_column(column, ratio=ratio, overflow="fold")
    for row in result.rows:
        verdict = (
            row.verdict
            if row.skipped or row.verdict == MISSED
            else f"{row.verdict} {row.caught_in}/{row.episodes}"
        )
        table.add_row(
            row.catch.skill, row.catch.describe(), observed(row), f"[{STYLES[row.verdict]}]{verdict}[/]"
        )
    console.print(table)
    caught = sum(r.verdict == "caught" for r in result.rows)
    console.print(
        f"{caught} caught, {len(result.missed)} missed, {len(result.rows) - caught - len(result.missed)} "
        f"skipped, in {result.wall_s:.1f} s",
        highlight=False,
    )


def observed(row: SelftestRow) -> str:
    if row.skipped:
        return row.skipped
    outcomes = ", ".join(f"{name} {count}" for name, count in sorted(row.outcomes.items()))
    failing = ", ".join(
        f"{name} {count}" for name, count in sorted(row.failing.items()) if name != "task_success"
    )
    return outcomes + (f"; failed: {failing}" if failing else "")


def as_json(result: SelftestResult) -> dict[str, Any]:
    return {
        "wall_s": round(result.wall_s, 3),
        "missed": [row.catch.skill for row in result.missed],
        "skills": [
            {
                "skill": row.catch.skill, "spec": row.catch.spec, "catches": row.catch.describe(),
                "episodes": row.episodes, "caught_in": row.caught_in, "outcomes": row.outcomes,
                "failing_criteria": row.failing, "verdict": row.verdict, "skipped": row.skipped or None,
                "wall_s": round(row.wall_s, 3),
            }
            for row in result.rows
        ],
    }  # fmt: skip
