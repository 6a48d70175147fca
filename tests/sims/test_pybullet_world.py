"""The PyBullet backend: one client per world, reset worlds step exactly like fresh ones."""

from __future__ import annotations

import ast
from pathlib import Path

import pybullet as p
import pytest

from harness.execution.runner import ScenarioRunner
from harness.plan.resolve import ResolvedPlan
from sims.pybullet import PyBulletWorld

pytestmark = pytest.mark.sim


def test_every_pybullet_call_names_its_client() -> None:
    """Scan the backend's source: a call without physicsClientId would use the implicit client."""
    allowed = {"connect"}  # creates the client, so it cannot name one
    for path in Path("sims/pybullet").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                target = node.func.value
                if isinstance(target, ast.Name) and target.id == "p" and node.func.attr not in allowed:
                    keywords = {k.arg for k in node.keywords}
                    assert "physicsClientId" in keywords, f"{path}:{node.lineno} p.{node.func.attr}"


def test_worlds_are_independent_clients() -> None:
    first, second = PyBulletWorld(240), PyBulletWorld(240)
    try:
        assert first.client != second.client
        first.add_box("box", (0.1, 0.1, 0.1), (0, 0, 1), mass=1.0)
        assert first.has("box") and not second.has("box")
        assert p.getNumBodies(physicsClientId=second.client) == 0
    finally:
        first.close()
        second.close()


def test_restore_baseline_removes_episode_bodies() -> None:
    world = PyBulletWorld(240)
    try:
        world.add_box("table", (0.5, 0.5, 0.02), (0, 0, -0.02))
        world.add_robot("franka_panda", (0.0, 0.0, 0.0))
        world.save_baseline()
        world.add_box("cube", (0.02, 0.02, 0.02), (0.3, -0.3, 0.5), mass=0.1)
        world.step(24)
        assert world.read().bodies["cube"].position[2] < 0.5
        world.restore_baseline()
        assert not world.has("cube")
        assert set(world.read().bodies) == {"table"}
        assert world.read().robot.joint_positions.shape == (7,)
    finally:
        world.close()


def _results(plan: ResolvedPlan, order: list[int], fresh_each: bool) -> dict[int, str]:
    runner, results = ScenarioRunner(plan, plan.scenarios[0]), {}
    for index in order:
        results[index] = runner.run(index).deterministic_json()
        if fresh_each:
            runner.close()
    runner.close()
    return results


def test_reset_world_is_bit_identical_to_fresh_world_in_any_order(write_plan) -> None:  # type: ignore[no-untyped-def]
    plan = write_plan(episodes=4, criteria={"task_success": {}, "cycle_time": {"max_s": 12}})
    forward = _results(plan, [0, 1, 2, 3], fresh_each=False)
    backward = _results(plan, [3, 1, 2, 0], fresh_each=False)
    fresh = _results(plan, [2, 0, 3, 1], fresh_each=True)
    assert forward == backward == fresh
    assert len(set(forward.values())) == 4


def test_a_world_with_welded_bodies_is_rebuilt_for_every_episode() -> None:

    world = PyBulletWorld(240)
    world.add_box("a", (0.1, 0.1, 0.1), (0, 0, 1), mass=1.0)
    world.add_box("b", (0.1, 0.1, 0.1), (0, 0, 1.2), mass=1.0)
    assert world.restores_exactly
    world.attach("b", "a")
    assert not world.restores_exactly
    world.close()
