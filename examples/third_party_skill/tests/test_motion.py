"""The controller's geometry and motion, without a simulator."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sweep_picker.motion import grasp_yaw, release_height, step_towards, turn_towards, yaw_of


def quaternion_about_z(angle: float) -> np.ndarray:
    return np.array([0.0, 0.0, math.sin(angle / 2), math.cos(angle / 2)])


@pytest.mark.parametrize("angle", [-3.0, -1.2, 0.0, 0.4, 2.9])
def test_yaw_of_a_rotation_about_z(angle: float) -> None:
    assert yaw_of(quaternion_about_z(angle)) == pytest.approx(angle)


@pytest.mark.parametrize("cube_yaw", np.linspace(-math.pi, math.pi, 37))
@pytest.mark.parametrize("reference", [-0.7, 0.0, 0.785])
def test_grasp_yaw_is_a_quarter_turn_equivalent_within_45_degrees(cube_yaw: float, reference: float) -> None:
    yaw = grasp_yaw(cube_yaw, reference)
    assert abs(yaw - reference) <= math.pi / 4 + 1e-9
    quarter_turns = (yaw - cube_yaw) / (math.pi / 2)
    assert quarter_turns == pytest.approx(round(quarter_turns), abs=1e-9)


def test_step_towards_is_bounded_and_lands_exactly() -> None:
    point, goal = np.zeros(3), np.array([0.3, 0.4, 0.0])
    point, arrived = step_towards(point, goal, 0.1)
    assert not arrived and np.linalg.norm(point) == pytest.approx(0.1)
    for _ in range(4):
        point, arrived = step_towards(point, goal, 0.1)
    assert arrived and np.array_equal(point, goal)


def test_step_towards_does_not_alias_the_goal() -> None:
    goal = np.array([0.01, 0.0, 0.0])
    point, _ = step_towards(np.zeros(3), goal, 1.0)
    point[0] = 5.0
    assert goal[0] == 0.01


def test_turn_towards_either_way() -> None:
    assert turn_towards(0.0, 1.0, 0.25) == (0.25, False)
    assert turn_towards(0.0, -1.0, 0.25) == (-0.25, False)
    assert turn_towards(0.9, 1.0, 0.25) == (1.0, True)


def test_release_height_keeps_the_grasp_offset() -> None:
    # gripped 5 mm below the cube's centre: the end effector stays 5 mm below it over the tray
    z = release_height(grasp_ee_z=0.02, grasp_cube_z=0.025, tray_floor_z=0.015, half=0.025, gap=0.01)
    assert z == pytest.approx(0.015 + 0.025 + 0.01 - 0.005)
