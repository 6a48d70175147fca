"""The collaborative workstation: the operator walks up to the table; the reference skill stops
for them and still finishes, the skill that ignores them is stopped by the safety criterion."""

from __future__ import annotations

import pytest

from harness.results import Outcome, Verdict
from harness.runner import ScenarioRunner, run_plan

pytestmark = pytest.mark.sim
SCENARIO = ["workstation/collab_pick_place-v1"]
CRITERIA = {"task_success": {}, "cycle_time": {"max_s": 30}, "speed_separation": {}}


def test_reference_skill_stops_for_the_operator_and_finishes(write_plan) -> None:  # type: ignore[no-untyped-def]
    plan = write_plan(skill="collab_pick_place", scenarios=SCENARIO, episodes=6, criteria=CRITERIA)
    report = run_plan(plan)
    for episode in report.episodes:
        assert episode.outcome is Outcome.SUCCESS, (episode.index, episode.reason)
        separation = next(c for c in episode.criteria if c.name == "speed_separation")
        assert separation.verdict is Verdict.PASS
        assert separation.details["min_separation_m"]["robot|human:0"] < 1.5  # the operator did come close


def test_skill_ignoring_people_is_stopped_by_speed_and_separation_monitoring(write_plan) -> None:  # type: ignore[no-untyped-def]
    plan = write_plan(skill="collab_pick_place_ignoring", scenarios=SCENARIO, episodes=6, criteria=CRITERIA)
    report = run_plan(plan)
    stopped = [e for e in report.episodes if e.outcome is Outcome.SAFETY_STOP]
    assert len(stopped) >= 3
    for episode in stopped:
        assert episode.ended_by == "criterion:speed_separation"
        assert "human:0" in episode.reason


def test_operator_walk_is_part_of_the_reproducible_conditions(write_plan) -> None:  # type: ignore[no-untyped-def]
    plan = write_plan(skill="collab_pick_place", scenarios=SCENARIO, episodes=2, criteria=CRITERIA)
    reused, fresh = ScenarioRunner(plan, plan.scenarios[0]), ScenarioRunner(plan, plan.scenarios[0])
    try:
        first = [reused.run(index).deterministic_json() for index in (1, 0)]
        fresh_zero = fresh.run(0).deterministic_json()
    finally:
        reused.close()
        fresh.close()
    assert first[1] == fresh_zero
    assert '"operator_y"' in fresh_zero
