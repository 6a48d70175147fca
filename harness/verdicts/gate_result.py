"""A gate's result in the report: its verdict, the numbers behind it and what it promises."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from harness.plan.gates import Gate
from harness.results import EpisodeResult, ReportModel, Verdict
from harness.verdicts.operating import OperatingCharacteristic
from harness.verdicts.statistics import GateVerdict, IntervalMethod

OUTCOME_DIMENSIONS = {
    "failure": "success",
    "timeout": "success",
    "safety_stop": "safety",
    "skill_error": "reliability",
}
METRIC_DIMENSIONS = {
    "success_rate": "success",
    "recovery_rate": "reliability",
    "interventions_per_1000_cycles": "reliability",
    "efficiency_improvement": "efficiency",
}


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
    dimension: str = ""


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


def gate_dimension(gate: Gate, criterion_dimensions: Mapping[str, str]) -> str:
    """The dimension a plan's gate belongs to."""
    criterion = getattr(gate, "criterion", None)
    if criterion is not None:
        return criterion_dimensions.get(criterion, "success")
    outcome = getattr(gate, "outcome", None)
    if outcome is not None:
        return OUTCOME_DIMENSIONS[outcome]
    return METRIC_DIMENSIONS[gate.metric]
