"""Geometry and set-point motion, free of any simulator: plain functions on numbers and arrays."""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

Vector = NDArray[np.float64]

QUARTER_TURN = math.pi / 2


def yaw_of(quaternion: Vector) -> float:
    """Rotation about the world z axis of an ``(x, y, z, w)`` quaternion."""
    x, y, z, w = (float(value) for value in quaternion)
    return math.atan2(2 * (x * y + w * z), 1 - 2 * (y * y + z * z))


def grasp_yaw(cube_yaw: float, reference: float) -> float:
    """The yaw, equivalent to ``cube_yaw`` by quarter turns, nearest ``reference``.

    A cube looks the same every quarter turn, so the wrist never needs to turn by more than
    45 degrees from where it started.
    """
    offset = (cube_yaw - reference + QUARTER_TURN / 2) % QUARTER_TURN - QUARTER_TURN / 2
    return reference + offset


def step_towards(current: Vector, goal: Vector, max_step: float) -> tuple[Vector, bool]:
    """Move ``current`` at most ``max_step`` towards ``goal``; True once it is there."""
    delta = goal - current
    distance = float(np.linalg.norm(delta))
    if distance <= max_step:
        return goal.astype(float, copy=True), True
    return current + delta * (max_step / distance), False


def turn_towards(current: float, goal: float, max_turn: float) -> tuple[float, bool]:
    """Turn ``current`` at most ``max_turn`` radians towards ``goal``; True once it is there."""
    turn = goal - current
    if abs(turn) <= max_turn:
        return goal, True
    return current + math.copysign(max_turn, turn), False


def release_height(
    grasp_ee_z: float, grasp_cube_z: float, tray_floor_z: float, half: float, gap: float
) -> float:
    """End-effector height that lowers the held cube to ``gap`` above the tray's floor.

    The cube keeps the offset to the end effector it had when the gripper closed on it.
    """
    return tray_floor_z + half + gap + (grasp_ee_z - grasp_cube_z)
