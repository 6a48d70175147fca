"""Free floor for a fault to put something down on: straight corridors, and the spot ahead of a base.

A spot lands on the centreline of the corridor the base is heading down, pulled back into the
corridor if it would lie past its end and slid along it, ``SLIDE`` at a time, while it would
crowd something already standing there.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

SLIDE = 0.25  # m per try when a spot is taken
SLIDES = 24

Disc = tuple[float, float, float]
"""Something to keep clear of on the floor: x, y, radius."""


@dataclass(frozen=True)
class Corridor:
    """A straight stretch of free floor: its centreline runs along ``axis`` (0: x, 1: y) at
    ``centre`` on the other axis, from ``low`` to ``high``, with ``half_width`` of floor either
    side. ``sides`` says from which side (+1: towards larger coordinates) a person may step in."""

    axis: int
    centre: float
    low: float
    high: float
    half_width: float
    sides: tuple[int, ...] = (1, -1)

    def contains(self, x: float, y: float) -> bool:
        along, across = (x, y) if self.axis == 0 else (y, x)
        return self.low <= along <= self.high and abs(across - self.centre) <= self.half_width

    def point(self, along: float, across: float = 0.0) -> tuple[float, float]:
        """World (x, y) of a point ``along`` the axis, ``across`` off the centreline."""
        return (along, self.centre + across) if self.axis == 0 else (self.centre + across, along)


@dataclass(frozen=True)
class Spot:
    """Where a fault puts its body: centre, the corridor's heading (towards the robot's travel)
    and the corridor it is on."""

    x: float
    y: float
    yaw: float
    corridor: Corridor


def spot_ahead(
    corridors: Sequence[Corridor],
    base: tuple[float, float, float],
    distance: float,
    half_depth: float,
    reach: float,
    occupied: Sequence[Disc],
    radius: float,
) -> Spot | None:
    """The free spot nearest ``distance`` ahead of ``base`` (x, y, yaw) on the centreline of the
    corridor the base is heading down, for a body ``half_depth`` deep along it whose near side
    stays ``reach`` or more from the base's centre and which keeps ``radius`` clear of every disc
    in ``occupied``; None if there is none."""
    x, y, yaw = base
    around = [c for c in corridors if c.contains(x, y)]
    if not around:
        return None
    # where two corridors cross, the base is heading down the one most nearly along its heading
    corridor = max(around, key=lambda c: abs(math.cos(yaw - c.axis * math.pi / 2)))
    along_heading = math.cos(yaw - corridor.axis * math.pi / 2)
    sign = 1.0 if along_heading >= 0 else -1.0
    here = x if corridor.axis == 0 else y
    nearest = reach + half_depth  # the body's centre, from the base's centre
    farthest = corridor.high - half_depth - here if sign > 0 else here - corridor.low - half_depth
    target = min(max(distance, nearest), farthest)  # clamped into the corridor
    if target < nearest:
        return None
    # as close to the target as a free spot allows: further along first, then nearer the base
    offsets = [target + k * SLIDE for k in range(SLIDES) if target + k * SLIDE <= farthest]
    offsets += [target - k * SLIDE for k in range(1, SLIDES) if target - k * SLIDE >= nearest]
    for offset in sorted(offsets, key=lambda o: (abs(o - target), -o)):
        px, py = corridor.point(here + sign * offset)
        if all(math.hypot(px - ox, py - oy) >= r + radius for ox, oy, r in occupied):
            heading = corridor.axis * math.pi / 2 + (0.0 if sign > 0 else math.pi)
            return Spot(px, py, heading, corridor)
    return None
