"""``roboverify plan-size``: how many episodes a success-rate gate needs, fixed or sequential."""

from __future__ import annotations

import argparse

from rich.console import Console
from rich.table import Table

from harness.errors import UsageError
from harness.verdicts.sequential import Sprt, fixed_sample_size
from harness.verdicts.statistics import IntervalMethod, episodes_needed


def run(args: argparse.Namespace, console: Console) -> int:
    if args.p1 is not None and args.p1 <= args.min:
        raise UsageError(f"--p1 ({args.p1:g}) must be above --min ({args.min:g})")
    if not 0 <= args.failures <= 50:
        raise UsageError(f"--failures must be between 0 and 50, got {args.failures}")
    return print_plan_size(console, args.min, args.confidence, args.failures, args.ci, args.p1)


def print_plan_size(
    console: Console,
    minimum: float,
    confidence: float,
    max_failures: int,
    method: IntervalMethod,
    good_rate: float | None,
) -> int:
    table = Table(title=f"episodes to show a success rate >= {minimum:g} at {confidence:.0%} confidence")
    table.add_column("failures allowed", justify="right")
    table.add_column(
        f"episodes ({'Clopper-Pearson' if method == 'exact' else 'Wilson'}, one-sided)", justify="right"
    )
    for failures in range(max_failures + 1):
        table.add_row(str(failures), str(episodes_needed(minimum, confidence, failures, method)))
    console.print(table)
    if good_rate is not None:
        _print_sequential(console, minimum, good_rate, 1 - confidence)
    return 0


def _print_sequential(console: Console, minimum: float, good_rate: float, error: float) -> None:
    test = Sprt(minimum, good_rate, error, error)
    fixed, needed = fixed_sample_size(minimum, good_rate, error, error)
    console.print(
        f"sequential test (SPRT) of p0={minimum:g} against p1={good_rate:g}, alpha=beta={error:g}:\n"
        f"  passes after {test.successes_to_pass()} straight successes; expected episodes "
        f"{test.expected_episodes(minimum):.0f} at p0 and {test.expected_episodes(good_rate):.0f} at p1 "
        f"(fixed-n test with the same errors: {fixed} episodes, pass with {needed} successes)\n"
        f"  suggested cap ('episodes: {{mode: sequential, max: ...}}'): {3 * fixed}"
    )
