"""The collaborative workstation: the operator walks up to the table and reaches in; the
reference skill stops for them and still finishes, the skill that ignores them is stopped by
the safety criterion."""

from __future__ import annotations

import numpy as np
import pytest

from harness.campaign.run import run_plan
from harness.episode.engine import BuiltScenario
from harness.execution.runner import ScenarioRunner
from harness.plan.loading import load_model
from harness.plan.resolve import builtin_specs
from harness.results import Outcome, Verdict
from harness.spec import ScenarioSpec
from scenarios.workstation.collab_pick_place import CollabPickPlaceScenario
from sims.pybullet import PyBulletWorld

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


def test_operator_reaches_into_the_shared_workspace_and_the_hand_is_what_comes_nearest() -> None:
    spec = load_model(ScenarioSpec, builtin_specs()["workstation/collab_pick_place-v1"]).model
    world = PyBulletWorld(spec.physics_rate_hz)
    try:
        built = BuiltScenario.build(CollabPickPlaceScenario(spec), world, "ee_pose")
        scenario = built.scenario
        conditions = scenario.sample_conditions(np.random.default_rng(0))
        conditions.update(
            operator_y=0.3, operator_phase=1.0, reach_side="left", reach_depth=0.2, reach_height=0.35,
            reach_delay=0.3, reach_move_s=0.6, reach_duration=2.0,
        )  # fmt: skip
        scenario.reset(world, conditions)
        rng, state = np.random.default_rng(0), world.read()
        hands = scenario.observe(state, rng)["person_hand_positions"]
        nearest = []
        for tick in range(1, 60):  # standing at the table from the start: in after 0.9 s, out at 2.9 s
            world.step(spec.substeps)
            state = world.read()
            scenario.status(state, tick)
            nearest.append(next(s.link_b for s in state.separations if s.body_a == "robot"))
        reached = scenario.observe(state, rng)["person_hand_positions"]
    finally:
        world.close()
    assert nearest[0] != "hand_left" and set(nearest[30:]) == {"hand_left"}
    assert reached[0] == pytest.approx((0.95 - 0.2, 0.3 - 0.22, 0.35))  # the left hand, over the table
    assert reached[1] == pytest.approx(hands[1])  # the other arm still hangs
    assert hands[0][0] > 1.0  # it hung by the operator's side before
