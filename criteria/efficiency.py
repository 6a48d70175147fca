"""Efficiency of one episode: idle time, path lengths and throughput (docs/standards.md §5).

A tick is idle when every robot is effectively stationary: TCP (arms) and base speeds below
``idle_speed``. Path lengths add up the distance the end effector and the base moved between
ticks. Throughput is 3600 / cycle time when the task succeeded (availability is a campaign
figure, applied in the economics summary). ``measured`` is the idle fraction; the details hold
the rest. Thresholds are optional: without any, the criterion only measures.
"""

from __future__ import annotations

import math

from pydantic import Field

from harness.criterion import Criterion, CriterionParams, EpisodeContext, EpisodeEnd
from harness.records import BodyState, StepRecord
from harness.results import CriterionResult, Verdict


class EfficiencyParams(CriterionParams):
    idle_speed: float = Field(0.01, ge=0, description="Below this TCP and base speed (m/s) a robot idles.")
    max_idle_fraction: float | None = Field(None, ge=0, le=1, description="More idle time fails.")
    target_idle_fraction: float | None = Field(
        None, ge=0, le=1, description="Idle fractions up to this pass; up to the maximum are 'acceptable'."
    )
    min_throughput_per_hour: float | None = Field(None, gt=0, description="Slower fails (tasks/h).")


def _distance(a: list[float], b: list[float]) -> float:
    return math.sqrt((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2 + (a[2] - b[2]) ** 2)


def _squared(vector: list[float]) -> float:
    x, y, z = vector
    return sum((x * x, y * y, z * z))  # sum() as before: the same additions in the same order


_Previous = tuple[list[float], BodyState, list[float]]  # end effector position, base, base position


class Efficiency(Criterion[EfficiencyParams]):
    """Idle fraction of the episode, with path lengths and throughput alongside."""

    name = "efficiency"
    dimension = "efficiency"
    units = "fraction idle"

    def reset(self, context: EpisodeContext) -> None:
        self.idle_speed_squared = self.params.idle_speed**2
        self.ticks = self.idle_ticks = 0
        self.ee_path: dict[str, float] = {}
        self.base_path: dict[str, float] = {}
        self.previous: dict[str, _Previous] = {}

    def fold(self, record: StepRecord) -> str | None:
        idle, idle_squared = True, self.idle_speed_squared
        for label, robot in record.state.robots.items():
            ee, base = robot.ee_position.tolist(), robot.base
            previous = self.previous.get(label)
            if previous is None:
                self.previous[label] = (ee, base, base.position.tolist())
            else:
                if ee:
                    self.ee_path[label] = self.ee_path.get(label, 0.0) + _distance(ee, previous[0])
                self.previous[label] = (ee, base, self._move_base(label, base, previous))
            if idle:
                velocity = robot.ee_linear_velocity.tolist() if ee else base.linear_velocity.tolist()
                idle = _squared(velocity) < idle_squared
                if idle and ee:  # an arm on a moving base is not idle either
                    idle = _squared(base.linear_velocity.tolist()) < idle_squared
        self.ticks += 1
        self.idle_ticks += idle
        return None

    def _move_base(self, label: str, base: BodyState, previous: _Previous) -> list[float]:
        """Add the base's path since the last tick; return its position."""
        if base is previous[1]:  # a fixed base reports the same state every tick: it did not move
            self.base_path.setdefault(label, 0.0)
            return previous[2]
        position: list[float] = base.position.tolist()
        self.base_path[label] = self.base_path.get(label, 0.0) + _distance(position, previous[2])
        return position

    def result(self, end: EpisodeEnd) -> CriterionResult:
        params = self.params
        if not self.ticks:
            return self.not_applicable("no tick was recorded")
        fraction = self.idle_ticks / self.ticks
        cycle = end.success_tick * end.control_dt if end.success_tick is not None else None
        throughput = 3600.0 / cycle if cycle else None
        verdict = Verdict.PASS
        if params.target_idle_fraction is not None and fraction > params.target_idle_fraction:
            verdict = Verdict.ACCEPTABLE
        too_slow = (
            params.min_throughput_per_hour is not None
            and (throughput or 0.0) < params.min_throughput_per_hour
        )
        if (params.max_idle_fraction is not None and fraction > params.max_idle_fraction) or too_slow:
            verdict = Verdict.FAIL
        threshold = params.max_idle_fraction
        return self.judged(
            verdict, measured=fraction, threshold=threshold,
            margin=None if threshold is None else threshold - fraction,
            details={
                "idle_s": self.idle_ticks * end.control_dt, "episode_s": self.ticks * end.control_dt,
                "cycle_time_s": cycle, "throughput_per_hour": throughput,
                "ee_path_m": dict(self.ee_path), "base_path_m": dict(self.base_path),
                "min_throughput_per_hour": params.min_throughput_per_hour,
            },
        )  # fmt: skip
