"""The reference patrol's success rate over the default randomisation (long: marker ``slow``)."""

from __future__ import annotations

from typing import Any

import pytest

from harness.campaign.run import run_plan
from harness.results import Outcome
from harness.verdicts.statistics import one_sided_bounds

CRITERIA = {"task_success": {}, "cycle_time": {"max_s": 180.0}, "speed_separation": {}}


@pytest.mark.slow
@pytest.mark.sim
def test_reference_patrol_succeeds_in_at_least_95_percent_of_120_episodes(write_plan: Any) -> None:
    report = run_plan(
        write_plan(
            skill="patrol",
            scenarios=["inspection/patrol-v1"],
            episodes=120,
            seed=12345,
            criteria=CRITERIA,
            gates=[{"min": 0.9}],
        )
    )
    summary = report.scenarios[0]
    failures = [
        (e.index, e.outcome.value, e.reason) for e in report.episodes if e.outcome is not Outcome.SUCCESS
    ]
    assert summary.scored == 120
    assert summary.successes >= 114, failures
    lower, _ = one_sided_bounds(summary.successes, summary.scored, 0.95)
    assert lower >= 0.9, (summary.successes, failures)
