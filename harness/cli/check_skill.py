"""``roboverify check-skill``: the conformance findings as a table (or JSON), and the exit code."""

from __future__ import annotations

import argparse
import json
import sys

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from harness.cli.trust import trust_policy
from harness.episode.conformance import Conformance, check_skill
from harness.episode.findings import Finding, Status, counts

WIDTH = 80
STYLE = {Status.PASS: "green", Status.WARN: "yellow", Status.FAIL: "bold red"}


def run(args: argparse.Namespace, console: Console) -> int:
    policy = trust_policy(args)
    result = check_skill(args.skill, args.scenario, args.episodes, args.seed, args.max_ticks, policy)
    if args.format == "json":
        sys.stdout.write(json.dumps(result.as_dict(), indent=2) + "\n")
    else:
        print_conformance(console, result)
    return 1 if result.failed else 0


def print_conformance(console: Console, result: Conformance) -> None:
    """One table for the skill class, one per scenario, then the summary line."""
    source = "" if result.source == result.skill else f" ({result.source})"
    groups = [("", f"skill {result.skill}{source}"), *((s, s) for s in result.scenarios)]
    for scenario, title in groups:
        rows = [finding for finding in result.findings if finding.scenario == scenario]
        console.print(_table(title, rows))
    console.print(summary(result), highlight=False, width=min(console.width, WIDTH))


def _table(title: str, findings: list[Finding]) -> Table:
    table = Table(title=escape(title), title_justify="left", width=WIDTH)
    table.add_column("check", no_wrap=True)
    table.add_column("verdict", no_wrap=True)
    table.add_column("detail", ratio=1)
    for finding in findings:
        style = STYLE[finding.status]
        table.add_row(finding.check, f"[{style}]{finding.status.value}[/]", escape(detail(finding)))
    return table


def detail(finding: Finding) -> str:
    """What was found; unless it passed, also what was expected and the fix."""
    if finding.status is Status.PASS:
        return finding.found
    return f"{finding.found}\nexpected: {finding.expected}\nfix: {finding.fix}"


def summary(result: Conformance) -> str:
    number = counts(result.findings)
    verdict = "[bold red]FAIL[/]" if result.failed else "[bold green]PASS[/]"
    scenarios = "scenario" if len(result.scenarios) == 1 else "scenarios"
    return (
        f"{verdict} {escape(result.skill)}: {number[Status.PASS]} passed, {number[Status.WARN]} warned, "
        f"{number[Status.FAIL]} failed on {len(result.scenarios)} {scenarios} in {result.wall_s:.1f} s"
    )
