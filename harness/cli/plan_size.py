"""``roboverify plan-size``: how many episodes a success-rate gate needs, fixed or sequential."""

from __future__ import annotations

import argparse

from rich.console import Console
from rich.table import Table

from harness.errors import UsageError
from harness.verdicts.sequential import Sprt, fixed_sample_size
from harness.verdicts.statistics import IntervalMethod, episodes_needed, pass_probability
from harness.verdicts.truncated_sprt import TruncatedSprt


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
    name = "Clopper-Pearson" if method == "exact" else "Wilson, approximate"
    table = Table(title=f"episodes to show a success rate >= {minimum:g} at {confidence:.0%} confidence")
    table.add_column("failures allowed", justify="right")
    table.add_column(f"episodes ({name}, one-sided)", justify="right")
    table.add_column(f"a skill at exactly {minimum:g} passes", justify="right")
    for failures in range(max_failures + 1):
        episodes = episodes_needed(minimum, confidence, failures, method)
        chance = pass_probability(episodes, episodes - failures, minimum)
        table.add_row(str(failures), str(episodes), f"{chance:.2%}")
    console.print(table)
    if method != "exact":
        console.print(
            f"Wilson's bound is not an exact test: where the last column is above {1 - confidence:.0%}, a "
            "gate on it would pass a skill at the threshold more often than it promises; gates decide "
            "with the exact test unless a plan asks otherwise",
            highlight=False,
        )
    if good_rate is not None:
        _print_sequential(console, minimum, good_rate, 1 - confidence)
    return 0


def _print_sequential(console: Console, minimum: float, good_rate: float, error: float) -> None:
    wald = Sprt(minimum, good_rate, error, error)
    fixed, needed = fixed_sample_size(minimum, good_rate, error, error)
    cap = 3 * fixed
    test = TruncatedSprt(minimum, good_rate, error, error, cap)
    at_p0, at_p1 = test.pass_probability([minimum, good_rate])
    console.print(
        f"sequential test (SPRT) of p0={minimum:g} against p1={good_rate:g}, alpha=beta={error:g}, "
        f"capped at {cap} episodes (3 x the fixed-n test's {fixed}, which passes with {needed} successes):\n"
        f"  passes after {wald.successes_to_pass()} straight successes; exactly, a skill at p0 passes "
        f"with probability {at_p0:.2%} and one at p1 with {at_p1:.2%}; expected episodes "
        f"{test.expected_episodes(minimum):.1f} at p0 and {test.expected_episodes(good_rate):.1f} at p1\n"
        f"  plan: 'episodes: {{mode: sequential, max: {cap}, indifference: {good_rate - minimum:g}, "
        f"alpha: {error:g}, beta: {error:g}}}'",
        highlight=False,
    )
