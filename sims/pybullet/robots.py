"""Robot models the PyBullet backend can load, with their controller settings."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class ArmModel:
    """A fixed-base arm with a parallel gripper, driven by joint position controllers."""

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


@dataclass(frozen=True)
class MobileBaseModel:
    """A wheeled base driven by base-velocity commands (forward speed, yaw rate)."""

    name: str
    urdf: str
    wheel_joints: tuple[int, ...]
    max_speed: float  # m/s
    max_yaw_rate: float  # rad/s
    max_acceleration: float  # m/s^2: the base's own controller ramps speed, so it cannot stop at once
    max_yaw_acceleration: float  # rad/s^2
    deck_height: float  # top plate above the floor, where a load sits


FRANKA_PANDA = ArmModel(
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

HUSKY = MobileBaseModel(
    name="husky",
    urdf="husky/husky.urdf",
    wheel_joints=(2, 3, 4, 5),
    max_speed=1.0,  # Clearpath Husky's rated top speed
    max_yaw_rate=2.0,
    max_acceleration=1.0,
    max_yaw_acceleration=4.0,
    deck_height=0.33,
)

RobotModel = ArmModel | MobileBaseModel
ROBOTS: dict[str, RobotModel] = {model.name: model for model in (FRANKA_PANDA, HUSKY)}
