"""The simulator-independent world interface that scenarios build on.

A sim backend (``sims/``) implements it around exactly one physics client. Bodies are named by
labels (``robot``, ``table``, ``object:0``) so that contacts and poses carry meaning.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence

from harness.records import FloatArray, WorldState
from harness.skill import CommandSpace

Vector = Sequence[float]
IDENTITY = (0.0, 0.0, 0.0, 1.0)


class World(ABC):
    """One simulated world: built once, reset per episode, stepped at a fixed physics rate."""

    def __init__(self, physics_rate_hz: float) -> None:
        self.physics_rate_hz = physics_rate_hz

    @abstractmethod
    def add_robot(self, model: str, position: Vector, yaw: float = 0.0) -> None:
        """Load the robot model (one per world), labelled ``robot``."""

    @abstractmethod
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
        """Add a box; mass 0 makes it static."""

    @abstractmethod
    def add_asset(self, label: str, asset: str, position: Vector, *, scale: float = 1.0) -> None:
        """Add a fixed model shipped with the backend (e.g. ``tray``)."""

    @abstractmethod
    def set_pose(self, label: str, position: Vector, orientation: Vector = IDENTITY) -> None:
        """Teleport a body (static bodies included) to a new pose, at rest."""

    @abstractmethod
    def remove(self, label: str) -> None: ...

    @abstractmethod
    def has(self, label: str) -> bool: ...

    @abstractmethod
    def bounds(self, label: str) -> tuple[FloatArray, FloatArray]:
        """Axis-aligned bounding box (low corner, high corner) of a body."""

    @abstractmethod
    def save_baseline(self) -> None:
        """Remember the current state as the one every episode starts from."""

    @abstractmethod
    def restore_baseline(self) -> None: ...

    @abstractmethod
    def set_robot_joints(self, positions: Vector) -> None:
        """Place the arm (and gripper) at ``positions`` at rest and hold them there."""

    @abstractmethod
    def home_robot(self) -> None:
        """Place the robot at its model's home pose with the gripper open."""

    @abstractmethod
    def command_spaces(self) -> Mapping[str, CommandSpace]:
        """Command kinds the loaded robot accepts, with hard limits."""

    @abstractmethod
    def apply(self, kind: str, command: FloatArray) -> None:
        """Send an already validated command to the robot's controllers."""

    @abstractmethod
    def step(self, substeps: int) -> None: ...

    @abstractmethod
    def read(self) -> WorldState: ...

    @abstractmethod
    def close(self) -> None: ...
