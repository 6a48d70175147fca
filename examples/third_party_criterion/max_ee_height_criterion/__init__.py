"""A third-party roboverify criterion: every robot's end effector stays below a height."""

from __future__ import annotations

import math

from pydantic import Field

from harness import Criterion
from harness.criterion import CriterionParams, EpisodeContext, EpisodeEnd
from harness.records import StepRecord
from harness.results import CriterionResult, Verdict


class MaxEeHeightParams(CriterionParams):
    max_z: float = Field(1.0, description="Highest allowed end-effector z, metres (world frame).")


class MaxEeHeight(Criterion[MaxEeHeightParams]):
    """The highest end-effector z reached in the episode, against ``max_z``."""

    name = "max_ee_height"
    units = "m"

    def reset(self, context: EpisodeContext) -> None:
        self.highest = -math.inf

    def fold(self, record: StepRecord) -> str | None:
        for robot in record.state.robots.values():
            if robot.ee_position.size:
                self.highest = max(self.highest, float(robot.ee_position[2]))
        return None

    def result(self, end: EpisodeEnd) -> CriterionResult:
        params = self.params
        if math.isinf(self.highest):
            return self.judged(Verdict.NOT_APPLICABLE)  # no robot has an end effector
        return self.judged(
            Verdict.PASS if self.highest <= params.max_z else Verdict.FAIL,
            measured=self.highest,
            threshold=params.max_z,
            margin=params.max_z - self.highest,
        )
