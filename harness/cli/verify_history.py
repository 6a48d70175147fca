"""The history's part in ``roboverify verify``: the release to compare with, and the record.

The history is opened and checked, and the last release looked up, before any episode runs (a
bad file or a missing release is a usage error, exit 2, that costs no simulation); the run is
recorded once its report is on disk, so a history that fails later never loses the report, and
the error says the run is not recorded.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console

from harness.cli.console import say
from harness.errors import UsageError
from harness.history.record import records_of
from harness.history.release import Release, last_releases, with_releases
from harness.history.store import HistoryError, HistoryStore, default_history_path
from harness.plan.conditions import ConditionsByScenario
from harness.plan.resolve import ResolvedPlan
from harness.report.model import Report


def history_path(args: argparse.Namespace) -> Path:
    path: Path = args.history or default_history_path()
    return path


def check_history(args: argparse.Namespace) -> None:
    """Refuse a history file that could not take this run's record, before any episode runs."""
    if args.no_history or args.only is not None:
        return
    with HistoryStore.open(history_path(args)):
        pass


def releases_for(
    args: argparse.Namespace, resolved: ResolvedPlan, given: ConditionsByScenario | None
) -> list[Release]:
    """The recorded runs ``--against-last-release`` compares with (none without the option)."""
    if not args.against_last_release:
        return []
    if args.no_history:
        raise UsageError("--against-last-release looks earlier runs up in the history; drop --no-history")
    with HistoryStore.open(history_path(args)) as store:
        return last_releases(store, resolved, given)


def with_release_comparisons(
    args: argparse.Namespace, report: Report, resolved: ResolvedPlan, releases: list[Release]
) -> Report:
    if not releases:
        return report
    with HistoryStore.open(history_path(args)) as store:
        return with_releases(report, resolved, store, releases)


def record_run(
    args: argparse.Namespace,
    console: Console,
    report_path: Path,
    resolved: ResolvedPlan,
    given: ConditionsByScenario | None,
) -> None:
    """Record the run whose report is at ``report_path``, unless told not to."""
    if args.no_history or args.only is not None:  # one episode reproduced is not a verification
        return
    path = history_path(args)
    try:
        with HistoryStore.open(path) as store:
            store.record(records_of(report_path, resolved, given))
    except HistoryError as error:
        raise HistoryError(
            f"{error}\nThe report is written ({report_path}), but the run is NOT recorded in the "
            "history: fix the history file as above and run the plan again to record it, "
            "or pass --no-history"
        ) from None
    say(console, f"recorded in the history: {path}")
