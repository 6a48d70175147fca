"""``warehouse/order_picking`` without a simulator: spec errors, conditions, judging, speed limits."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pytest

from criteria.speed_separation import SpeedSeparationParams, protective_distance
from harness.errors import SpecError
from harness.plan.loading import load_model
from harness.plan.resolve import load_plan
from harness.records import ZERO3, BodyState, Contact, TaskStatus, WorldState, frozen_array
from harness.spec import ScenarioSpec
from harness.testing import robot_state
from scenarios.warehouse.layout import Layout
from scenarios.warehouse.order_picking import OrderPickingScenario
from scenarios.warehouse.rules import OrderJudge, OrderTask
from skills.order_picking import OrderPickingSkill
from skills.order_picking_params import OrderPickingParams, allowed_speed

SPEC_FILE = Path(__file__).resolve().parents[2] / "scenarios" / "warehouse" / "order_picking-v1.yaml"
SPEC = """\
id: warehouse/custom-v1
kind: warehouse/order_picking
sim: pybullet
robot: franka_panda
control_rate_hz: 30
time_budget_s: 60
randomize:
  {entry}
"""


def spec() -> ScenarioSpec:
    return load_model(ScenarioSpec, SPEC_FILE).model


def plan_error(tmp_path: Path, entry: str) -> str:
    (tmp_path / "spec.yaml").write_text(SPEC.format(entry=entry), encoding="utf-8")
    plan = tmp_path / "plan.yaml"
    plan.write_text("skill: order_picking\nscenarios:\n  - spec: spec.yaml\n", encoding="utf-8")
    with pytest.raises(SpecError) as info:
        load_plan(plan)
    return str(info.value)


# specs --------------------------------------------------------------------------------------------
def test_builtin_spec_declares_every_parameter_it_randomises() -> None:
    loaded = spec()
    assert set(loaded.randomize) == set(OrderPickingScenario.parameters)
    assert OrderPickingScenario.reference_skill == "order_picking"


def test_unknown_randomize_key_gets_a_did_you_mean(tmp_path: Path) -> None:
    message = plan_error(tmp_path, "worker_sped: uniform(0.8, 1.4)")
    assert "has no parameter 'worker_sped'; did you mean 'worker_speed'?" in message
    assert "line 8" in message


def test_unknown_noise_key_gets_a_did_you_mean(tmp_path: Path) -> None:
    message = plan_error(tmp_path, "item_x: 0.5\nobservation_noise:\n  worker_distance: 0.01")
    assert "has no observation 'worker_distance'; did you mean 'worker_distances'?" in message


def test_a_bad_distribution_for_a_warehouse_parameter_is_reported(tmp_path: Path) -> None:
    message = plan_error(tmp_path, "order_size: choice([])")
    assert "randomize.order_size" in message


# conditions ---------------------------------------------------------------------------------------
def test_conditions_come_from_the_scenario_stream_only() -> None:
    scenario = OrderPickingScenario(spec())
    first = scenario.sample_conditions(np.random.default_rng(7))
    again = scenario.sample_conditions(np.random.default_rng(7))
    assert first == again
    assert len(first["item_x"]) == len(first["item_type"]) == 4
    assert first["order_size"] in (1, 2, 3)
    for i in range(4):
        for j in range(i):
            gap = math.hypot(first["item_x"][i] - first["item_x"][j], first["item_y"][i] - first["item_y"][j])
            assert gap >= Layout().min_item_separation


def test_items_are_kept_apart_across_many_seeds() -> None:
    scenario = OrderPickingScenario(spec())
    for seed in range(200):
        scenario.sample_conditions(np.random.default_rng(seed))  # raises when it cannot place them


# judging ------------------------------------------------------------------------------------------
def body(x: float, y: float, z: float, vx: float = 0.0) -> BodyState:
    return BodyState(
        frozen_array((x, y, z)), frozen_array((0.0, 0.0, 0.0, 1.0)), frozen_array((vx, 0.0, 0.0)), ZERO3
    )


def judge(order: tuple[int, int, int] = (1, 0, 0), types: tuple[int, ...] = (0, 1)) -> OrderJudge:
    items = [f"item:{i}" for i in range(len(types))]
    task = OrderTask(items, list(types), [0.02] * len(types), list(order), (5.6, 0.45, 0.0), 3, 1 / 30)
    return OrderJudge(Layout(), task, frozenset({"shelf", "rack:0", "station", "pedestal"}))


def state(amr: BodyState, items: dict[str, BodyState], contacts: tuple[Contact, ...] = ()) -> WorldState:
    arm, vehicle = robot_state(), dataclasses.replace(robot_state(), base=amr)
    tote = body(amr.position[0] - 0.1, amr.position[1], Layout().tote_floor_z - 0.004)
    bodies = MappingProxyType({"tote": tote, **items})
    return WorldState(MappingProxyType({"robot": arm, "amr": vehicle}), bodies, contacts)


ON_SHELF = {"item:0": body(0.5, -0.1, 0.44), "item:1": body(0.4, -0.2, 0.44)}


@pytest.mark.parametrize(
    ("contact", "expected"),
    [
        (Contact("amr", "base_link", "rack:0", "base", 50.0), "amr hit rack:0 at tick 5"),
        (
            Contact("human:0", "lower_leg_left", "amr", "front_left_wheel_link", 5.0),
            "amr touched human:0 (lower_leg_left) at tick 5",
        ),
        (Contact("robot", "panda_link7", "station", "base", 1.0), "robot hit station at tick 5"),
        (Contact("tote", "base", "station", "base", 1.0), "amr hit station at tick 5"),
        (Contact("robot", "panda_hand", "amr", "base_link", 1.0), "robot hit amr at tick 5"),
    ],
)  # fmt: skip
def test_touching_a_fixture_or_a_person_fails_at_once(contact: Contact, expected: str) -> None:
    referee = judge()
    referee.update(state(body(0.55, 0.45, 0.0), ON_SHELF, (contact,)), 5)
    assert referee.status is TaskStatus.FAILED
    assert referee.failure == expected


@pytest.mark.parametrize(
    "contact",
    [
        Contact("amr", "front_left_wheel_link", "floor", "base", 100.0),
        Contact("robot", "panda_leftfinger", "shelf", "base", 2.0),
        Contact("robot", "panda_leftfinger", "tote", "base", 2.0),
        Contact("item:0", "base", "shelf", "base", 2.0),
    ],
)
def test_the_floor_the_shelf_top_and_the_tote_are_no_collisions(contact: Contact) -> None:
    referee = judge()
    referee.update(state(body(0.55, 0.45, 0.0), ON_SHELF, (contact,)), 5)
    assert referee.status is TaskStatus.RUNNING, referee.failure


def docked_with(items: dict[str, BodyState], order: tuple[int, int, int]) -> OrderJudge:
    referee, amr = judge(order), body(5.6, 0.45, 0.0)
    for tick in range(1, 5):
        referee.update(state(amr, items), tick)
    return referee


def in_tote(dx: float) -> BodyState:
    return body(5.5 + dx, 0.45, Layout().tote_floor_z + 0.02)


def test_docking_with_exactly_the_order_succeeds() -> None:
    referee = docked_with({"item:0": in_tote(0.0), "item:1": ON_SHELF["item:1"]}, (1, 0, 0))
    assert referee.status is TaskStatus.SUCCEEDED, referee.failure


@pytest.mark.parametrize(
    ("items", "order", "expected", "counts"),
    [
        ({"item:0": in_tote(0.0), "item:1": in_tote(0.09)}, (1, 0, 0), "1 wrong green", (1, 0, 0)),
        ({"item:0": in_tote(0.0), "item:1": in_tote(0.09)}, (1, 0, 0), "order wrong", (1, 0, 0)),
        ({"item:0": ON_SHELF["item:0"], "item:1": ON_SHELF["item:1"]}, (1, 0, 0), "1 red missing", (0, 0, 1)),
    ],
)
def test_docking_with_a_wrong_or_missing_item_fails(
    items: dict[str, BodyState], order: tuple[int, int, int], expected: str, counts: tuple[int, int, int]
) -> None:
    referee = docked_with(items, order)
    assert referee.status is TaskStatus.FAILED
    assert expected in referee.failure
    assert referee.counts(state(body(5.6, 0.45, 0.0), items)) == counts


def test_an_extra_item_of_an_ordered_type_is_counted_as_extra() -> None:
    items = {"item:0": in_tote(0.0), "item:1": in_tote(0.09)}
    referee = docked_with(items, (1, 0, 0))
    referee.task.types[1] = 0
    assert referee.counts(state(body(5.6, 0.45, 0.0), items)) == (0, 1, 0)


def test_driving_through_the_dock_is_no_docking() -> None:
    referee, items = judge(), {"item:0": in_tote(0.0), "item:1": ON_SHELF["item:1"]}
    for tick in range(1, 10):
        referee.update(state(body(5.6, 0.45, 0.0, vx=0.5), items), tick)
    assert referee.status is TaskStatus.RUNNING


def test_an_item_on_the_floor_is_a_drop() -> None:
    referee = judge()
    referee.update(state(body(0.55, 0.45, 0.0), {**ON_SHELF, "item:1": body(0.6, 0.1, 0.02)}), 9)
    assert referee.failure == "item:1 fell to the floor at tick 9"
    assert referee.tally.dropped == 1


# the reference skill's speed limit ------------------------------------------------------------------
@pytest.mark.parametrize("distance", [0.9, 1.0, 1.3, 2.0, 3.0])
def test_allowed_speed_keeps_the_criterion_s_protective_distance(distance: float) -> None:
    params, criterion = OrderPickingParams(), SpeedSeparationParams()
    speed = allowed_speed(distance, params)
    assert speed > 0
    assert protective_distance(speed, criterion) == pytest.approx(distance - params.separation_margin)


def test_allowed_speed_is_zero_within_the_standing_distance() -> None:
    assert allowed_speed(0.8, OrderPickingParams()) == 0.0


def test_reference_skill_picks_the_nearest_items_of_each_ordered_type() -> None:
    skill = OrderPickingSkill()
    observation = {
        "item_positions": np.array(
            [[0.6, -0.2, 0.44], [0.4, 0.0, 0.44], [0.35, -0.1, 0.44], [0.5, 0.0, 0.44]]
        ),
        "item_types": np.array([1.0, 1.0, 2.0, 0.0]),
        "order": np.array([0.0, 1.0, 1.0]),
    }
    assert skill.choose_items(observation) == [1, 2]
