"""Cycle time: seconds of simulated time from the first tick to task success."""

from __future__ import annotations

from pydantic import Field, model_validator

from harness.criterion import Criterion, CriterionParams, EpisodeEnd
from harness.results import CriterionResult, Verdict


class CycleTimeParams(CriterionParams):
    max_s: float = Field(15.0, gt=0, description="Longest acceptable cycle time, seconds.")
    target_s: float | None = Field(
        None, gt=0, description="Cycle times up to this are 'pass'; up to max_s 'acceptable'."
    )

    @model_validator(mode="after")
    def _target_within_max(self) -> CycleTimeParams:
        if self.target_s is not None and self.target_s > self.max_s:
            raise ValueError(f"target_s ({self.target_s:g}) must not exceed max_s ({self.max_s:g})")
        return self


class CycleTime(Criterion[CycleTimeParams]):
    """Not applicable when the task did not succeed: the failure is task success's to report."""

    name = "cycle_time"
    dimension = "efficiency"
    units = "s"

    def result(self, end: EpisodeEnd) -> CriterionResult:
        params = self.params
        if end.success_tick is None:
            return self.not_applicable("task did not succeed", threshold=params.max_s)
        seconds = end.success_tick * end.control_dt
        return self.judged(
            self._verdict(seconds, params),
            measured=seconds,
            threshold=params.max_s,
            margin=params.max_s - seconds,
            details={"target_s": params.target_s},
        )

    @staticmethod
    def _verdict(seconds: float, params: CycleTimeParams) -> Verdict:
        if seconds > params.max_s:
            return Verdict.FAIL
        if params.target_s is not None and seconds > params.target_s:
            return Verdict.ACCEPTABLE
        return Verdict.PASS
