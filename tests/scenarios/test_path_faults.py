"""A pallet in the aisle and a person stepping in, for the patrol and the order-picking AMR.

Where the fault puts its body, what the robot's sensors then report, that the reference skills
stop short, wait and finish, and that skills which ignore the observation are caught.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

from criteria.human_contact import HumanContact
from criteria.speed_separation import SpeedSeparation
from criteria.task_success import TaskSuccess
from harness.campaign.run import run_plan
from harness.episode.engine import BuiltScenario, run_episode
from harness.faults import ArmedFault
from harness.plan.resolve import load_plan
from harness.registry import load_plugin
from harness.results import EpisodeResult, Outcome
from harness.scenario import Conditions
from harness.spec import ScenarioSpec
from scenarios.corridors import Corridor, spot_ahead
from scenarios.inspection.patrol import PatrolScenario
from scenarios.path_faults import OBSTACLE, PALLET_HALF, StepIn
from scenarios.warehouse.order_picking import OrderPickingScenario
from sims.pybullet import PyBulletWorld

pytestmark = pytest.mark.sim
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "scenarios"
# no gauge in the south aisle, so the base drives its whole length; one person, in the north aisle
PATROL = {
    "checkpoint_face": [2, 3, 4, 5, 2],
    "checkpoint_x": [4.0, 5.0, 6.0, 7.0, 6.5],
    "checkpoint_reading": [1.5, 2.5, 3.5, 4.5, 5.5],
    "checkpoint_anomalous": [0, 1, 0, 0, 0],
    "people_count": 1,
    "person_aisle": [2, 0],
    "person_side": [1, -1],
    "person_speed": [1.0, 1.2],
    "person_phase": [0.0, 0.5],
}
WAREHOUSE = {
    "item_x": [0.4, 0.55, 0.62, 0.36],
    "item_y": [-0.1, -0.25, -0.05, -0.28],
    "item_yaw": [0.0, 0.3, -0.2, 0.5],
    "item_type": [1, 0, 2, 1],
    "item_mass": [0.1, 0.1, 0.1, 0.1],
    "item_friction": [1.0, 1.0, 1.0, 1.0],
    "order_size": 1,
    "station_x": 6.4,
    "worker_lane_y": 3.3,  # far from the vehicle's lane: only the fault's person comes near
    "worker_speed": 1.0,
    "worker_phase": 0.0,
}


def example(name: str, faults: list[dict[str, Any]], **changes: Any) -> ScenarioSpec:
    data = yaml.safe_load((EXAMPLES / f"{name}.yaml").read_text(encoding="utf-8"))
    data.update(faults=faults, **changes)
    return ScenarioSpec.model_validate(data)


def build(spec: ScenarioSpec, command_kind: str) -> BuiltScenario:
    scenario = load_plugin("scenarios", spec.kind)(spec)
    return BuiltScenario.build(scenario, PyBulletWorld(spec.physics_rate_hz), command_kind)


def episode(built: BuiltScenario, skill: str, conditions: Conditions, seed: int = 3) -> EpisodeResult:
    make = load_plugin("skills", skill)
    criteria = lambda: [TaskSuccess(), SpeedSeparation(), HumanContact()]  # noqa: E731
    return run_episode(built, make, criteria, 0, seed, dict(conditions))


def armed(built: BuiltScenario, tick: int = 1) -> ArmedFault:
    return ArmedFault(built.scenario.spec.faults[0], tick, 0, 100, fired_tick=tick)


def place(built: BuiltScenario, label: str, x: float, y: float, yaw: float) -> None:
    built.world.set_pose(label, (x, y, 0.0), (0.0, 0.0, math.sin(yaw / 2), math.cos(yaw / 2)))


# where the body lands --------------------------------------------------------------------------
CORRIDORS = [Corridor(0, 0.0, 0.0, 10.0, 1.5), Corridor(1, 1.0, -5.0, 5.0, 1.0)]


def test_a_spot_is_on_the_centreline_of_the_corridor_headed_down() -> None:
    spot = spot_ahead(CORRIDORS, (3.0, 0.3, 0.2), 2.5, 0.4, 0.9, [], 0.7)
    assert spot is not None and (spot.x, spot.y, spot.yaw) == (5.5, 0.0, 0.0)
    back = spot_ahead(CORRIDORS, (3.0, 0.0, 3.0), 1.5, 0.4, 0.9, [], 0.7)
    assert back is not None and (back.x, back.y) == (1.5, 0.0) and back.yaw == pytest.approx(math.pi)
    # at the junction, heading north: the cross aisle
    north = spot_ahead(CORRIDORS, (1.0, 0.0, 1.4), 2.0, 0.4, 0.9, [], 0.7)
    assert north is not None and (north.x, north.y) == (1.0, 2.0)


def test_a_spot_is_pulled_back_into_the_corridor_but_never_onto_the_base() -> None:
    end = spot_ahead(CORRIDORS, (6.0, 0.0, 0.0), 5.0, 0.4, 0.9, [], 0.7)
    assert end is not None and end.x == pytest.approx(9.6)
    assert spot_ahead(CORRIDORS, (8.5, 0.0, 0.0), 5.0, 0.4, 0.9, [], 0.7) is None  # 1.1 m left: no room
    near = spot_ahead(CORRIDORS, (3.0, 0.0, 0.0), 0.4, 0.4, 0.9, [], 0.7)
    assert near is not None and near.x == pytest.approx(3.0 + 0.9 + 0.4)
    assert spot_ahead(CORRIDORS, (3.0, 3.0, 0.0), 2.0, 0.4, 0.9, [], 0.7) is None  # off the floor


def test_a_spot_slides_along_past_people() -> None:
    spot = spot_ahead(CORRIDORS, (3.0, 0.0, 0.0), 2.5, 0.4, 0.9, [(5.6, 0.5, 0.3)], 0.7)
    assert spot is not None and spot.x == pytest.approx(6.5)


def test_a_person_steps_in_stands_and_steps_out_by_the_tick() -> None:
    step = StepIn((2.0, 0.7), (2.0, 0.0), start_tick=10, dt=0.05)
    assert step.pose(10) == pytest.approx((2.0, 0.7, -math.pi / 2, 0.0, -1.0))
    assert step.pose(24)[:2] == pytest.approx((2.0, 0.0))  # type: ignore[index]
    assert step.pose(400) == pytest.approx((2.0, 0.0, -math.pi / 2, 0.0, 0.0))
    step.leave_tick = 400
    assert step.pose(407)[:2] == pytest.approx((2.0, 0.35))  # type: ignore[index]
    assert step.pose(414) is not None and step.pose(415) is None


# the patrol -------------------------------------------------------------------------------------
@pytest.fixture
def patrol() -> Iterator[BuiltScenario]:
    spec = example(
        "patrol_blocked_aisle",
        [{"kind": "blocked_path", "at_s": 3.0, "distance_m": 2.5, "duration_s": 6.0},
         {"kind": "person_steps_in", "at_s": 40.0, "distance_m": 3.0}],
        observation_noise={},
    )  # fmt: skip
    built = build(spec, "patrol")
    built.scenario.reset(built.world, dict(PATROL))
    yield built
    built.world.close()


def test_the_pallet_lands_ahead_and_the_range_sensor_sees_it(patrol: BuiltScenario) -> None:
    scenario, world = patrol.scenario, patrol.world
    assert isinstance(scenario, PatrolScenario)
    rng = np.random.default_rng(0)
    place(patrol, "robot", 2.0, -3.8, 0.0)
    assert scenario.observe(world.read(), rng)["obstacle_distance"].tolist() == [4.0]  # nothing in range
    fault = armed(patrol)
    detail = scenario.inject_fault(world, fault, world.read())
    assert fault.subject == OBSTACLE and detail.startswith("pallet at (4.50, -3.80)")
    state = world.read()
    assert state.bodies[OBSTACLE].position.tolist() == pytest.approx([4.5, -3.8, PALLET_HALF[2]])
    seen = scenario.observe(state, rng)["obstacle_distance"][0]
    assert seen == pytest.approx(4.5 - PALLET_HALF[0] - 2.505, abs=1e-3)
    scenario.clear_fault(world, fault)
    assert world.read().bodies[OBSTACLE].position[0] < -20  # parked far outside again
    assert scenario.observe(world.read(), rng)["obstacle_distance"][0] == pytest.approx(4.0)


def test_the_person_takes_the_scanners_extra_slot_and_is_tracked(patrol: BuiltScenario) -> None:
    scenario, world = patrol.scenario, patrol.world
    rng = np.random.default_rng(0)
    assert scenario.observation_shapes()["people_positions"] == (3, 2) and scenario.goal()["max_people"] == 3
    place(patrol, "robot", 4.0, 0.0, math.pi)  # the middle aisle, heading west; nobody walks there
    fault = ArmedFault(scenario.spec.faults[1], 50, 0, 60, fired_tick=50)
    detail = scenario.inject_fault(world, fault, world.read())
    assert detail == "human:2 steps in at (1.00, 0.00), 3.00 m from robot"
    state = world.read()
    # at the side away from the person walking the north aisle
    assert state.bodies["human:2"].position[:2].tolist() == pytest.approx([1.0, -0.7])
    scenario.status(state, 64)  # 14 ticks at 1 m/s: in the path
    state = world.read()
    assert state.bodies["human:2"].position[:2].tolist() == pytest.approx([1.0, 0.0])
    seen = scenario.observe(state, rng)
    assert seen["people_visible"].tolist()[1:] == [0.0, 1.0]  # nobody in slot 1; slot 0 walks the north aisle
    assert seen["people_positions"][2].tolist() == pytest.approx([1.0, 0.0])
    (separation,) = [s for s in state.separations if s.body_b == "human:2"]
    assert 2.0 < separation.distance < 3.0 - 0.505
    fault.cleared_tick = 110
    scenario.clear_fault(world, fault)
    scenario.status(world.read(), 117)
    assert world.read().bodies["human:2"].position[:2].tolist() == pytest.approx([1.0, -0.35])
    scenario.status(world.read(), 125)
    assert scenario.observe(world.read(), rng)["people_visible"][2] == 0.0
    assert world.read().bodies["human:2"].position[0] < -20


def test_the_patrol_waits_for_the_pallet_and_a_blind_patrol_hits_it(patrol: BuiltScenario) -> None:
    result = episode(patrol, "patrol", PATROL)
    assert result.outcome is Outcome.SUCCESS, result.reason
    pallet, person = result.faults
    assert (pallet.tick, pallet.cleared_tick) == (60, 180)
    assert pallet.detail.startswith("pallet at (") and person.tick == 800 and person.cleared_tick == 880
    assert all(c.verdict.value == "pass" for c in result.criteria)
    again = episode(patrol, "patrol", PATROL)
    assert again.deterministic_json() == result.deterministic_json()
    blind = episode(patrol, "patrol_ignoring_obstacles", PATROL)
    assert blind.outcome is Outcome.FAILURE and blind.reason.startswith("robot hit obstacle at tick")
    assert int(blind.reason.rsplit(" ", 1)[1]) < 180  # before the pallet was taken away


def test_the_patrol_stands_still_for_a_person_and_a_speeding_patrol_is_stopped() -> None:
    spec = example(
        "patrol_person_steps_in",
        [{"kind": "person_steps_in", "at_s": 3.0, "distance_m": 3.0, "duration_s": 5.0}],
        observation_noise={},
    )
    built = build(spec, "patrol")
    alone = {**PATROL, "people_count": 0}  # nobody but the one stepping in
    try:
        result = episode(built, "patrol", alone)
        assert result.outcome is Outcome.SUCCESS, result.reason
        (fault,) = result.faults
        assert (fault.tick, fault.cleared_tick) == (60, 160) and fault.subject == "human:2"
        separation = next(c for c in result.criteria if c.name == "speed_separation")
        assert separation.verdict.value == "pass"
        assert separation.details["min_separation_m"]["robot|human:2"] < 2.0
        speeding = episode(built, "patrol_speeding", alone)
        assert speeding.outcome is Outcome.SAFETY_STOP and "human:2" in speeding.reason
    finally:
        built.world.close()


# the order-picking AMR --------------------------------------------------------------------------
def test_the_amr_waits_for_a_pallet_and_a_blind_amr_hits_it() -> None:
    spec = example(
        "order_picking_blocked_aisle",
        [{"kind": "blocked_path", "after": "departed", "distance_m": 2.5, "duration_s": 4.0}],
    )
    built = build(spec, "pick_and_transport")
    try:
        assert isinstance(built.scenario, OrderPickingScenario)
        result = episode(built, "order_picking", WAREHOUSE)
        assert result.outcome is Outcome.SUCCESS, result.reason
        (fault,) = result.faults
        assert fault.cleared_tick == fault.tick + 120 and fault.detail.startswith("pallet at (")
        assert fault.detail.endswith("2.50 m from amr") and ", 0.45)" in fault.detail
        blind = episode(built, "order_picking_ignoring_obstacles", WAREHOUSE)
        assert blind.outcome is Outcome.FAILURE and blind.reason.startswith("amr hit obstacle")
    finally:
        built.world.close()


def test_the_amr_stops_for_a_person_and_a_speeding_amr_is_stopped() -> None:
    declared = {"kind": "person_steps_in", "after": "departed", "delay_s": 0.5, "distance_m": 2.5}
    spec = example("order_picking_person_steps_in", [{**declared, "duration_s": 3.0}])
    built = build(spec, "pick_and_transport")
    try:
        assert built.scenario.observation_shapes()["worker_distances"] == (2,)
        result = episode(built, "order_picking", WAREHOUSE)
        assert result.outcome is Outcome.SUCCESS, result.reason
        (fault,) = result.faults
        assert fault.subject == "human:1" and fault.cleared_tick == fault.tick + 90
        separation = next(c for c in result.criteria if c.name == "speed_separation")
        assert separation.verdict.value == "pass"
        assert separation.details["min_separation_m"]["amr|human:1"] < 1.5
        speeding = episode(built, "order_picking_speeding", WAREHOUSE)
        assert speeding.outcome is Outcome.SAFETY_STOP and "human:1" in speeding.reason
    finally:
        built.world.close()


# recovery rates ----------------------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize(
    ("spec", "skill", "fault"),
    [
        ("patrol_blocked_aisle", "patrol", "blocked_path"),
        ("patrol_person_steps_in", "patrol", "person_steps_in"),
        ("order_picking_blocked_aisle", "order_picking", "blocked_path"),
        ("order_picking_person_steps_in", "order_picking", "person_steps_in"),
    ],
)
def test_the_reference_skills_recover_over_100_episodes(
    tmp_path: Path, spec: str, skill: str, fault: str
) -> None:
    plan = {
        "skill": skill,
        "scenarios": [str(EXAMPLES / f"{spec}.yaml")],
        "episodes": 100,
        "seed": 11,
        "criteria": {"task_success": {}, "speed_separation": {}, "human_contact": {}},
        "gates": [{"metric": "recovery_rate", "fault": fault, "min": 0.9}],
    }
    (tmp_path / "plan.yaml").write_text(yaml.safe_dump(plan), encoding="utf-8")
    report = run_plan(load_plan(tmp_path / "plan.yaml"))
    (recovery,) = report.scenarios[0].recovery
    assert recovery.injected == 100 and recovery.recovered.count >= 95
    assert not [e for e in report.episodes if e.outcome is Outcome.SAFETY_STOP]
    assert report.gates[0].verdict.value == "pass"
