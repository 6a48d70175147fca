"""Deliberately faulty pick and place skills: each breaks one rule, so the self-test can prove it is caught.

They are registered under ``roboverify.known_bad_skills``, not as products (docs/selftest.md).
"""

from __future__ import annotations

from harness.skill import KnownBad, Observation
from skills.pick_place import PickPlaceSkill


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
