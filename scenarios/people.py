"""People walking through a scenario: paths as pure functions of time, for the human proxy.

A walker's pose depends only on the tick (never on accumulated floats), so an episode is
reproducible whatever happened before it. Walkers go back and forth along a polyline.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from harness.world import World

Point = tuple[float, float]


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


def place_walker(
    world: World, label: str, path: WalkingPath, time_s: float, floor_z: float = 0.0
) -> WalkerPose:
    """Move a human proxy to where ``path`` puts it at ``time_s``, with its walking velocity."""
    pose = path.pose_at(time_s)
    half_yaw = pose.yaw / 2
    world.set_pose(
        label,
        (pose.x, pose.y, floor_z),
        (0.0, 0.0, math.sin(half_yaw), math.cos(half_yaw)),
        (pose.vx, pose.vy, 0.0),
    )
    return pose
