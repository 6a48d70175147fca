"""Robot models the PyBullet backend can load, with their controller settings."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class RobotModel:
    """Where a robot comes from and how its joint-level controllers are tuned."""

    name: str
    urdf: str
    arm_joints: tuple[int, ...]
    finger_joints: tuple[int, ...]
    ee_link: int
    home: tuple[float, ...]
    arm_forces: tuple[float, ...]
    finger_travel: float
    finger_force: float
    finger_position_gain: float
    finger_friction: float
    position_gain: float
    velocity_gain: float
    reach: float
    ik_iterations: int = 20  # ~1.6 mm median error; 50 iterations buy little for 2.5x the time
    ik_threshold: float = 1e-3


FRANKA_PANDA = RobotModel(
    name="franka_panda",
    urdf="franka_panda/panda.urdf",
    arm_joints=(0, 1, 2, 3, 4, 5, 6),
    finger_joints=(9, 10),
    ee_link=11,  # panda_grasptarget: between the fingertips
    home=(0.0, -0.4, 0.0, -2.4, 0.0, 2.0, math.pi / 4),  # gripper down, 0.42 m in front
    arm_forces=(87.0, 87.0, 87.0, 87.0, 12.0, 12.0, 12.0),  # URDF effort limits, N m
    finger_travel=0.04,
    finger_force=40.0,  # per finger; the URDF's 20 N lets heavier cubes slip
    finger_position_gain=0.1,
    finger_friction=1.0,
    position_gain=0.3,
    velocity_gain=1.0,
    reach=0.855,
)

ROBOTS = {model.name: model for model in (FRANKA_PANDA,)}
