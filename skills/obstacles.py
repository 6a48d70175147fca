"""Stopping short of an obstacle that a mobile base's range sensor reports ahead of it."""

from __future__ import annotations

import math

STOP_ROOM = 0.02  # m: closer than this to where it must stop, the base stands still


def obstacle_speed_limit(
    free: float, remaining: float, clearance: float, margin: float, deceleration: float
) -> float:
    """The speed from which the base brakes at ``deceleration`` to a stop ``margin`` short of an
    obstacle ``free`` metres ahead of its bumper, if the obstacle stands before the stop it is
    driving to (``remaining`` metres ahead, plus ``clearance``); else no limit (infinity)."""
    if free >= remaining + clearance:
        return math.inf
    room = free - margin
    return math.sqrt(2 * deceleration * room) if room > STOP_ROOM else 0.0
