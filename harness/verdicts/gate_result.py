"""A gate's result in the report: its verdict, the numbers behind it and what it promises."""

from __future__ import annotations

from dataclasses import dataclass

from harness.results import EpisodeResult, ReportModel, Verdict
from harness.verdicts.operating import OperatingCharacteristic
from harness.verdicts.statistics import GateVerdict, IntervalMethod

METHOD_NAMES = {"wilson": "Wilson", "exact": "Clopper-Pearson"}


class GateResult(ReportModel):
    rule: str
    scenario: str
    metric: str
    threshold: float
    confidence: float
    measured: float | None
    lower_bound: float | None
    upper_bound: float | None
    verdict: GateVerdict
    p_value: float | None = None
    episodes: int
    note: str = ""
    exact: bool = True
    guarantee: str = ""
    operating_characteristic: OperatingCharacteristic | None = None


@dataclass
class RateCheck:
    """A rate gate's numbers before the family-wise (Holm) decision."""

    index: int
    successes: int
    trials: int
    minimum: float
    confidence: float
    p_value: float
    method: IntervalMethod
    variable: str


def verdict_of(episode: EpisodeResult, criterion: str) -> Verdict:
    """The episode's verdict on ``criterion`` (not applicable when it has none)."""
    for result in episode.criteria:
        if result.name == criterion:
            return result.verdict
    return Verdict.NOT_APPLICABLE
