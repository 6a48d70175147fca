"""People walking through a scenario: paths as pure functions of time, for the human proxy.

A walker's pose depends only on the tick (never on accumulated floats), so an episode is
reproducible whatever happened before it. Walkers go back and forth along a polyline; a
visitor walks up to a place, reaches in with one arm, withdraws and walks back.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from harness.world import World

Point = tuple[float, float]

# the human proxy's arm (``World.set_human_arm``; tests check that the simulator's proxy agrees)
SHOULDER = (0.0, 0.22, 1.39)
"""The left shoulder joint in the proxy's frame (facing +x, feet at the origin), m; the right
one mirrors it across the body's midplane."""
UPPER_ARM_M = 0.28  # shoulder to elbow
FOREARM_M = 0.30  # elbow to the centre of the hand


@dataclass(frozen=True)
class WalkerPose:
    x: float
    y: float
    yaw: float
    vx: float
    vy: float


@dataclass(frozen=True)
class WalkingPath:
    """Walk ``waypoints`` at ``speed`` m/s, turn round at the end, walk back, and so on."""

    waypoints: tuple[Point, ...]
    speed: float
    start_offset: float = 0.0  # metres along the path at time zero
    _lengths: tuple[float, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if len(self.waypoints) < 2:
            raise ValueError("a walking path needs at least two waypoints")
        lengths = tuple(math.dist(a, b) for a, b in zip(self.waypoints, self.waypoints[1:], strict=False))
        object.__setattr__(self, "_lengths", lengths)

    @property
    def length(self) -> float:
        return sum(self._lengths)

    def pose_at(self, time_s: float) -> WalkerPose:
        total = self.length
        travelled = (self.start_offset + self.speed * time_s) % (2 * total) if total > 0 else 0.0
        forward = travelled <= total
        distance = travelled if forward else 2 * total - travelled
        (x0, y0), (x1, y1), fraction = self._segment_at(distance)
        heading = math.atan2(y1 - y0, x1 - x0) + (0.0 if forward else math.pi)
        x, y = x0 + (x1 - x0) * fraction, y0 + (y1 - y0) * fraction
        return WalkerPose(x, y, heading, self.speed * math.cos(heading), self.speed * math.sin(heading))

    def _segment_at(self, distance: float) -> tuple[Point, Point, float]:
        for (start, end), length in zip(
            zip(self.waypoints, self.waypoints[1:], strict=False), self._lengths, strict=True
        ):
            if distance <= length or length == 0.0:
                return start, end, distance / length if length > 0 else 0.0
            distance -= length
        return self.waypoints[-2], self.waypoints[-1], 1.0

    def at_end(self) -> WalkerPose:
        """Standing still at the last waypoint, facing the way the path arrived."""
        (x0, y0), (x1, y1) = self.waypoints[-2], self.waypoints[-1]
        return WalkerPose(x1, y1, math.atan2(y1 - y0, x1 - x0), 0.0, 0.0)


def hand_position(
    pose: WalkerPose, side: str, shoulder: float, elbow: float, floor_z: float = 0.0
) -> tuple[float, float, float]:
    """World position of the centre of a proxy's hand standing at ``pose`` with one arm at
    ``shoulder`` pitch and ``elbow`` flexion (radians, as ``World.set_human_arm`` takes them)."""
    forward = UPPER_ARM_M * math.sin(shoulder) + FOREARM_M * math.sin(shoulder + elbow)
    height = SHOULDER[2] - UPPER_ARM_M * math.cos(shoulder) - FOREARM_M * math.cos(shoulder + elbow)
    lateral = SHOULDER[1] if side == "left" else -SHOULDER[1]
    cos_yaw, sin_yaw = math.cos(pose.yaw), math.sin(pose.yaw)
    return (
        pose.x + cos_yaw * forward - sin_yaw * lateral,
        pose.y + sin_yaw * forward + cos_yaw * lateral,
        floor_z + height,
    )


def arm_angles(forward: float, drop: float) -> tuple[float, float]:
    """Shoulder pitch and elbow flexion (radians) that put the centre of the hand ``forward``
    metres in front of the shoulder and ``drop`` metres below it, the elbow bent the way a
    person's bends; a point out of reach gets the arm stretched straight towards it."""
    cos_elbow = (forward**2 + drop**2 - UPPER_ARM_M**2 - FOREARM_M**2) / (2 * UPPER_ARM_M * FOREARM_M)
    elbow = math.acos(min(1.0, max(-1.0, cos_elbow)))
    towards = math.atan2(forward, drop)  # from straight down, forwards
    return towards - math.atan2(FOREARM_M * math.sin(elbow), UPPER_ARM_M + FOREARM_M * math.cos(elbow)), elbow


@dataclass(frozen=True)
class Reach:
    """One arm moved to ``shoulder`` pitch and ``elbow`` flexion (radians) and back."""

    side: str  # "left" or "right"
    shoulder: float
    elbow: float


def _smooth(fraction: float) -> float:
    """0 to 1 with zero speed at both ends (a cosine ramp)."""
    return 0.5 - 0.5 * math.cos(math.pi * fraction)


@dataclass(frozen=True)
class ReachingVisit:
    """Walk ``path`` (from its first waypoint) to its end and stand; after ``delay_s`` reach in
    with one arm over ``move_s``, hold it there for ``hold_s``, withdraw it over ``move_s`` and
    walk the path back; then again, and again. ``start_s`` is the time into the cycle at zero."""

    path: WalkingPath
    reach: Reach
    delay_s: float
    move_s: float
    hold_s: float
    start_s: float = 0.0

    @property
    def walk_s(self) -> float:
        return self.path.length / self.path.speed

    @property
    def stand_s(self) -> float:
        return self.delay_s + 2 * self.move_s + self.hold_s

    def at(self, time_s: float) -> tuple[WalkerPose, float]:
        """Where the person is, and how far the arm is out: 0 hanging, 1 at the reach's angles."""
        walk, stand = self.walk_s, self.stand_s
        into = (self.start_s + time_s) % (2 * walk + stand)
        if into < walk:
            return self.path.pose_at(into), 0.0
        if into > walk + stand:
            return self.path.pose_at(walk + (into - walk - stand)), 0.0
        return self.path.at_end(), self._extension(into - walk - self.delay_s)

    def _extension(self, time_s: float) -> float:
        move, hold = self.move_s, self.hold_s
        if time_s <= 0.0 or time_s >= 2 * move + hold:
            return 0.0
        if time_s < move:
            return _smooth(time_s / move)
        if time_s <= move + hold:
            return 1.0
        return _smooth((2 * move + hold - time_s) / move)


def place_walker(
    world: World, label: str, path: WalkingPath, time_s: float, floor_z: float = 0.0
) -> WalkerPose:
    """Move a human proxy to where ``path`` puts it at ``time_s``, with its walking velocity."""
    pose = path.pose_at(time_s)
    _place(world, label, pose, floor_z)
    return pose


def place_visitor(
    world: World, label: str, visit: ReachingVisit, time_s: float, floor_z: float = 0.0
) -> tuple[WalkerPose, float, float]:
    """Move a human proxy and its reaching arm to where ``visit`` has them at ``time_s``;
    returns the pose and the arm's shoulder and elbow angles."""
    pose, extension = visit.at(time_s)
    _place(world, label, pose, floor_z)
    reach = visit.reach
    shoulder, elbow = extension * reach.shoulder, extension * reach.elbow
    world.set_human_arm(label, reach.side, shoulder, elbow)
    return pose, shoulder, elbow


def _place(world: World, label: str, pose: WalkerPose, floor_z: float) -> None:
    half_yaw = pose.yaw / 2
    world.set_pose(
        label,
        (pose.x, pose.y, floor_z),
        (0.0, 0.0, math.sin(half_yaw), math.cos(half_yaw)),
        (pose.vx, pose.vy, 0.0),
    )
