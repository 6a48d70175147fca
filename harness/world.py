"""The simulator-independent world interface that scenarios build on.

A sim backend (``sims/``) implements it around exactly one physics client. Bodies are named by
labels (``robot``, ``table``, ``object:0``, ``human:0``) so that contacts, poses and
separations carry meaning. Robots are bodies too; the first one is labelled ``robot``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence

from harness.records import PRIMARY_ROBOT, FloatArray, RobotHardLimits, WorldState
from harness.skill import CommandSpace

Vector = Sequence[float]
IDENTITY = (0.0, 0.0, 0.0, 1.0)

HUMAN_REGIONS = (
    "skull", "face", "neck", "back", "chest", "abdomen", "pelvis",
    "upper_arm_left", "upper_arm_right", "lower_arm_left", "lower_arm_right", "hand_left", "hand_right",
    "thigh_left", "thigh_right", "lower_leg_left", "lower_leg_right",
)  # fmt: skip
"""Link names of the human proxy: the body regions of ISO/TS 15066 (see docs/standards.md §1)."""


class World(ABC):
    """One simulated world: built once, reset per episode, stepped at a fixed physics rate."""

    restores_exactly = True
    """False once the world holds something ``restore_baseline`` cannot bring back bit for bit;
    the engine then builds a fresh world for every episode instead (slower, still exact)."""

    def __init__(self, physics_rate_hz: float) -> None:
        self.physics_rate_hz = physics_rate_hz

    @abstractmethod
    def add_robot(self, model: str, position: Vector, yaw: float = 0.0, label: str = PRIMARY_ROBOT) -> None:
        """Load a robot model; a world's first robot is labelled ``robot``."""

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

    def add_boxes(
        self,
        label: str,
        boxes: Sequence[tuple[Vector, Vector]],
        position: Vector,
        mass: float = 0.0,
        friction: float = 0.8,
        color: Vector = (0.6, 0.6, 0.6, 1.0),
    ) -> None:
        """Add one rigid body made of boxes, each given as (half extents, offset from ``position``),
        e.g. a tote: far cheaper to simulate than the same boxes welded together."""
        raise NotImplementedError(f"{type(self).__name__} cannot build bodies from several boxes")

    @abstractmethod
    def add_asset(self, label: str, asset: str, position: Vector, *, scale: float = 1.0) -> None:
        """Add a fixed model shipped with the backend (e.g. ``tray``)."""

    def add_human(self, label: str, position: Vector, yaw: float = 0.0) -> None:
        """Add a human proxy whose links are named by :data:`HUMAN_REGIONS`; moved with ``set_pose``."""
        raise NotImplementedError(f"{type(self).__name__} has no human proxy")

    def set_human_arm(self, label: str, side: str, shoulder: float, elbow: float) -> None:
        """Pose one arm of a human proxy: ``side`` is ``left`` or ``right``, ``shoulder`` the
        pitch of the upper arm and ``elbow`` the flexion of the forearm, in radians; both 0 with
        the arm hanging at the side, positive swinging forward, the way the proxy faces. The
        pose holds until set again (``restore_baseline`` lowers the arms); a kinematic reset,
        like ``set_pose``."""
        raise NotImplementedError(f"{type(self).__name__} has no articulated human proxy")

    @abstractmethod
    def set_pose(
        self,
        label: str,
        position: Vector,
        orientation: Vector = IDENTITY,
        linear_velocity: Vector | None = None,
    ) -> None:
        """Teleport a body to a new pose. For a static (kinematically moved) body, the given
        velocity is what :meth:`read` reports for it; dynamic bodies are left at rest."""

    @abstractmethod
    def remove(self, label: str) -> None: ...

    @abstractmethod
    def has(self, label: str) -> bool: ...

    def set_link_velocity(self, label: str, link: str, velocity: Vector) -> None:
        """The velocity one link of a kinematically moved body (a person's hand) reports from now
        on, for contacts' approach speed; scenarios that swing an arm set it every tick."""
        raise NotImplementedError(f"{type(self).__name__} cannot give a link its own velocity")

    def set_collisions(self, label_a: str, label_b: str, enabled: bool) -> None:
        """Let two bodies pass through each other (``enabled=False``) or collide again, e.g. to
        make a held object slip out of the gripper. Bodies removed by a reset forget it."""
        raise NotImplementedError(f"{type(self).__name__} cannot switch collisions between bodies")

    @abstractmethod
    def bounds(self, label: str) -> tuple[FloatArray, FloatArray]:
        """Axis-aligned bounding box (low corner, high corner) of a body."""

    def attach(self, child: str, parent: str) -> None:
        """Weld ``child`` to ``parent`` where it is now, e.g. a tote onto a mobile base.

        The welded bodies move as one rigid assembly: they no longer collide with each other,
        nor with other bodies welded to the same parent. Meant for :meth:`build` (the weld
        belongs to the baseline).
        """
        raise NotImplementedError(f"{type(self).__name__} cannot attach bodies")

    def track_separation(self, body_a: str, body_b: str, max_distance: float = 10.0) -> None:
        """Report the closest distance between two bodies in every :meth:`read` (up to max)."""
        raise NotImplementedError(f"{type(self).__name__} cannot measure separations")

    def ray_distances(
        self, origins: Sequence[Vector], directions: Sequence[Vector], max_distance: float
    ) -> FloatArray:
        """Distance from each origin along its (unit) direction to the first body the ray hits, or
        ``max_distance`` if it hits nothing that close: a range sensor. Rays start where they
        are given, so a robot casting them starts them outside its own body."""
        raise NotImplementedError(f"{type(self).__name__} cannot cast rays")

    @abstractmethod
    def save_baseline(self) -> None:
        """Remember the current state as the one every episode starts from."""

    @abstractmethod
    def restore_baseline(self) -> None: ...

    @abstractmethod
    def set_robot_joints(self, positions: Vector, robot: str = PRIMARY_ROBOT) -> None:
        """Place the arm (and gripper) at ``positions`` at rest and hold them there."""

    @abstractmethod
    def home_robot(self, robot: str = PRIMARY_ROBOT) -> None:
        """Place the robot at its model's home pose (gripper open), at rest."""

    def robot_limits(self) -> Mapping[str, RobotHardLimits]:
        """Hard limits of every robot in the world, by label."""
        return {}

    @abstractmethod
    def command_spaces(self, robot: str = PRIMARY_ROBOT) -> Mapping[str, CommandSpace]:
        """Command kinds a robot accepts, with hard limits."""

    @abstractmethod
    def apply(self, kind: str, command: FloatArray, robot: str = PRIMARY_ROBOT) -> None:
        """Send an already validated command to a robot's controllers."""

    @abstractmethod
    def step(self, substeps: int) -> None: ...

    @abstractmethod
    def read(self) -> WorldState: ...

    @abstractmethod
    def close(self) -> None: ...
