"""A PyBullet world: exactly one physics client, every call names it.

Built once per worker; ``restore_baseline`` brings it back to the saved state between
episodes, removing whatever the episode added, which is far cheaper than reloading URDFs.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from types import MappingProxyType

import pybullet_data

from harness.errors import SimError, UsageError
from harness.records import ZERO3, BodyState, Contact, FloatArray, RobotState, WorldState, frozen_array
from harness.registry import unknown_name_message
from harness.skill import CommandSpace
from harness.world import IDENTITY, Vector, World
from sims.pybullet.quiet import quiet_native_output
from sims.pybullet.robots import ROBOTS, RobotModel

with quiet_native_output():  # the extension prints its build time on import
    import pybullet as p

ASSETS = {"tray": "tray/traybox.urdf", "plane": "plane.urdf"}
ROBOT = "robot"
_DYNAMIC = BodyState(ZERO3, ZERO3, ZERO3, ZERO3)  # marks a baseline body that moves


class PyBulletWorld(World):
    """PyBullet in ``DIRECT`` mode at a fixed physics step."""

    def __init__(self, physics_rate_hz: float) -> None:
        super().__init__(physics_rate_hz)
        self.client = p.connect(p.DIRECT)
        if self.client < 0:
            raise SimError("could not start a PyBullet DIRECT client")
        cid = self.client
        p.setAdditionalSearchPath(pybullet_data.getDataPath(), physicsClientId=cid)
        p.setGravity(0.0, 0.0, -9.81, physicsClientId=cid)
        # sorted overlapping pairs make a reset world step exactly like a freshly built one
        p.setPhysicsEngineParameter(
            fixedTimeStep=1.0 / physics_rate_hz,
            numSubSteps=0,
            deterministicOverlappingPairs=1,
            physicsClientId=cid,
        )
        self._ids: dict[str, int] = {}
        self._labels: dict[int, str] = {}
        self._static: dict[str, BodyState] = {}
        self._dynamic: dict[str, int] = {}  # bodies whose state is read every tick
        self._baseline: tuple[int, dict[str, BodyState]] | None = None
        self._robot: RobotModel | None = None
        self._link_names: dict[int, str] = {-1: "base"}

    # building -----------------------------------------------------------------------------
    def add_robot(self, model: str, position: Vector, yaw: float = 0.0) -> None:
        if model not in ROBOTS:
            raise UsageError(unknown_name_message("robots", model, list(ROBOTS)))
        robot = self._robot = ROBOTS[model]
        orientation = p.getQuaternionFromEuler((0.0, 0.0, yaw), physicsClientId=self.client)
        body = p.loadURDF(robot.urdf, position, orientation, useFixedBase=True, physicsClientId=self.client)
        self._register(ROBOT, body)
        for joint in range(p.getNumJoints(body, physicsClientId=self.client)):
            info = p.getJointInfo(body, joint, physicsClientId=self.client)
            self._link_names[joint] = info[12].decode()
        for finger in robot.finger_joints:
            p.changeDynamics(body, finger, lateralFriction=robot.finger_friction, physicsClientId=self.client)
        self._joint_limits = self._read_joint_limits(body, robot)
        self._robot_joints = (*robot.arm_joints, *robot.finger_joints)
        self._base_position = frozen_array(position)
        self.home_robot()

    def _read_joint_limits(self, body: int, robot: RobotModel) -> tuple[FloatArray, FloatArray]:
        joints = (*robot.arm_joints, *robot.finger_joints)
        infos = [p.getJointInfo(body, j, physicsClientId=self.client) for j in joints]
        low, high = [i[8] for i in infos], [i[9] for i in infos]
        # IK's null space needs every movable joint, fingers included, as plain lists
        rest = [*robot.home, *(robot.finger_travel for _ in robot.finger_joints)]
        self._ik_null_space = {
            "lowerLimits": low,
            "upperLimits": high,
            "jointRanges": [h - lo for lo, h in zip(low, high, strict=True)],
            "restPoses": rest,
        }
        arm = len(robot.arm_joints)
        return frozen_array(low[:arm]), frozen_array(high[:arm])

    def add_box(
        self,
        label: str,
        half_extents: Vector,
        position: Vector,
        orientation: Vector = IDENTITY,
        mass: float = 0.0,
        friction: float = 0.8,
        color: Vector = (0.6, 0.6, 0.6, 1.0),
    ) -> None:
        cid = self.client
        shape = p.createCollisionShape(p.GEOM_BOX, halfExtents=half_extents, physicsClientId=cid)
        visual = p.createVisualShape(
            p.GEOM_BOX, halfExtents=half_extents, rgbaColor=color, physicsClientId=cid
        )
        body = p.createMultiBody(mass, shape, visual, position, orientation, physicsClientId=cid)
        p.changeDynamics(body, -1, lateralFriction=friction, physicsClientId=cid)
        self._register(label, body, static=mass == 0.0)

    def add_asset(self, label: str, asset: str, position: Vector, *, scale: float = 1.0) -> None:
        if asset not in ASSETS:
            raise UsageError(unknown_name_message("assets", asset, list(ASSETS)))
        body = p.loadURDF(
            ASSETS[asset], position, useFixedBase=True, globalScaling=scale, physicsClientId=self.client
        )
        self._register(label, body, static=True)

    def _register(self, label: str, body: int, static: bool = False) -> None:
        if label in self._ids:
            raise UsageError(f"a body labelled '{label}' exists already; labels must be unique")
        self._ids[label], self._labels[body] = body, label
        if not static and label != ROBOT:
            self._dynamic[label] = body
        if static:
            position, orientation = p.getBasePositionAndOrientation(body, physicsClientId=self.client)
            self._static[label] = BodyState(frozen_array(position), frozen_array(orientation), ZERO3, ZERO3)

    def set_pose(self, label: str, position: Vector, orientation: Vector = IDENTITY) -> None:
        body = self._ids[label]
        p.resetBasePositionAndOrientation(body, position, orientation, physicsClientId=self.client)
        if label in self._static:
            self._static[label] = BodyState(frozen_array(position), frozen_array(orientation), ZERO3, ZERO3)

    def remove(self, label: str) -> None:
        body = self._ids.pop(label)
        del self._labels[body]
        self._dynamic.pop(label, None)
        self._static.pop(label, None)
        p.removeBody(body, physicsClientId=self.client)
        # PyBullet refuses removeCollisionShape while any saved state references the shape; the
        # few hundred bytes a box shape takes stay allocated until the world closes.

    def has(self, label: str) -> bool:
        return label in self._ids

    def bounds(self, label: str) -> tuple[FloatArray, FloatArray]:
        low, high = p.getAABB(self._ids[label], physicsClientId=self.client)
        return frozen_array(low), frozen_array(high)

    # episodes -----------------------------------------------------------------------------
    def save_baseline(self) -> None:
        state = p.saveState(physicsClientId=self.client)
        self._baseline = (state, {label: self._static.get(label, _DYNAMIC) for label in self._ids})

    def restore_baseline(self) -> None:
        if self._baseline is None:
            raise SimError("restore_baseline() called before save_baseline()")
        state, bodies = self._baseline
        # newest first: PyBullet hands freed ids back last-in-first-out, so ids stay stable
        for label in reversed([label for label in self._ids if label not in bodies]):
            self.remove(label)
        p.restoreState(stateId=state, physicsClientId=self.client)
        self._static = {label: body for label, body in bodies.items() if body is not _DYNAMIC}

    def set_robot_joints(self, positions: Vector) -> None:
        robot, body, cid = self._require_robot(), self._ids[ROBOT], self.client
        joints = (*robot.arm_joints, *robot.finger_joints)
        for joint, value in zip(joints, positions, strict=True):
            p.resetJointState(body, joint, value, 0.0, physicsClientId=cid)
        self._hold(robot.arm_joints, positions[: len(robot.arm_joints)])
        self._grip(sum(positions[len(robot.arm_joints) :]))

    def home_robot(self) -> None:
        robot = self._require_robot()
        self.set_robot_joints((*robot.home, *(robot.finger_travel for _ in robot.finger_joints)))

    def _require_robot(self) -> RobotModel:
        if self._robot is None:
            raise UsageError("the scenario has not added a robot to the world")
        return self._robot

    # control ------------------------------------------------------------------------------
    def command_spaces(self) -> Mapping[str, CommandSpace]:
        robot = self._require_robot()
        base = self._base_position
        reach = robot.reach
        gripper = robot.finger_travel * len(robot.finger_joints)
        low_q, high_q = self._joint_limits
        return {
            "ee_pose": CommandSpace(
                "ee_pose",
                ("x", "y", "z", "yaw", "gripper_width"),
                frozen_array([base[0] - reach, base[1] - reach, base[2] - 0.2, -2 * math.pi, 0.0]),
                frozen_array([base[0] + reach, base[1] + reach, base[2] + 1.2, 2 * math.pi, gripper]),
            ),
            "joint_positions": CommandSpace(
                "joint_positions",
                (*(f"q{j + 1}" for j in robot.arm_joints), "gripper_width"),
                frozen_array([*low_q, 0.0]),
                frozen_array([*high_q, gripper]),
            ),
        }

    def apply(self, kind: str, command: FloatArray) -> None:
        robot = self._require_robot()
        if kind == "ee_pose":
            targets = self._inverse_kinematics(command, robot)
        else:
            targets = command[: len(robot.arm_joints)]
        self._hold(robot.arm_joints, targets)
        self._grip(float(command[-1]))

    def _inverse_kinematics(self, command: FloatArray, robot: RobotModel) -> Vector:
        cid, body = self.client, self._ids[ROBOT]
        orientation = p.getQuaternionFromEuler((math.pi, 0.0, float(command[3])), physicsClientId=cid)
        solution = p.calculateInverseKinematics(
            body,
            robot.ee_link,
            command[:3].tolist(),
            orientation,
            **self._ik_null_space,
            maxNumIterations=robot.ik_iterations,
            residualThreshold=robot.ik_threshold,
            physicsClientId=cid,
        )
        return solution[: len(robot.arm_joints)]

    def _hold(self, joints: tuple[int, ...], targets: Vector) -> None:
        robot = self._require_robot()
        count = len(joints)
        p.setJointMotorControlArray(
            self._ids[ROBOT],
            joints,
            p.POSITION_CONTROL,
            targetPositions=list(targets),
            targetVelocities=[0.0] * count,
            forces=robot.arm_forces,
            positionGains=[robot.position_gain] * count,
            velocityGains=[robot.velocity_gain] * count,
            physicsClientId=self.client,
        )

    def _grip(self, width: float) -> None:
        robot = self._require_robot()
        count = len(robot.finger_joints)
        p.setJointMotorControlArray(
            self._ids[ROBOT],
            robot.finger_joints,
            p.POSITION_CONTROL,
            targetPositions=[width / count] * count,
            forces=[robot.finger_force] * count,
            positionGains=[robot.finger_position_gain] * count,
            physicsClientId=self.client,
        )

    def step(self, substeps: int) -> None:
        for _ in range(substeps):
            p.stepSimulation(physicsClientId=self.client)

    # reading ------------------------------------------------------------------------------
    def read(self) -> WorldState:
        return WorldState(self._read_robot(), self._read_bodies(), self._read_contacts())

    def _read_robot(self) -> RobotState:
        robot, body, cid = self._require_robot(), self._ids[ROBOT], self.client
        states = p.getJointStates(body, self._robot_joints, physicsClientId=cid)
        link = p.getLinkState(
            body, robot.ee_link, computeLinkVelocity=1, computeForwardKinematics=1, physicsClientId=cid
        )
        arm = len(robot.arm_joints)
        positions, velocities, _, torques = zip(*states, strict=True)
        # one read-only array per tick, handed out as views: far cheaper than one array per field
        values = frozen_array(
            positions[:arm] + velocities[:arm] + torques[:arm] + link[4] + link[5] + link[6]
        )
        return RobotState(
            joint_positions=values[:arm],
            joint_velocities=values[arm : 2 * arm],
            joint_torques=values[2 * arm : 3 * arm],
            ee_position=values[3 * arm : 3 * arm + 3],
            ee_orientation=values[3 * arm + 3 : 3 * arm + 7],
            ee_linear_velocity=values[3 * arm + 7 :],
            gripper_width=sum(positions[arm:]),
        )

    def _read_bodies(self) -> Mapping[str, BodyState]:
        cid, bodies = self.client, dict(self._static)
        for label, body in self._dynamic.items():
            position, orientation = p.getBasePositionAndOrientation(body, physicsClientId=cid)
            linear, angular = p.getBaseVelocity(body, physicsClientId=cid)
            values = frozen_array((*position, *orientation, *linear, *angular))
            bodies[label] = BodyState(values[:3], values[3:7], values[7:10], values[10:])
        return MappingProxyType(bodies)

    def _read_contacts(self) -> tuple[Contact, ...]:
        totals: dict[tuple[int, int, int, int], float] = {}
        for point in p.getContactPoints(physicsClientId=self.client):
            key = (point[1], point[3], point[2], point[4])
            totals[key] = totals.get(key, 0.0) + point[9]
        labels, links = self._labels, self._link_names
        return tuple(
            Contact(
                labels.get(a, "?"),
                links.get(la, "base") if labels.get(a) == ROBOT else "base",
                labels.get(b, "?"),
                links.get(lb, "base") if labels.get(b) == ROBOT else "base",
                force,
            )
            for (a, la, b, lb), force in totals.items()
        )

    def close(self) -> None:
        if self.client >= 0:
            p.disconnect(physicsClientId=self.client)
            self.client = -1
