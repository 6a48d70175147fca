"""Per-robot controllers and state readers: a fixed arm, or a mobile base."""

from __future__ import annotations

import math
import struct
from collections.abc import Mapping
from typing import Protocol

import numpy as np

from harness.records import EMPTY, ZERO3, BodyState, FloatArray, RobotHardLimits, RobotState, frozen_array
from harness.skill import CommandSpace
from harness.world import Vector
from sims.pybullet.bullet import p
from sims.pybullet.robots import ArmModel, MobileBaseModel

# a body's position, orientation, linear and angular velocity as bytes; np.frombuffer views them
# as a read-only array, several times faster than building an array from Python floats
pack_body = struct.Struct("13d").pack


class RobotDriver(Protocol):
    def command_spaces(self) -> Mapping[str, CommandSpace]: ...
    def apply(self, kind: str, command: FloatArray) -> None: ...
    def home(self) -> None: ...
    def set_joints(self, positions: Vector) -> None: ...
    def read(self) -> RobotState: ...
    def substep(self, dt: float) -> None: ...
    def limits(self) -> RobotHardLimits: ...


class ArmDriver:
    """Joint position control; ``ee_pose`` commands go through inverse kinematics first."""

    def __init__(self, client: int, body: int, model: ArmModel, position: Vector) -> None:
        self.client, self.body, self.model = client, body, model
        for finger in model.finger_joints:
            p.changeDynamics(body, finger, lateralFriction=model.finger_friction, physicsClientId=client)
        self.joints = (*model.arm_joints, *model.finger_joints)
        infos = [p.getJointInfo(body, j, physicsClientId=client) for j in self.joints]
        low, high = [i[8] for i in infos], [i[9] for i in infos]
        # IK's null space needs every movable joint, fingers included, as plain lists
        self.ik_null_space = {
            "lowerLimits": low,
            "upperLimits": high,
            "jointRanges": [h - lo for lo, h in zip(low, high, strict=True)],
            "restPoses": [*model.home, *(model.finger_travel for _ in model.finger_joints)],
        }
        arm = len(model.arm_joints)
        self.low, self.high = frozen_array(low[:arm]), frozen_array(high[:arm])
        links = range(-1, p.getNumJoints(body, physicsClientId=client))
        mass = sum(p.getDynamicsInfo(body, link, physicsClientId=client)[0] for link in links)
        self._limits = RobotHardLimits(
            self.low, self.high, frozen_array([i[11] for i in infos[:arm]]),
            frozen_array([i[10] for i in infos[:arm]]), mass=mass,
        )  # fmt: skip
        base_position, base_orientation = p.getBasePositionAndOrientation(body, physicsClientId=client)
        self.base = BodyState(frozen_array(base_position), frozen_array(base_orientation), ZERO3, ZERO3)
        # read() packs every joint's position, velocity and torque, then the end effector's
        # position, orientation and velocity, into one buffer and hands out read-only views
        count = len(self.joints)
        ee = 3 * count
        self._pack = struct.Struct(f"{ee + 10}d").pack
        self._fields = (
            slice(0, arm), slice(count, count + arm), slice(2 * count, 2 * count + arm),
            slice(ee, ee + 3), slice(ee + 3, ee + 7), slice(ee + 7, ee + 10),
        )  # fmt: skip
        self.home()

    def command_spaces(self) -> Mapping[str, CommandSpace]:
        model, base = self.model, self.base.position
        reach, gripper = model.reach, model.finger_travel * len(model.finger_joints)
        return {
            "ee_pose": CommandSpace(
                "ee_pose",
                ("x", "y", "z", "yaw", "gripper_width"),
                frozen_array([base[0] - reach, base[1] - reach, base[2] - 0.2, -2 * math.pi, 0.0]),
                frozen_array([base[0] + reach, base[1] + reach, base[2] + 1.2, 2 * math.pi, gripper]),
            ),
            "joint_positions": CommandSpace(
                "joint_positions",
                (*(f"q{j + 1}" for j in model.arm_joints), "gripper_width"),
                frozen_array([*self.low, 0.0]),
                frozen_array([*self.high, gripper]),
            ),
        }

    def apply(self, kind: str, command: FloatArray) -> None:
        values = command.tolist()
        if kind == "ee_pose":
            targets = self._inverse_kinematics(values)
        else:
            targets = values[: len(self.model.arm_joints)]
        self._hold(targets)
        self._grip(values[-1])

    def _inverse_kinematics(self, command: list[float]) -> Vector:
        model, cid = self.model, self.client
        orientation = p.getQuaternionFromEuler((math.pi, 0.0, command[3]), physicsClientId=cid)
        solution = p.calculateInverseKinematics(
            self.body, model.ee_link, command[:3], orientation, **self.ik_null_space,
            maxNumIterations=model.ik_iterations, residualThreshold=model.ik_threshold, physicsClientId=cid,
        )  # fmt: skip
        return solution[: len(model.arm_joints)]  # type: ignore[no-any-return]

    def _hold(self, targets: Vector) -> None:
        model, count = self.model, len(self.model.arm_joints)
        p.setJointMotorControlArray(
            self.body, model.arm_joints, p.POSITION_CONTROL, targetPositions=list(targets),
            targetVelocities=[0.0] * count, forces=model.arm_forces,
            positionGains=[model.position_gain] * count, velocityGains=[model.velocity_gain] * count,
            physicsClientId=self.client,
        )  # fmt: skip

    def _grip(self, width: float) -> None:
        model, count = self.model, len(self.model.finger_joints)
        p.setJointMotorControlArray(
            self.body, model.finger_joints, p.POSITION_CONTROL, targetPositions=[width / count] * count,
            forces=[model.finger_force] * count, positionGains=[model.finger_position_gain] * count,
            physicsClientId=self.client,
        )  # fmt: skip

    def substep(self, dt: float) -> None:
        """Position controllers run inside the engine; nothing to do between physics steps."""

    def limits(self) -> RobotHardLimits:
        return self._limits

    def home(self) -> None:
        self.set_joints((*self.model.home, *(self.model.finger_travel for _ in self.model.finger_joints)))

    def set_joints(self, positions: Vector) -> None:
        for joint, value in zip(self.joints, positions, strict=True):
            p.resetJointState(self.body, joint, value, 0.0, physicsClientId=self.client)
        arm = len(self.model.arm_joints)
        self._hold(positions[:arm])
        self._grip(sum(positions[arm:]))

    def read(self) -> RobotState:
        cid, body, arm = self.client, self.body, len(self.model.arm_joints)
        states = p.getJointStates(body, self.joints, physicsClientId=cid)
        link = p.getLinkState(
            body, self.model.ee_link, computeLinkVelocity=1, computeForwardKinematics=1, physicsClientId=cid
        )
        positions, velocities, _, torques = zip(*states, strict=True)
        # one read-only buffer per tick, handed out as views: far cheaper than one array per field
        values = np.frombuffer(self._pack(*positions, *velocities, *torques, *link[4], *link[5], *link[6]))
        q, qd, tau, ee, quaternion, velocity = self._fields
        return RobotState(
            self.base, values[q], values[qd], values[tau], values[ee], values[quaternion], values[velocity],
            sum(positions[arm:]),
        )  # fmt: skip


class MobileBaseDriver:
    """A base-velocity controller: the base tracks (forward speed, yaw rate) within its limits.

    The wheels carry no friction; the controller sets the chassis velocity every control tick,
    limited by the base's acceleration, which is how a velocity-controlled AMR behaves and keeps
    the response exact and deterministic. Collisions still stop it and still show as contacts.
    """

    def __init__(self, client: int, body: int, model: MobileBaseModel) -> None:
        self.client, self.body, self.model = client, body, model
        for wheel in model.wheel_joints:
            p.changeDynamics(body, wheel, lateralFriction=0.0, physicsClientId=client)
            p.setJointMotorControl2(body, wheel, p.VELOCITY_CONTROL, force=0.0, physicsClientId=client)
        self.speed = self.yaw_rate = self.target_speed = self.target_yaw_rate = 0.0

    def command_spaces(self) -> Mapping[str, CommandSpace]:
        model = self.model
        return {
            "base_velocity": CommandSpace(
                "base_velocity",
                ("forward_speed", "yaw_rate"),
                frozen_array([-model.max_speed, -model.max_yaw_rate]),
                frozen_array([model.max_speed, model.max_yaw_rate]),
            )
        }

    def apply(self, kind: str, command: FloatArray) -> None:
        self.target_speed, self.target_yaw_rate = float(command[0]), float(command[1])

    def substep(self, dt: float) -> None:
        """Before every physics step: approach the target within the acceleration limit."""
        step = self.model.max_acceleration * dt
        self.speed += max(-step, min(step, self.target_speed - self.speed))
        yaw_step = self.model.max_yaw_acceleration * dt
        self.yaw_rate += max(-yaw_step, min(yaw_step, self.target_yaw_rate - self.yaw_rate))
        cid = self.client
        _, orientation = p.getBasePositionAndOrientation(self.body, physicsClientId=cid)
        x, y, z, w = orientation
        yaw = math.atan2(2 * (w * z + x * y), 1 - 2 * (y * y + z * z))
        (_, _, vz), _ = p.getBaseVelocity(self.body, physicsClientId=cid)
        linear = (self.speed * math.cos(yaw), self.speed * math.sin(yaw), vz)
        p.resetBaseVelocity(self.body, linear, (0.0, 0.0, self.yaw_rate), physicsClientId=cid)
        # free-spinning wheels rock the chassis, which then reads as a few cm/s of base speed at
        # a standstill; stopping them is a state reset (a motor's warm start would break resets)
        for wheel in self.model.wheel_joints:
            p.resetJointState(self.body, wheel, 0.0, 0.0, physicsClientId=cid)

    def home(self) -> None:
        self.speed = self.yaw_rate = self.target_speed = self.target_yaw_rate = 0.0
        p.resetBaseVelocity(self.body, (0.0, 0.0, 0.0), (0.0, 0.0, 0.0), physicsClientId=self.client)

    def limits(self) -> RobotHardLimits:
        mass = sum(
            p.getDynamicsInfo(self.body, link, physicsClientId=self.client)[0]
            for link in range(-1, p.getNumJoints(self.body, physicsClientId=self.client))
        )
        return RobotHardLimits(EMPTY, EMPTY, EMPTY, EMPTY, max_base_speed=self.model.max_speed, mass=mass)

    def set_joints(self, positions: Vector) -> None:
        if positions:
            raise ValueError(f"a mobile base has no joints to set, got {list(positions)}")

    def read(self) -> RobotState:
        cid = self.client
        position, orientation = p.getBasePositionAndOrientation(self.body, physicsClientId=cid)
        linear, angular = p.getBaseVelocity(self.body, physicsClientId=cid)
        values = np.frombuffer(pack_body(*position, *orientation, *linear, *angular))
        base = BodyState(values[:3], values[3:7], values[7:10], values[10:])
        return RobotState(base, EMPTY, EMPTY, EMPTY, EMPTY, EMPTY, EMPTY, 0.0)
