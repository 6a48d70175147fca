"""Deliberately faulty pick and place skills: each breaks one rule, so the self-test can prove it is caught.

Besides a drop and a crash, they exercise a criterion each, end to end: robot_limits (a grasp
aimed into the table), speed_limits (too fast in a collaborative zone), human_contact (a lunge at
the operator's hand), efficiency (idle time) and energy (energy per task).

They are registered under ``roboverify.known_bad_skills``, not as products (docs/selftest.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np

from harness.records import FloatArray
from harness.skill import KnownBad, Observation, TaskInfo
from skills.pick_place import PickPlaceSkill, ee_yaw


class DroppingPickPlaceSkill(KnownBad, PickPlaceSkill):
    """Faulty on purpose: opens the gripper early in the transport, well before the tray."""

    catches = ("failure",)
    supports = ("workstation/pick_place-v1",)

    def _transport(self, observation: Observation) -> None:
        if self.tick - self.phase_tick >= 3:
            self.width = self.tuning.open_width
        self._reach(observation, self.carry, self.grasp_yaw, self.tuning.max_speed)


class CrashingPickPlaceSkill(KnownBad, PickPlaceSkill):
    """Faulty on purpose: raises an exception once the object is lifted."""

    catches = ("skill_error",)
    supports = ("workstation/pick_place-v1",)

    def _lift(self, observation: Observation) -> None:
        if self.tick - self.phase_tick > 5:
            raise RuntimeError("controller state corrupted (deliberate fault for harness tests)")
        super()._lift(observation)


class TableStrikingPickPlaceSkill(KnownBad, PickPlaceSkill):
    """Faulty on purpose: aims its grasps 4 cm below the table top, so the fingers drive into the table."""

    catches = ("robot_limits",)
    supports = ("workstation/pick_place-v1",)

    def _grasp_z(self, position: FloatArray) -> float:
        return self.table_z - 0.04


CELL_ZONE = {
    "name": "shared_cell",
    "low": [-2.0, -2.0, -1.0],
    "high": [2.0, 2.0, 2.0],
    "tcp_speed_limit": 1.0,
}
"""The whole cell as one collaborative zone, at a limit the reference skill keeps to: its
set-point moves at 0.5 m/s, and the arm peaks near 0.9 m/s as it follows."""


class SpeedingPickPlaceSkill(KnownBad, PickPlaceSkill):
    """Faulty on purpose: moves at 2 m/s through a collaborative zone limited to 1 m/s."""

    catches = ("speed_limits",)
    supports = ("workstation/pick_place-v1",)
    selftest_criteria: ClassVar[Mapping[str, Mapping[str, Any]]] = {
        "speed_limits": {"collaborative_zones": [CELL_ZONE]}
    }

    def __init__(self, **params: Any) -> None:
        super().__init__(**{"max_speed": 2.0, "slow_speed": 1.0, **params})


class LungingCollabPickPlaceSkill(KnownBad, PickPlaceSkill):
    """Faulty on purpose: waits for the operator to reach in, then lunges at their hand."""

    catches = ("safety_stop", "human_contact")
    supports = ("workstation/collab_pick_place-v1",)
    observation_keys: ClassVar[tuple[str, ...]] = (*PickPlaceSkill.observation_keys, "person_hand_positions")
    reach_m: ClassVar[float] = 0.8
    """A hand this close to the end effector is lunged at."""
    overshoot_m: ClassVar[float] = 0.8
    """How far past the hand the set-point jumps: far enough that the arm is still speeding up."""

    def reset(self, task: TaskInfo, rng: np.random.Generator) -> None:
        super().reset(task, rng)
        self.space = task.command_space
        self.hold: FloatArray | None = None

    def act(self, observation: Observation) -> FloatArray:
        ee, hands = observation["ee_position"], observation["person_hand_positions"]
        if self.hold is None:
            self.hold = np.array([*ee, ee_yaw(observation["ee_orientation"]), self.tuning.open_width])
        command = self.hold.copy()
        distances = np.linalg.norm(hands - ee, axis=1)
        nearest = int(np.argmin(distances))
        if distances[nearest] < self.reach_m:
            # the set-point jumps past the hand, towards the body behind it: full speed at the hand
            past = hands[nearest] + self.overshoot_m * (hands[nearest] - ee) / max(distances[nearest], 1e-6)
            command[:3] = np.clip(past, self.space.low[:3], self.space.high[:3])
        return command


class DawdlingPickPlaceSkill(KnownBad, PickPlaceSkill):
    """Faulty on purpose: correct but slow: waits 4 s with every grip and every release."""

    catches = ("efficiency",)
    supports = ("workstation/pick_place-v1",)
    selftest_criteria: ClassVar[Mapping[str, Mapping[str, Any]]] = {"efficiency": {"max_idle_fraction": 0.35}}
    """The reference skill stands still for 12 to 15 % of an episode; this one for about 60 %."""

    def __init__(self, **params: Any) -> None:
        super().__init__(**{"close_s": 4.0, "open_s": 4.0, **params})


class HighLiftingPickPlaceSkill(KnownBad, PickPlaceSkill):
    """Faulty on purpose: wastes energy lifting every part 60 cm high instead of 25 cm."""

    catches = ("energy",)
    supports = ("workstation/pick_place-v1",)
    selftest_criteria: ClassVar[Mapping[str, Mapping[str, Any]]] = {"energy": {"max_energy_wh": 0.095}}
    """The reference skill uses 0.06 to 0.075 Wh per task; this one 0.10 to 0.12 Wh."""

    def __init__(self, **params: Any) -> None:
        super().__init__(**{"transport_z": 0.6, **params})
