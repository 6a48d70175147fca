"""A skill's runs across versions, and whether each version regressed from the one before.

Runs are ordered by PEP 440 version, then by when they ran. A run is compared with the latest
run of the closest earlier version that ran the same plan file on the same episodes (equal
:class:`~harness.history.record.RunKey`): episode by episode (paired by index and seed), with
the non-inferiority comparison of :mod:`harness.verdicts.compare` and that run's margin.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from packaging.version import InvalidVersion, Version

from harness.history.record import EpisodeOutcome, RunKey, RunRecord
from harness.verdicts.compare import ComparisonVerdict, RateComparison, compare_outcomes

NO_PREVIOUS = "-"
Episodes = Callable[[int], list[EpisodeOutcome]]


@dataclass(frozen=True)
class Step:
    """One run in a skill's history, with its comparison against the previous version."""

    run: RunRecord
    previous: RunRecord | None
    comparisons: tuple[RateComparison, ...]

    @property
    def regression(self) -> str:
        """'regression', 'no regression', 'inconclusive', or '-' when there is nothing to compare."""
        return regression_label(self.comparisons) if self.previous is not None else NO_PREVIOUS


def regression_label(comparisons: tuple[RateComparison, ...] | list[RateComparison]) -> str:
    verdicts = {c.verdict for c in comparisons}
    if ComparisonVerdict.REGRESSED in verdicts:
        return "regression"
    if ComparisonVerdict.INCONCLUSIVE in verdicts or not verdicts:
        return "inconclusive"
    return "no regression"


def version_of(text: str) -> Version:
    try:
        return Version(text)
    except InvalidVersion:  # recorded before versions were checked: sorts first
        return Version("0")


def ordered(runs: list[RunRecord]) -> list[RunRecord]:
    return sorted(runs, key=lambda r: (version_of(r.version), r.created_utc, r.id or 0))


def steps(runs: list[RunRecord], episodes: Episodes) -> list[Step]:
    """Every run of one skill in version order, each compared with its predecessor."""
    found = []
    for run in ordered(runs):
        previous = latest_before(runs, run.key, run.version)
        comparisons: tuple[RateComparison, ...] = ()
        if previous is not None and run.id is not None and previous.id is not None:
            compared = compare_recorded(episodes(run.id), episodes(previous.id), run.margin, run.confidence)
            comparisons = tuple(compared)
        found.append(Step(run, previous, comparisons))
    return found


def latest_before(
    runs: list[RunRecord], key: RunKey, version: str, *, passing: bool = False
) -> RunRecord | None:
    """The latest run of the closest version below ``version`` with ``key`` (if ``passing``:
    of those that passed)."""
    below = [
        r
        for r in runs
        if r.key == key
        and version_of(r.version) < version_of(version)
        and (not passing or r.verdict == "pass")
    ]
    return ordered(below)[-1] if below else None


def compare_recorded(
    new: list[EpisodeOutcome], old: list[EpisodeOutcome], margin: float, confidence: float
) -> list[RateComparison]:
    """Per scenario of ``new``: its success rate against ``old``'s, paired by (index, seed)."""
    comparisons = []
    for scenario in dict.fromkeys(e.scenario for e in new):
        mine = {(e.index, e.seed): e.succeeded for e in new if e.scenario == scenario and e.scored}
        theirs = {(e.index, e.seed): e.succeeded for e in old if e.scenario == scenario and e.scored}
        if mine and theirs:
            comparisons.append(compare_outcomes(scenario, "success_rate", mine, theirs, margin, confidence))
    return comparisons
