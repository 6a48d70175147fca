"""What one control tick leaves behind: frozen, slotted records that criteria fold.

Criteria see these records only, never the simulator, so they can be tested with hand-made
records. Arrays are read-only views; nothing here is mutated after the tick that made it.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]


def frozen_array(values: object) -> FloatArray:
    array = np.array(values, np.float64)
    array.setflags(write=False)
    return array


ZERO3 = frozen_array((0.0, 0.0, 0.0))
EMPTY = frozen_array(())
IDENTITY_QUATERNION = frozen_array((0.0, 0.0, 0.0, 1.0))


class TaskStatus(enum.Enum):
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class BodyState:
    position: FloatArray
    orientation: FloatArray  # quaternion x, y, z, w
    linear_velocity: FloatArray
    angular_velocity: FloatArray


@dataclass(frozen=True, slots=True)
class RobotState:
    """One robot's state. A mobile base without an arm has empty joint and end-effector arrays."""

    base: BodyState
    joint_positions: FloatArray
    joint_velocities: FloatArray
    joint_torques: FloatArray
    ee_position: FloatArray
    ee_orientation: FloatArray
    ee_linear_velocity: FloatArray
    gripper_width: float


@dataclass(frozen=True, slots=True)
class Contact:
    """A contact between two labelled bodies (``robot``, ``object:0``, ``table``, ...).

    ``normal_speed`` is the speed at which the two bodies approach each other along the contact
    normal (m/s, 0 when separating). It is measured for contacts with people only, where the
    ISO/TS 15066 transient-contact check needs it; raw solver forces depend on the time step.
    """

    body_a: str
    link_a: str
    body_b: str
    link_b: str
    normal_force: float
    normal_speed: float = 0.0


@dataclass(frozen=True, slots=True)
class RobotHardLimits:
    """A robot's hard limits, known before the first tick (per arm joint; base for mobiles)."""

    joint_lower: FloatArray
    joint_upper: FloatArray
    joint_max_velocity: FloatArray
    joint_max_torque: FloatArray
    max_base_speed: float = 0.0
    mass: float = 0.0  # kg, the moving mass M of docs/standards.md §1


@dataclass(frozen=True, slots=True)
class Separation:
    """Closest distance between two labelled bodies (and which of their links are closest)."""

    body_a: str
    link_a: str
    body_b: str
    link_b: str
    distance: float


PRIMARY_ROBOT = "robot"


@dataclass(frozen=True, slots=True)
class WorldState:
    robots: Mapping[str, RobotState]
    bodies: Mapping[str, BodyState]
    contacts: tuple[Contact, ...] = ()
    separations: tuple[Separation, ...] = ()

    @property
    def robot(self) -> RobotState:
        """The robot labelled ``robot`` (the only one in single-robot scenarios)."""
        return self.robots[PRIMARY_ROBOT]

    def touching(self, body_a: str, body_b: str) -> list[Contact]:
        return [
            c
            for c in self.contacts
            if (c.body_a == body_a and c.body_b == body_b) or (c.body_a == body_b and c.body_b == body_a)
        ]


@dataclass(frozen=True, slots=True)
class TaskEvent:
    """Something the scenario noticed this tick, e.g. ``grasped`` or ``dropped`` with a subject."""

    name: str
    subject: str = ""


@dataclass(frozen=True, slots=True)
class StepRecord:
    tick: int
    time_s: float
    command: FloatArray
    state: WorldState
    status: TaskStatus = TaskStatus.RUNNING
    events: tuple[TaskEvent, ...] = ()
    metrics: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
