"""A PyBullet world: exactly one physics client, every call names it.

Built once per worker; ``restore_baseline`` brings it back to the saved state between
episodes, removing whatever the episode added, which is far cheaper than reloading URDFs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Literal

import numpy as np
import pybullet_data

from harness.errors import SimError, UsageError, unknown_name_message
from harness.records import (
    PRIMARY_ROBOT,
    ZERO3,
    BodyState,
    FloatArray,
    RobotHardLimits,
    RobotState,
    WorldState,
    frozen_array,
)
from harness.skill import CommandSpace
from harness.world import IDENTITY, Vector, World
from sims.pybullet.bodies import create_box, create_boxes, load_asset, weld
from sims.pybullet.bullet import p
from sims.pybullet.drivers import ArmDriver, MobileBaseDriver, RobotDriver, pack_body
from sims.pybullet.human import REGIONS, build_human, pose_arm
from sims.pybullet.quiet import quiet_native_output
from sims.pybullet.robots import ROBOTS, ArmModel
from sims.pybullet.sensing import ContactReader, ray_distances

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
        self._drivers: dict[str, RobotDriver] = {}
        self._mobile: list[MobileBaseDriver] = []
        self._link_names: dict[int, dict[int, str]] = {}
        self._link_indices: dict[int, dict[str, int]] = {}
        self._contacts = ContactReader(cid, self._ids, self._labels, self._link_names, self._static)
        # per parent, the bodies welded to it: the next one welded must not collide with them
        self._welded: dict[int, list[int]] = {}
        self._baseline: tuple[int, dict[str, BodyState]] | None = None

    # building -----------------------------------------------------------------------------
    def add_robot(self, model: str, position: Vector, yaw: float = 0.0, label: str = PRIMARY_ROBOT) -> None:
        if model not in ROBOTS:
            raise UsageError(unknown_name_message("robot", model, list(ROBOTS)))
        if self._drivers and label == PRIMARY_ROBOT:
            raise UsageError("a world's second robot needs its own label")
        robot, cid = ROBOTS[model], self.client
        orientation = p.getQuaternionFromEuler((0.0, 0.0, yaw), physicsClientId=cid)
        fixed = isinstance(robot, ArmModel)
        with quiet_native_output():  # several pybullet_data URDFs lack inertial data and say so
            body = p.loadURDF(robot.urdf, position, orientation, useFixedBase=fixed, physicsClientId=cid)
        self._register(label, body, "robot")  # read through its driver, with the rest of its state
        self._name_links(body)
        if isinstance(robot, ArmModel):
            self._drivers[label] = ArmDriver(cid, body, robot, position)
        else:
            driver = MobileBaseDriver(cid, body, robot)
            self._drivers[label] = driver
            self._mobile.append(driver)

    def _name_links(self, body: int) -> None:
        names = {-1: "base"}
        for joint in range(p.getNumJoints(body, physicsClientId=self.client)):
            names[joint] = p.getJointInfo(body, joint, physicsClientId=self.client)[12].decode()
        self._link_names[body] = names

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
        body = create_box(self.client, half_extents, position, orientation, mass, friction, color)
        self._register(label, body, "static" if mass == 0.0 else "dynamic")

    def add_boxes(
        self,
        label: str,
        boxes: Sequence[tuple[Vector, Vector]],
        position: Vector,
        mass: float = 0.0,
        friction: float = 0.8,
        color: Vector = (0.6, 0.6, 0.6, 1.0),
    ) -> None:
        body = create_boxes(self.client, boxes, position, mass, friction, color)
        self._register(label, body, "static" if mass == 0.0 else "dynamic")

    def add_asset(self, label: str, asset: str, position: Vector, *, scale: float = 1.0) -> None:
        self._register(label, load_asset(self.client, asset, position, scale), "static")

    def add_human(self, label: str, position: Vector, yaw: float = 0.0) -> None:
        orientation = p.getQuaternionFromEuler((0.0, 0.0, yaw), physicsClientId=self.client)
        body = build_human(self.client, (position[0], position[1], position[2]), orientation)
        self._contacts.add_human(body)
        self._register(label, body, "static")
        self._link_names[body] = {-1: "base", **dict(enumerate(REGIONS))}
        # links behind the arm joints are dynamic colliders to PyBullet (massless, they never
        # move by themselves), and restoreState keeps the broadphase pairs they formed, which
        # reorders the solver's work in the next episode: such worlds are rebuilt per episode
        self.restores_exactly = False

    def set_human_arm(self, label: str, side: str, shoulder: float, elbow: float) -> None:
        pose_arm(self.client, self._ids[label], side, shoulder, elbow)

    def set_link_velocity(self, label: str, link: str, velocity: Vector) -> None:
        body = self._ids[label]
        # called every tick while an arm swings: look the link up by name once per body
        indices = self._link_indices.get(body)
        if indices is None:
            indices = self._link_indices[body] = {n: i for i, n in self._link_names.get(body, {}).items()}
        index = indices.get(link)
        if label not in self._static or index is None:
            raise UsageError(f"'{label}' is no kinematically moved body with a link '{link}'")
        self._contacts.set_link_velocity(body, index, velocity)

    def _register(self, label: str, body: int, kind: Literal["static", "dynamic", "robot"]) -> None:
        if label in self._ids:
            raise UsageError(f"a body labelled '{label}' exists already; labels must be unique")
        self._ids[label], self._labels[body] = body, label
        self._contacts.added()
        if kind == "dynamic":
            self._dynamic[label] = body
        elif kind == "static":
            position, orientation = p.getBasePositionAndOrientation(body, physicsClientId=self.client)
            self._static[label] = BodyState(frozen_array(position), frozen_array(orientation), ZERO3, ZERO3)

    def set_pose(
        self,
        label: str,
        position: Vector,
        orientation: Vector = IDENTITY,
        linear_velocity: Vector | None = None,
    ) -> None:
        body = self._ids[label]
        p.resetBasePositionAndOrientation(body, position, orientation, physicsClientId=self.client)
        if label in self._static:
            velocity = ZERO3 if linear_velocity is None else frozen_array(linear_velocity)
            self._static[label] = BodyState(
                frozen_array(position), frozen_array(orientation), velocity, ZERO3
            )

    def remove(self, label: str) -> None:
        if label in self._drivers:
            raise UsageError(f"robot '{label}' cannot be removed; it belongs to the baseline")
        body = self._ids.pop(label)
        del self._labels[body]
        self._contacts.removed(body)
        self._dynamic.pop(label, None)
        self._static.pop(label, None)
        self._link_names.pop(body, None)
        self._link_indices.pop(body, None)
        p.removeBody(body, physicsClientId=self.client)
        # PyBullet refuses removeCollisionShape while any saved state references the shape; the
        # few hundred bytes a box shape takes stay allocated until the world is rebuilt.

    def has(self, label: str) -> bool:
        return label in self._ids

    def set_collisions(self, label_a: str, label_b: str, enabled: bool) -> None:
        body_a, body_b = self._ids[label_a], self._ids[label_b]
        for link_a in self._links_of(body_a):
            for link_b in self._links_of(body_b):
                p.setCollisionFilterPair(
                    body_a, body_b, link_a, link_b, int(enabled), physicsClientId=self.client
                )

    def _links_of(self, body: int) -> range:
        return range(-1, p.getNumJoints(body, physicsClientId=self.client))

    def bounds(self, label: str) -> tuple[FloatArray, FloatArray]:
        low, high = p.getAABB(self._ids[label], physicsClientId=self.client)
        return frozen_array(low), frozen_array(high)

    def attach(self, child: str, parent: str) -> None:
        child_id, parent_id = self._ids[child], self._ids[parent]
        siblings = self._welded.setdefault(parent_id, [])
        weld(self.client, parent_id, child_id, siblings)
        siblings.append(child_id)
        # restoreState does not bring back a constraint's solver state: two episodes on one
        # world drift apart in the last digits, so such worlds are rebuilt per episode
        self.restores_exactly = False

    def track_separation(self, body_a: str, body_b: str, max_distance: float = 10.0) -> None:
        self._contacts.track_separation(body_a, body_b, max_distance)

    def ray_distances(
        self, origins: Sequence[Vector], directions: Sequence[Vector], max_distance: float
    ) -> FloatArray:
        return ray_distances(self.client, origins, directions, max_distance)

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
        # in place: the contact reader shares this table
        self._static.clear()
        self._static.update((label, body) for label, body in bodies.items() if body is not _DYNAMIC)
        for driver in self._drivers.values():
            driver.home()

    def _driver(self, robot: str) -> RobotDriver:
        if robot not in self._drivers:
            raise UsageError(unknown_name_message("robot", robot, list(self._drivers)))
        return self._drivers[robot]

    def set_robot_joints(self, positions: Vector, robot: str = PRIMARY_ROBOT) -> None:
        self._driver(robot).set_joints(positions)

    def home_robot(self, robot: str = PRIMARY_ROBOT) -> None:
        self._driver(robot).home()

    # control ------------------------------------------------------------------------------
    def command_spaces(self, robot: str = PRIMARY_ROBOT) -> Mapping[str, CommandSpace]:
        return self._driver(robot).command_spaces()

    def apply(self, kind: str, command: FloatArray, robot: str = PRIMARY_ROBOT) -> None:
        self._drivers[robot].apply(kind, command)

    def step(self, substeps: int) -> None:
        dt, cid, mobile = 1.0 / self.physics_rate_hz, self.client, self._mobile
        if not mobile:  # arms' position controllers run inside the engine
            for _ in range(substeps):
                p.stepSimulation(physicsClientId=cid)
            return
        for _ in range(substeps):
            for driver in mobile:
                driver.substep(dt)
            p.stepSimulation(physicsClientId=cid)

    # reading ------------------------------------------------------------------------------
    def read(self) -> WorldState:
        robots = {label: driver.read() for label, driver in self._drivers.items()}
        contacts = self._contacts
        return WorldState(
            MappingProxyType(robots), self._read_bodies(), contacts.contacts(), contacts.separations()
        )

    def _read_bodies(self) -> Mapping[str, BodyState]:
        cid, bodies = self.client, dict(self._static)
        for label, body in self._dynamic.items():
            position, orientation = p.getBasePositionAndOrientation(body, physicsClientId=cid)
            linear, angular = p.getBaseVelocity(body, physicsClientId=cid)
            values = np.frombuffer(pack_body(*position, *orientation, *linear, *angular))
            bodies[label] = BodyState(values[:3], values[3:7], values[7:10], values[10:])
        return MappingProxyType(bodies)

    def robot_limits(self) -> Mapping[str, RobotHardLimits]:
        return {label: driver.limits() for label, driver in self._drivers.items()}

    def robot_state(self, robot: str = PRIMARY_ROBOT) -> RobotState:
        return self._driver(robot).read()

    def close(self) -> None:
        if self.client >= 0:
            p.disconnect(physicsClientId=self.client)
            self.client = -1
