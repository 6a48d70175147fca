from __future__ import annotations

import pytest

from harness.campaign.run import run_plan
from harness.results import Outcome


@pytest.mark.slow
@pytest.mark.sim
def test_collaborative_reference_skill_succeeds_in_at_least_90_percent(write_plan) -> None:  # type: ignore[no-untyped-def]
    plan = write_plan(
        skill="collab_pick_place", scenarios=["workstation/collab_pick_place-v1"], episodes=100, seed=4242,
        criteria={"task_success": {}, "speed_separation": {}, "human_contact": {}}, gates=[{"min": 0.8}],
    )  # fmt: skip
    report = run_plan(plan)
    failures = [
        (e.index, e.outcome.value, e.reason) for e in report.episodes if e.outcome is not Outcome.SUCCESS
    ]
    assert report.scenarios[0].successes >= 90, failures
