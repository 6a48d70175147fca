"""What the patrolling robot senses: the gauges its camera can read, the people its scanner sees."""

from __future__ import annotations

import math
from collections.abc import Sequence

from harness.records import WorldState
from scenarios.inspection.layout import Layout


def _wrap(angle: float) -> float:
    return (angle + math.pi) % (2 * math.pi) - math.pi


def in_view(layout: Layout, pose: tuple[float, float, float], x: float, y: float, yaw: float) -> bool:
    """Whether a robot at (x, y) heading ``yaw`` can read the gauge at ``pose``: in range, close
    enough to straight ahead, and seen from close enough to the gauge's front."""
    dx, dy = pose[0] - x, pose[1] - y
    if dx * dx + dy * dy > layout.read_range**2:
        return False
    ahead = abs(_wrap(math.atan2(dy, dx) - yaw)) <= layout.read_half_angle
    return ahead and abs(_wrap(math.atan2(-dy, -dx) - pose[2])) <= layout.view_half_angle


def people_seen(
    state: WorldState, watched: Sequence[tuple[int, str]], slots: int, people_range: float, x: float, y: float
) -> tuple[list[float], list[bool]]:
    """The scanner's reading from (x, y): the position of each ``watched`` (slot, person) within
    ``people_range``, flattened, and which slots see someone."""
    positions, seen = [0.0] * (2 * slots), [False] * slots
    limit = people_range**2
    for index, label in watched:
        px, py, _ = state.bodies[label].position.tolist()
        if (px - x) ** 2 + (py - y) ** 2 <= limit:
            positions[2 * index : 2 * index + 2], seen[index] = [px, py], True
    return positions, seen
