"""The controller's phases on hand-made observations, without a simulator."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from harness import CommandSpace, SpecError, TaskInfo
from harness.skill_manifest import manifest_of
from pydantic import ValidationError

from sweep_picker import SweepPicker
from sweep_picker.picker import Phase

DT = 1 / 30
HOME = np.array([0.3, 0.0, 0.5])
CUBE = np.array([0.5, -0.1, 0.025])
TRAY = np.array([0.45, 0.42, 0.0])
SPACE = CommandSpace(
    "ee_pose",
    ("x", "y", "z", "yaw", "gripper_width"),
    np.array([-0.9, -0.9, -0.2, -2 * math.pi, 0.0]),
    np.array([0.9, 0.9, 1.2, 2 * math.pi, 0.08]),
)


def task() -> TaskInfo:
    return TaskInfo(
        scenario="workstation/pick_place-v1",
        robot="franka_panda",
        control_dt=DT,
        max_ticks=450,
        command_space=SPACE,
        observation_shapes={},
        goal={"table_height": 0.0, "tray_floor_height": 0.015},
    )


def observe(ee: np.ndarray, cube: np.ndarray, width: float) -> dict[str, np.ndarray]:
    return {
        "ee_position": ee,
        "ee_orientation": np.array([1.0, 0.0, 0.0, 0.0]),  # pointing down, yaw 0
        "gripper_width": np.array([width]),
        "object_positions": cube[None, :],
        "object_orientations": np.array([[0.0, 0.0, math.sin(0.3), math.cos(0.3)]]),  # yaw 0.6
        "object_sizes": np.full((1, 3), 0.05),
        "tray_position": TRAY,
    }


def run(skill: SweepPicker, ticks: int, hold: bool = True) -> list[tuple[Phase, np.ndarray]]:
    """A perfect arm: the end effector is where the last command put it, the cube in the hand."""
    skill.reset(task(), np.random.default_rng(0))
    ee, cube, width, trace = HOME.copy(), CUBE.copy(), 0.08, []
    for _ in range(ticks):
        command = skill.act(observe(ee, cube, width))
        gripping = skill.phase in (Phase.LIFT, Phase.CARRY, Phase.LOWER)
        if hold and gripping:
            cube = command[:3] + np.array([0.0, 0.0, CUBE[2] - skill.grasp[2]])
        ee, width = command[:3].copy(), max(float(command[4]), 0.05 if hold else 0.0)
        trace.append((skill.phase, command))
    return trace


def test_every_command_is_finite_and_within_the_limits() -> None:
    for _, command in run(SweepPicker(), 300):
        assert command.shape == (5,) and np.all(np.isfinite(command))
        assert np.all(command >= SPACE.low) and np.all(command <= SPACE.high)


def test_goes_through_the_phases_in_order_and_finishes_over_the_tray() -> None:
    trace = run(SweepPicker(), 300)
    seen = list(dict.fromkeys(phase for phase, _ in trace))
    assert seen == list(Phase)
    final = trace[-1][1]
    assert final[:2] == pytest.approx(TRAY[:2]) and final[4] == pytest.approx(0.08)


def test_the_set_point_never_moves_faster_than_the_speed() -> None:
    params = {"speed": 0.4, "slow_speed": 0.2}
    commands = [command for _, command in run(SweepPicker(**params), 300)]
    steps = [np.linalg.norm(b[:3] - a[:3]) for a, b in itertools.pairwise(commands)]
    assert max(steps) <= 0.4 * DT + 1e-9


def test_grips_at_the_cube_with_the_wrist_a_quarter_turn_equivalent_of_its_yaw() -> None:
    trace = run(SweepPicker(), 300)
    grip = next(command for phase, command in trace if phase is Phase.GRIP)
    assert grip[:3] == pytest.approx(CUBE) and grip[3] == pytest.approx(0.6 - 0.0, abs=1e-6)


def test_a_lost_grip_sends_it_back_then_it_gives_up() -> None:
    trace = run(SweepPicker(max_retries=1), 450, hold=False)
    phases = [phase for phase, _ in trace]
    approaches = sum(1 for a, b in itertools.pairwise(phases) if b is Phase.APPROACH and a is not b)
    assert approaches == 1 and phases[-1] is Phase.DONE
    assert Phase.LOWER not in phases  # never carried an empty gripper to the tray


def test_params_are_checked() -> None:
    with pytest.raises(ValidationError):
        SweepPicker(speed=-1.0)
    with pytest.raises(ValidationError):
        SweepPicker(sped=0.5)


def test_the_manifest_is_complete_and_valid() -> None:
    manifest = manifest_of(SweepPicker, "sweep_picker")
    assert (manifest.name, manifest.version, manifest.license) == ("sweep_picker", "0.3.0", "MIT")
    assert manifest.robot == "franka_panda" and manifest.command_kind == "ee_pose"
    assert manifest.supports_scenario("workstation/pick_place-v1")
    assert not manifest.supports_scenario("warehouse/order_picking-v1")
    assert manifest.parameters is not None and "approach_height" in manifest.parameters["properties"]
    assert set(manifest.declared) == {"name", "version", "supports", "maintainer", "license"}


def test_a_bad_version_would_be_refused() -> None:
    class Broken(SweepPicker):
        version = "three"

    with pytest.raises(SpecError, match="PEP 440"):
        manifest_of(Broken)
