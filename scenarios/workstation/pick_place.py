"""``workstation/pick_place``: a Franka Panda moves cubes from a table into a tray.

Success: every object rests inside the tray's flat floor (low speed for ``rest_s``) within the
time budget. Failure: an object is dropped outside the tray after being lifted, or leaves the
table. Objects' pose, size, mass and friction and the tray's position are randomised per seed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from harness.distributions import Uniform
from harness.faults import ArmedFault
from harness.records import BodyState, TaskEvent, TaskStatus, WorldState
from harness.scenario import Conditions, Parameter, Scenario
from harness.skill import Observation
from harness.world import World
from scenarios.placement import spread_apart

FINGERS = ("panda_leftfinger", "panda_rightfinger")


@dataclass(frozen=True)
class Layout:
    """Fixed geometry of the cell (metres, world frame; the table top is z = 0)."""

    table_center: tuple[float, float] = (0.35, 0.10)
    table_half_extents: tuple[float, float, float] = (0.60, 0.80, 0.025)
    floor_z: float = -0.70
    robot_base: tuple[float, float, float] = (0.0, 0.0, 0.0)
    tray_floor_height: float = 0.015  # tray floor surface above the table top
    tray_inner_half: float = 0.209  # half width of the tray's flat floor
    tray_outer_half: float = 0.301  # half width at the top of its rim
    min_object_separation: float = 0.11
    rest_s: float = 0.3
    rest_speed: float = 0.05
    rest_height_tolerance: float = 0.012
    lift_height: float = 0.02  # an object this far above its resting height counts as lifted
    release_ticks: int = 3  # ticks without finger contact before a lifted object counts as let go


def _object(low: float, high: float, units: str, doc: str) -> Parameter:
    return Parameter(Uniform(low=low, high=high), units, doc, per_object=True)


class PickPlaceScenario(Scenario):
    """Pick cubes from a table and place them in a tray (Franka Panda)."""

    parameters: ClassVar[Mapping[str, Parameter]] = {
        "object_x": _object(0.35, 0.65, "m", "object centre, x"),
        "object_y": _object(-0.25, 0.0, "m", "object centre, y"),
        "object_yaw": _object(-math.pi, math.pi, "rad", "object rotation about z"),
        "object_size": _object(0.04, 0.06, "m", "cube edge length"),
        "object_mass": _object(0.05, 0.30, "kg", "object mass"),
        "object_friction": _object(0.6, 1.2, "", "lateral friction coefficient"),
        "tray_x": Parameter(Uniform(low=0.42, high=0.48), "m", "tray centre, x"),
        "tray_y": Parameter(Uniform(low=0.39, high=0.45), "m", "tray centre, y"),
    }
    observation_keys: ClassVar[tuple[str, ...]] = (
        "joint_positions",
        "joint_velocities",
        "gripper_width",
        "ee_position",
        "ee_orientation",
        "object_positions",
        "object_orientations",
        "object_sizes",
        "tray_position",
    )
    builtin_specs: ClassVar[Mapping[str, str]] = {"workstation/pick_place-v1": "pick_place-v1.yaml"}
    reference_skill: ClassVar[str | None] = "pick_place"
    fault_kinds: ClassVar[frozenset[str]] = frozenset({"object_slip"})
    task_events: ClassVar[tuple[str, ...]] = ("grasped", "released", "dropped", "slipped")
    layout = Layout()

    # building and resetting -------------------------------------------------------------------
    def build(self, world: World) -> None:
        layout = self.layout
        world.add_box("floor", (3.0, 3.0, 0.01), (0.0, 0.0, layout.floor_z - 0.01))
        table_z = -layout.table_half_extents[2]
        world.add_box(
            "table",
            layout.table_half_extents,
            (*layout.table_center, table_z),
            friction=0.5,
            color=(0.55, 0.45, 0.35, 1.0),
        )
        world.add_robot(self.spec.robot, layout.robot_base)
        world.add_asset("tray", "tray", (0.45, 0.42, 0.0))
        self._labels = [f"object:{i}" for i in range(self.spec.objects.count)]
        self._noisy = [(key, std) for key, std in self.spec.observation_noise.items() if std > 0]

    def sample_conditions(self, rng: np.random.Generator) -> Conditions:
        conditions = super().sample_conditions(rng)
        separation = self.layout.min_object_separation
        return spread_apart(conditions, self.distributions(), rng, ("object_x", "object_y"), separation)

    def reset(self, world: World, conditions: Conditions) -> None:
        world.restore_baseline()
        world.set_pose("tray", (conditions["tray_x"], conditions["tray_y"], 0.0))
        world.home_robot()
        self._place_objects(world, conditions)

    def next_cycle(self, world: World, conditions: Conditions) -> None:
        """Fresh cubes on the table; the placed ones leave with the tray's contents, which stays."""
        for label in self._labels:
            world.remove(label)
        tray = {"tray_x": self._conditions["tray_x"], "tray_y": self._conditions["tray_y"]}
        self._place_objects(world, {**conditions, **tray})

    def _place_objects(self, world: World, conditions: Conditions) -> None:
        for index, label in enumerate(self._labels):
            half = conditions["object_size"][index] / 2
            yaw = conditions["object_yaw"][index]
            world.add_box(
                label,
                (half, half, half),
                (conditions["object_x"][index], conditions["object_y"][index], half),
                (0.0, 0.0, math.sin(yaw / 2), math.cos(yaw / 2)),
                mass=conditions["object_mass"][index],
                friction=conditions["object_friction"][index],
                color=(0.85, 0.25, 0.2, 1.0),
            )
        self._conditions = conditions
        self._sizes = np.array([[s, s, s] for s in conditions["object_size"]])
        self._tray = np.array([conditions["tray_x"], conditions["tray_y"], 0.0])
        self._half = [size / 2 for size in conditions["object_size"]]
        self._tray_xy = (float(conditions["tray_x"]), float(conditions["tray_y"]))
        self._rest_ticks = math.ceil(self.layout.rest_s * self.spec.control_rate_hz)
        self._resting = [0] * len(self._labels)
        self._lifted = [False] * len(self._labels)
        self._untouched = [0] * len(self._labels)
        self._finger_state: WorldState | None = None
        self._fingers_on: dict[str, set[str]] = {}
        self._failure = ""
        self._counts = {"grasps": 0, "drops": 0}
        self._slipped: set[str] = set()  # let go by an injected slip, not by the skill

    def goal(self) -> Mapping[str, Any]:
        layout = self.layout
        return {
            "object_count": self.spec.objects.count,
            "table_height": 0.0,
            "tray_floor_height": layout.tray_floor_height,
            "tray_inner_half_extent": layout.tray_inner_half,
            "tray_outer_half_extent": layout.tray_outer_half,
        }

    # observing --------------------------------------------------------------------------------
    def observation_shapes(self) -> Mapping[str, tuple[int, ...]]:
        n = self.spec.objects.count
        return {
            "joint_positions": (7,),
            "joint_velocities": (7,),
            "gripper_width": (1,),
            "ee_position": (3,),
            "ee_orientation": (4,),
            "object_positions": (n, 3),
            "object_orientations": (n, 4),
            "object_sizes": (n, 3),
            "tray_position": (3,),
        }

    def observe(self, state: WorldState, rng: np.random.Generator) -> Observation:
        robot, bodies = state.robot, state.bodies
        observation = {
            "joint_positions": robot.joint_positions,
            "joint_velocities": robot.joint_velocities,
            "gripper_width": np.array([robot.gripper_width]),
            "ee_position": robot.ee_position,
            "ee_orientation": robot.ee_orientation,
            "object_positions": np.array([bodies[label].position for label in self._labels]),
            "object_orientations": np.array([bodies[label].orientation for label in self._labels]),
            "object_sizes": self._sizes,
            "tray_position": self._tray,
        }
        for key, std in self._noisy:
            observation[key] = observation[key] + rng.normal(0.0, std, observation[key].shape)
        return observation

    # judging ------------------------------------------------------------------------------------
    def events(self, state: WorldState, tick: int) -> tuple[TaskEvent, ...]:
        """``grasped`` when both fingers lift an object; ``released``/``dropped`` when they let go."""
        events = []
        for index, label in enumerate(self._labels):
            body = state.bodies[label]
            fingers = self._fingers_touching(state, label)
            if fingers == len(FINGERS) and body.position[2] > self._half[index] + self.layout.lift_height:
                if not self._lifted[index]:
                    events.append(TaskEvent("grasped", label))
                    self._counts["grasps"] += 1
                    self._slipped.discard(label)
                self._lifted[index], self._untouched[index] = True, 0
            elif self._lifted[index] and fingers == 0:
                self._untouched[index] += 1  # a few ticks, so a finger slipping for a moment is no drop
                if self._untouched[index] >= self.layout.release_ticks:
                    self._lifted[index] = False
                    events.append(self._release(label, body.position, tick))
            else:
                self._untouched[index] = 0
        return tuple(events)

    def _fingers_touching(self, state: WorldState, label: str) -> int:
        # events and status both ask, every tick: scan the contacts once per state
        if self._finger_state is not state:
            self._finger_state, self._fingers_on = state, {}
            for c in state.contacts:  # one pass for every object: which fingers touch it
                if c.body_a == "robot" and c.link_a in FINGERS:
                    self._fingers_on.setdefault(c.body_b, set()).add(c.link_a)
                elif c.body_b == "robot" and c.link_b in FINGERS:
                    self._fingers_on.setdefault(c.body_a, set()).add(c.link_b)
        return len(self._fingers_on.get(label, ()))

    def _release(self, label: str, position: Any, tick: int) -> TaskEvent:
        if self._inside_tray(position, 0.0):
            return TaskEvent("released", label)
        if label in self._slipped:  # the harness made it fall: the skill may pick it up again
            return TaskEvent("slipped", label)
        self._counts["drops"] += 1
        self._failure = self._failure or f"{label} dropped outside the tray at tick {tick}"
        return TaskEvent("dropped", label)

    def status(self, state: WorldState, tick: int) -> TaskStatus:
        for index, label in enumerate(self._labels):
            body = state.bodies[label]
            if body.position[2] < -0.1:
                self._failure = self._failure or f"{label} fell off the table at tick {tick}"
            resting = self._at_rest_in_tray(body, index) and not self._fingers_touching(state, label)
            self._resting[index] = self._resting[index] + 1 if resting else 0
        if self._failure:
            return TaskStatus.FAILED
        if min(self._resting) >= self._rest_ticks:
            return TaskStatus.SUCCEEDED
        return TaskStatus.RUNNING

    def _at_rest_in_tray(self, body: BodyState, index: int) -> bool:
        # plain floats: this runs every tick for every object
        layout, half = self.layout, self._half[index]
        x, y, z = body.position.tolist()
        vx, vy, vz = body.linear_velocity.tolist()
        return (
            self._inside_tray((x, y), half)
            and abs(z - (layout.tray_floor_height + half)) <= layout.rest_height_tolerance
            and vx * vx + vy * vy + vz * vz < layout.rest_speed**2
        )

    def _inside_tray(self, xy: Any, margin: float) -> bool:
        limit = self.layout.tray_inner_half - margin
        return abs(float(xy[0]) - self._tray_xy[0]) <= limit and abs(float(xy[1]) - self._tray_xy[1]) <= limit

    def inject_fault(self, world: World, fault: ArmedFault, state: WorldState) -> str | None:
        label = self._slip_subject(fault)
        if label is None:
            return None  # nothing in the gripper to slip: try again next tick
        fault.subject = label
        world.set_collisions(label, "robot", False)  # it falls through the fingers
        self._slipped.add(label)
        return f"{label} slips out of the gripper"

    def clear_fault(self, world: World, fault: ArmedFault) -> None:
        world.set_collisions(fault.subject, "robot", True)

    def _slip_subject(self, fault: ArmedFault) -> str | None:
        """The held object the fault's event named, else the first one held now, else none."""
        held = [label for i, label in enumerate(self._labels) if self._lifted[i]]
        if fault.subject in held:
            return fault.subject
        return held[0] if held else None

    def failure_reason(self) -> str:
        return self._failure

    def episode_metrics(self) -> dict[str, float]:
        return {
            "objects_placed": float(sum(1 for count in self._resting if count > 0)),
            "grasps": float(self._counts["grasps"]),
            "drops": float(self._counts["drops"]),
        }
