"""Deliberately faulty patrols: each breaks exactly one rule, so the tests can prove it is caught.

| skill | fault | caught as |
|---|---|---|
| ``patrol_speeding`` | full speed past people | ``safety_stop`` by ``speed_separation`` |
| ``patrol_ignoring_obstacles`` | drives on whatever blocks the aisle | ``failure``: robot hit the obstacle |
| ``patrol_colliding`` | backs out of its dock into the wall behind it | ``failure``: robot hit a wall |
| ``patrol_skipping`` | leaves its last gauge out, then ends the patrol | ``failure``: not inspected |
| ``patrol_false_alarm`` | reports its first normal gauge as anomalous | ``failure``: false alarm |
| ``patrol_missing_anomaly`` | reports every gauge as normal | ``failure``: missed anomaly |
| ``patrol_slow`` | creeps at 0.1 m/s | ``timeout`` |
| ``patrol_crashing`` | raises once it reaches its first gauge | ``skill_error`` |
| ``patrol_nan`` | commands a NaN speed at its first gauge | ``skill_error`` |
"""

from __future__ import annotations

from typing import Any

import numpy as np

from harness.records import FloatArray
from harness.skill import KnownBad, Observation, TaskInfo
from skills.patrol import Mode, PatrolSkill, Point


class SpeedingPatrolSkill(KnownBad, PatrolSkill):
    """Faulty on purpose: drives at the base's top speed and never slows down for people."""

    catches = ("safety_stop", "speed_separation")
    supports = ("inspection/patrol-v1",)

    def __init__(self, **params: Any) -> None:
        super().__init__(**{"cruise_speed": 1.0, "keep_clear": False, **params})


class ObstacleIgnoringPatrolSkill(KnownBad, PatrolSkill):
    """Faulty on purpose: never looks at its range sensor, so it drives into a blocked aisle."""

    catches = ("failure",)
    supports = ("inspection/patrol_blocked_aisle-v1",)

    def __init__(self, **params: Any) -> None:
        super().__init__(**{"watch_obstacles": False, **params})


class CollidingPatrolSkill(KnownBad, PatrolSkill):
    """Faulty on purpose: backs out of its dock without looking, into the wall behind it."""

    catches = ("failure",)
    supports = ("inspection/patrol-v1",)

    def _drive(self, observation: Observation) -> tuple[float, float]:
        return -0.3, 0.0


class SkippingPatrolSkill(KnownBad, PatrolSkill):
    """Faulty on purpose: leaves the last gauge of its route out and still ends the patrol."""

    catches = ("failure",)
    supports = ("inspection/patrol-v1",)

    def make_plan(self, poses: FloatArray, start: Point | None = None) -> list[tuple[Point, int]]:
        plan = super().make_plan(poses, start)
        stops = [i for i, (_, checkpoint) in enumerate(plan) if checkpoint >= 0]
        if stops:
            point, _ = plan[stops[-1]]
            plan[stops[-1]] = (point, -1)  # drive through without stopping to read
        return plan


class FalseAlarmPatrolSkill(KnownBad, PatrolSkill):
    """Faulty on purpose: raises an alarm on the first gauge it finds normal."""

    catches = ("failure",)
    supports = ("inspection/patrol-v1",)

    def reset(self, task: TaskInfo, rng: np.random.Generator) -> None:
        super().reset(task, rng)
        self.alarmed = False

    def judge(self, index: int) -> tuple[int, float, float]:
        index, value, anomalous = super().judge(index)
        if not anomalous and not self.alarmed:
            self.alarmed = True
            return index, value, 1.0
        return index, value, anomalous


class MissingAnomalyPatrolSkill(KnownBad, PatrolSkill):
    """Faulty on purpose: reports every gauge as normal, whatever its anomaly score says."""

    catches = ("failure",)
    supports = ("inspection/patrol-v1",)

    def judge(self, index: int) -> tuple[int, float, float]:
        index, value, _ = super().judge(index)
        return index, value, 0.0


class SlowPatrolSkill(KnownBad, PatrolSkill):
    """Faulty on purpose: creeps along at 0.1 m/s, far too slow for the time budget."""

    catches = ("timeout",)
    supports = ("inspection/patrol-v1",)
    selftest_episodes = 1

    def __init__(self, **params: Any) -> None:
        super().__init__(**{"cruise_speed": 0.1, **params})


class CrashingPatrolSkill(KnownBad, PatrolSkill):
    """Faulty on purpose: raises an exception once it reaches its first gauge."""

    catches = ("skill_error",)
    supports = ("inspection/patrol-v1",)

    def _align(self, observation: Observation) -> tuple[float, float]:
        raise RuntimeError("inspection camera driver lost (deliberate fault for harness tests)")


class NanPatrolSkill(KnownBad, PatrolSkill):
    """Faulty on purpose: commands a NaN forward speed once it reaches its first gauge."""

    catches = ("skill_error",)
    supports = ("inspection/patrol-v1",)

    def act(self, observation: Observation) -> FloatArray:
        command = super().act(observation)
        if self.mode is Mode.ALIGN:
            command[0] = float("nan")
        return command
