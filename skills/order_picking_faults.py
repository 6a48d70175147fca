"""Deliberately faulty order pickers: each breaks one rule, so the self-test can prove it is caught.

They are registered under ``roboverify.known_bad_skills``, not as products (docs/selftest.md).
``order_picking_ignoring_obstacles`` is caught only with a ``blocked_path`` fault, as in
``examples/scenarios/order_picking_blocked_aisle.yaml``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from harness.skill import KnownBad, Observation
from skills.order_picking import OrderPickingSkill
from skills.pick_place import PickPlaceSkill
from skills.pick_place_faults import DroppingPickPlaceSkill


class MispickingOrderPickingSkill(KnownBad, OrderPickingSkill):
    """Faulty on purpose: swaps the last ordered item for one of another type (or adds one)."""

    catches = ("failure",)
    supports = ("warehouse/order_picking-v1",)

    def choose_items(self, observation: Observation) -> list[int]:
        chosen = super().choose_items(observation)
        types = np.rint(observation["item_types"]).astype(int)
        spare = [i for i in range(len(types)) if i not in chosen]
        wrong = [i for i in spare if types[i] != types[chosen[-1]]]
        if wrong:
            return [*chosen[:-1], wrong[0]]
        return [*chosen, spare[0]] if spare else chosen


class DroppingOrderPickingSkill(KnownBad, OrderPickingSkill):
    """Faulty on purpose: opens the gripper on the way to the tote."""

    catches = ("failure",)
    supports = ("warehouse/order_picking-v1",)

    def make_picker(self) -> PickPlaceSkill:
        return DroppingPickPlaceSkill(**self.params.arm.model_dump())


class SpeedingOrderPickingSkill(KnownBad, OrderPickingSkill):
    """Faulty on purpose: drives at full speed whoever is near."""

    catches = ("safety_stop", "speed_separation")
    supports = ("warehouse/order_picking-v1",)

    def __init__(self, **params: Any) -> None:
        super().__init__(**{"cruise_speed": 1.0, **params})

    def separation_limit(self, observation: Observation) -> float:
        return math.inf


class ObstacleIgnoringOrderPickingSkill(KnownBad, OrderPickingSkill):
    """Faulty on purpose: never looks at its range sensor, so it drives into a blocked aisle."""

    catches = ("failure",)
    supports = ("warehouse/order_picking_blocked_aisle-v1",)

    def __init__(self, **params: Any) -> None:
        super().__init__(**{"watch_obstacles": False, **params})


class CollidingOrderPickingSkill(KnownBad, OrderPickingSkill):
    """Faulty on purpose: once clear of the pick station, turns into the rack row (blind to it)."""

    catches = ("failure",)
    supports = ("warehouse/order_picking-v1",)

    def __init__(self, **params: Any) -> None:
        super().__init__(**{"watch_obstacles": False, **params})

    def heading_reference(self, x: float, y: float, lane_y: float) -> float:
        return -1.2 if x > 1.4 else super().heading_reference(x, y, lane_y)


class SlowOrderPickingSkill(KnownBad, OrderPickingSkill):
    """Faulty on purpose: creeps to the packing station and runs out of time."""

    catches = ("timeout",)
    supports = ("warehouse/order_picking-v1",)
    selftest_episodes = 1

    def __init__(self, **params: Any) -> None:
        super().__init__(**{"cruise_speed": 0.03, **params})


class CrashingOrderPickingSkill(KnownBad, OrderPickingSkill):
    """Faulty on purpose: raises an exception as the vehicle sets off."""

    catches = ("skill_error",)
    supports = ("warehouse/order_picking-v1",)

    def drive(self, observation: Observation) -> tuple[float, float]:
        raise RuntimeError("route planner state corrupted (deliberate fault for harness tests)")


class NanOrderPickingSkill(KnownBad, OrderPickingSkill):
    """Faulty on purpose: commands a NaN speed as the vehicle sets off."""

    catches = ("skill_error",)
    supports = ("warehouse/order_picking-v1",)

    def drive(self, observation: Observation) -> tuple[float, float]:
        return math.nan, 0.0
