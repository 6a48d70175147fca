"""The warehouse world: two robots, a welded tote, a walking worker, and bit-identical resets."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

from harness.execution.runner import ScenarioRunner
from harness.plan.loading import load_model
from harness.spec import ScenarioSpec
from scenarios.warehouse.layout import Layout
from scenarios.warehouse.order_picking import OrderPickingScenario
from sims.pybullet import PyBulletWorld

pytestmark = pytest.mark.sim
SPEC_FILE = Path(__file__).resolve().parents[2] / "scenarios" / "warehouse" / "order_picking-v1.yaml"
CONDITIONS = {
    "item_x": [0.4, 0.55, 0.4, 0.6], "item_y": [-0.05, -0.05, -0.25, -0.25], "item_yaw": [0.0] * 4,
    "item_type": [0, 1, 2, 0], "item_mass": [0.1] * 4, "item_friction": [0.9] * 4, "order_size": 2,
    "station_x": 6.4, "worker_lane_y": 2.0, "worker_speed": 1.0, "worker_phase": 0.0,
}  # fmt: skip


@pytest.fixture
def scene() -> Iterator[tuple[OrderPickingScenario, PyBulletWorld]]:
    spec = load_model(ScenarioSpec, SPEC_FILE).model
    world, scenario = PyBulletWorld(spec.physics_rate_hz), OrderPickingScenario(spec)
    try:
        scenario.build(world)
        world.save_baseline()
        scenario.reset(world, dict(CONDITIONS))
        yield scenario, world
    finally:
        world.close()


def drive(scenario: OrderPickingScenario, world: PyBulletWorld, speed: float, ticks: int) -> None:
    command = np.array([0.42, 0.0, 0.8, 0.0, 0.08, speed, 0.0])
    for tick in range(1, ticks + 1):
        scenario.apply(world, "pick_and_transport", command)
        world.step(scenario.spec.substeps)
        scenario.events(world.read(), tick)


def test_both_robots_are_in_the_state_with_their_own_labels(scene: Any) -> None:
    scenario, world = scene
    drive(scenario, world, 0.0, 15)
    state = world.read()
    assert set(state.robots) == {"robot", "amr"}
    assert state.robot.joint_positions.shape == (7,)
    assert state.robots["amr"].joint_positions.size == 0
    wheels = {c.link_a if c.body_a == "amr" else c.link_b for c in state.touching("amr", "floor")}
    assert wheels == {f"{end}_{side}_wheel_link" for end in ("front", "rear") for side in ("left", "right")}
    assert not any(c.body_a.startswith("tote") or c.body_b.startswith("tote") for c in state.contacts)
    assert [(s.body_a, s.body_b) for s in state.separations] == [("amr", "human:0"), ("robot", "human:0")]


def test_the_tote_rides_on_the_deck_and_carries_an_item(scene: Any) -> None:
    scenario, world = scene
    layout = Layout()
    world.add_box("parcel", (0.02, 0.02, 0.02), (0.45, 0.45, layout.tote_floor_z + 0.025), mass=0.1)
    drive(scenario, world, 0.0, 15)
    before = world.read()
    assert before.bodies["tote"].position[2] + layout.tote_floor / 2 == pytest.approx(
        layout.tote_floor_z, abs=0.005
    )
    drive(scenario, world, 0.8, 45)
    after = world.read()
    moved = after.robots["amr"].base.position - before.robots["amr"].base.position
    assert 0.6 < moved[0] < 1.2 and abs(moved[1]) < 0.02
    for label in ("tote", "parcel"):
        assert after.bodies[label].position[:2] - before.bodies[label].position[:2] == pytest.approx(
            moved[:2], abs=0.01
        )


def test_the_worker_walks_the_aisle_and_is_seen_by_the_scanner(scene: Any) -> None:
    scenario, world = scene
    positions = []
    for tick in (1, 31, 61):
        scenario.events(world.read(), tick)
        positions.append(world.read().bodies["human:0"].position.copy())
    assert positions[1][0] - positions[0][0] == pytest.approx(1.0, abs=1e-9)  # 1 m/s for 30 ticks
    assert positions[2][1] == pytest.approx(2.0)
    observation = scenario.observe(world.read(), np.random.default_rng(0))
    assert observation["worker_visible"][0] == 1.0
    assert 0.5 < observation["worker_distances"][0] < Layout().scanner_range
    assert observation["order"].tolist() == [1.0, 1.0, 0.0]


def test_reset_world_is_bit_identical_to_fresh_world_in_any_order(write_plan, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    spec = yaml.safe_load(SPEC_FILE.read_text(encoding="utf-8"))
    spec.update(
        id="warehouse/order_picking_short-v1", time_budget_s=9
    )  # the picking and the start of a drive
    (tmp_path / "short.yaml").write_text(yaml.safe_dump(spec), encoding="utf-8")
    plan = write_plan(skill="order_picking", scenarios=[str(tmp_path / "short.yaml")], episodes=3)

    def results(order: list[int], fresh_each: bool) -> dict[int, str]:
        runner, found = ScenarioRunner(plan, plan.scenarios[0]), {}
        for index in order:
            found[index] = runner.run(index).deterministic_json()
            if fresh_each:
                runner.close()
        runner.close()
        return found

    forward = results([0, 1, 2], fresh_each=False)
    assert results([2, 0, 1], fresh_each=False) == forward
    assert results([1, 2, 0], fresh_each=True) == forward
    assert len(set(forward.values())) == 3
