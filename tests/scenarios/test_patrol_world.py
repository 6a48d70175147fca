"""The patrol scenario in PyBullet: what the robot sees, where people are, and reproducibility."""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

from harness.episode.engine import BuiltScenario
from harness.execution.runner import ScenarioRunner
from harness.plan.loading import load_model
from harness.plan.resolve import ResolvedPlan
from harness.records import TaskStatus
from harness.spec import ScenarioSpec
from scenarios.inspection.patrol import PatrolScenario
from sims.pybullet import PyBulletWorld

pytestmark = pytest.mark.sim
SPEC_FILE = Path(__file__).resolve().parents[2] / "scenarios" / "inspection" / "patrol-v1.yaml"
CONDITIONS = {
    "checkpoint_face": [1, 2, 3, 4, 5],
    "checkpoint_x": [4.0, 5.0, 6.0, 7.0, 3.5],
    "checkpoint_reading": [1.5, 2.5, 3.5, 4.5, 5.5],
    "checkpoint_anomalous": [0, 1, 0, 0, 1],
    "people_count": 2,
    "person_aisle": [0, 2],
    "person_side": [1, -1],
    "person_speed": [1.0, 1.2],
    "person_phase": [0.0, 0.5],
}


def spec(**changes: Any) -> ScenarioSpec:
    data = yaml.safe_load(SPEC_FILE.read_text(encoding="utf-8"))
    data.update(changes)
    return ScenarioSpec.model_validate(data)


@pytest.fixture
def built() -> Iterator[BuiltScenario]:
    scenario = PatrolScenario(spec(observation_noise={}))
    done = BuiltScenario.build(scenario, PyBulletWorld(scenario.spec.physics_rate_hz), "patrol")
    done.scenario.reset(done.world, dict(CONDITIONS))
    yield done
    done.world.close()


def look(built: BuiltScenario, x: float, y: float, yaw: float) -> dict[str, Any]:
    built.world.set_pose("robot", (x, y, 0.0), (0.0, 0.0, math.sin(yaw / 2), math.cos(yaw / 2)))
    return dict(built.scenario.observe(built.world.read(), np.random.default_rng(0)))


def test_a_gauge_is_read_only_from_in_front_of_it_and_facing_it(built: BuiltScenario) -> None:
    at_dock = look(built, 1.25, -3.8, 0.0)
    assert not at_dock["checkpoint_visible"].any() and not at_dock["checkpoint_readings"].any()
    # gauge 1 hangs on face 2 (south rack row, north side) at x = 5: look south at it from the middle aisle
    facing = look(built, 5.0, 0.0, -math.pi / 2)
    assert facing["checkpoint_visible"].tolist() == [0, 1, 0, 0, 0]
    assert facing["checkpoint_readings"][1] == pytest.approx(2.5)
    assert facing["checkpoint_anomaly_scores"].tolist() == [0, 1, 0, 0, 0]
    assert not look(built, 5.0, 0.0, math.pi / 2)["checkpoint_visible"][1]  # back turned
    assert not look(built, 5.0, 0.0, -math.pi / 2 + 0.7)["checkpoint_visible"][1]  # 40 degrees off
    assert not look(built, 7.2, 0.0, -2.3)["checkpoint_visible"][1]  # too far to the side
    poses = facing["checkpoint_poses"]
    assert poses[1].tolist() == pytest.approx([5.0, -1.4, math.pi / 2])


def test_people_walk_from_the_tick_and_are_seen_within_range(built: BuiltScenario) -> None:
    scenario, world = built.scenario, built.world
    # person 0 walks the south aisle's left lane from x = 3 eastwards at 1 m/s
    assert scenario.status(world.read(), 40) is TaskStatus.RUNNING
    person = world.read().bodies["human:0"]
    assert person.position[:2].tolist() == pytest.approx([5.0, -3.8 + 1.1])
    assert person.linear_velocity[:2].tolist() == pytest.approx([1.0, 0.0])
    near = look(built, 1.25, -3.8, 0.0)
    assert near["people_visible"].tolist() == [1.0, 0.0]
    assert near["people_positions"][0].tolist() == pytest.approx([5.0, -2.7])
    assert near["people_positions"][1].tolist() == [0.0, 0.0]


def test_the_command_carries_the_base_velocity_and_the_reports(built: BuiltScenario) -> None:
    space = built.command_space
    assert space.names == (
        "forward_speed", "yaw_rate", "report_checkpoint", "report_value", "report_anomaly", "end_patrol",
    )  # fmt: skip
    assert space.low.tolist()[:3] == [-1.0, -2.0, -1.0] and space.high.tolist()[:3] == [1.0, 2.0, 4.0]
    look(built, 5.0, 0.0, -math.pi / 2)
    built.scenario.apply(built.world, "patrol", np.array([0.0, 0.0, 1.0, 2.55, 1.0, 0.0]))
    built.scenario.apply(built.world, "patrol", np.array([0.0, 0.0, 0.0, 1.5, 0.0, 1.0]))
    assert built.scenario.failure_reason() == "reported checkpoint:0 at tick 1 without it in view"
    assert built.scenario.episode_metrics()["checkpoints_covered"] == 1.0


def _results(plan: ResolvedPlan, order: list[int], fresh_each: bool) -> dict[int, str]:
    runner, results = ScenarioRunner(plan, plan.scenarios[0]), {}
    for index in order:
        results[index] = runner.run(index).deterministic_json()
        if fresh_each:
            runner.close()
    runner.close()
    return results


def test_reset_world_is_bit_identical_to_fresh_world_in_any_order(write_plan: Any, tmp_path: Path) -> None:
    # a short budget keeps this quick; people, gauges and reports all happen in 20 s
    short = spec(id="inspection/patrol_short-v1", time_budget_s=20).model_dump(mode="json")
    (tmp_path / "short.yaml").write_text(yaml.safe_dump(short), encoding="utf-8")
    criteria = {"task_success": {}, "speed_separation": {}}
    plan = write_plan(skill="patrol", scenarios=[{"spec": "short.yaml"}], episodes=4, criteria=criteria)
    forward = _results(plan, [0, 1, 2, 3], fresh_each=False)
    backward = _results(plan, [3, 1, 2, 0], fresh_each=False)
    fresh = _results(plan, [2, 0, 3, 1], fresh_each=True)
    assert forward == backward == fresh
    assert len(set(forward.values())) == 4


def test_the_spec_round_trips() -> None:
    assert load_model(ScenarioSpec, SPEC_FILE).model == spec()
