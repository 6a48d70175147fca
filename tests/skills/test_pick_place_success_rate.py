"""The reference skill's success rate over the default randomisation (long: marker ``slow``)."""

from __future__ import annotations

import pytest

from harness.campaign.run import run_plan
from harness.results import Outcome
from harness.verdicts.statistics import one_sided_bounds


@pytest.mark.slow
@pytest.mark.sim
def test_reference_skill_succeeds_in_at_least_95_percent_of_200_episodes(write_plan) -> None:  # type: ignore[no-untyped-def]
    report = run_plan(write_plan(episodes=200, seed=12345, gates=[{"min": 0.9}]))
    summary = report.scenarios[0]
    failures = [
        (e.index, e.outcome.value, e.reason) for e in report.episodes if e.outcome is not Outcome.SUCCESS
    ]
    assert summary.scored == 200
    assert summary.successes >= 190, failures
    lower, _ = one_sided_bounds(summary.successes, summary.scored, 0.95)
    assert lower >= 0.9, (summary.successes, failures)
