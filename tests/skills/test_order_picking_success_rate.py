"""The reference order picker's success rate over the default randomisation (long: marker ``slow``)."""

from __future__ import annotations

import pytest

from harness.campaign.run import run_plan
from harness.results import Outcome
from harness.verdicts.statistics import one_sided_bounds

CRITERIA = {"task_success": {}, "cycle_time": {"max_s": 60.0}, "speed_separation": {}}


@pytest.mark.slow
@pytest.mark.sim
def test_reference_skill_succeeds_in_at_least_95_percent_of_100_episodes(write_plan) -> None:  # type: ignore[no-untyped-def]
    plan = write_plan(
        skill="order_picking",
        scenarios=["warehouse/order_picking-v1"],
        episodes=100,
        seed=12345,
        criteria=CRITERIA,
        gates=[{"min": 0.9}],
    )
    report = run_plan(plan)
    summary = report.scenarios[0]
    failures = [
        (e.index, e.outcome.value, e.reason) for e in report.episodes if e.outcome is not Outcome.SUCCESS
    ]
    assert summary.scored == 100
    assert summary.successes >= 95, failures
    lower, _ = one_sided_bounds(summary.successes, summary.scored, 0.95)
    assert lower >= 0.9, (summary.successes, failures)
