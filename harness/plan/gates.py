"""The gates a plan declares: what must hold for the run to pass, and at which confidence.

Each gate is a pydantic model keyed by its ``metric``; ``harness.verdicts.gates`` decides them.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, model_validator

from harness.spec import StrictModel


class EfficiencyGate(StrictModel):
    """Cycle-time improvement over the baseline skill, 1 - new / baseline, on the same episodes:
    passes when the whole paired bootstrap interval is at least ``min``."""

    metric: Literal["efficiency_improvement"]
    scenario: str | None = Field(None, description="Spec id; omitted means every scenario.")
    min: float = Field(gt=-1, lt=1)
    confidence: float = Field(0.95, gt=0.5, lt=1)


class _GateBase(StrictModel):
    scenario: str | None = Field(None, description="Spec id; omitted means every scenario.")
    confidence: float = Field(0.95, gt=0.5, lt=1)


class SuccessRateGate(_GateBase):
    """Passes when the one-sided lower bound on the success rate clears ``min``."""

    metric: Literal["success_rate"] = "success_rate"
    min: float = Field(gt=0, lt=1)


class CriterionRateGate(_GateBase):
    """Like ``success_rate``, for the share of episodes a criterion passed (or found acceptable)."""

    metric: Literal["criterion_pass_rate"]
    criterion: str
    min: float = Field(gt=0, lt=1)


class RecoveryRateGate(_GateBase):
    """Like ``success_rate``, over the episodes in which the scenario's fault ``fault`` fired."""

    metric: Literal["recovery_rate"]
    fault: str = Field(description="A fault's name (its kind unless the spec names it).")
    min: float = Field(gt=0, lt=1)


class InterventionsGate(_GateBase):
    """Endurance runs: interventions per 1000 task cycles. Passes when the upper bound of the
    interval is at most ``max``, fails when the lower bound is above it."""

    metric: Literal["interventions_per_1000_cycles"]
    max: float = Field(gt=0, le=1000)


class ZeroEventsGate(_GateBase):
    """A hard gate: no episode may fail ``criterion`` (or end with ``outcome``); the report gives
    the upper bound on the event rate (about 3/n at 95 % after n clean episodes)."""

    metric: Literal["zero_events"]
    criterion: str | None = None
    outcome: Literal["failure", "timeout", "safety_stop", "skill_error"] | None = None

    @model_validator(mode="after")
    def _one_event(self) -> ZeroEventsGate:
        if (self.criterion is None) == (self.outcome is None):
            raise ValueError("name exactly one of 'criterion' or 'outcome' as the event to count")
        return self


class CriterionValueGate(_GateBase):
    """A bound on a criterion's measured values (e.g. median cycle time <= 8 s), decided with a
    bootstrap interval: passes when the whole interval is on the right side."""

    metric: Literal["criterion_value"]
    criterion: str
    statistic: Literal["median"] = "median"
    max: float | None = None
    min: float | None = None

    @model_validator(mode="after")
    def _one_bound(self) -> CriterionValueGate:
        if (self.max is None) == (self.min is None):
            raise ValueError("give exactly one of 'max' or 'min'")
        return self


def _default_metric(raw: Any) -> Any:
    if isinstance(raw, dict) and "metric" not in raw:
        return {**raw, "metric": "success_rate"}
    return raw


Gate = Annotated[
    SuccessRateGate
    | CriterionRateGate
    | RecoveryRateGate
    | InterventionsGate
    | ZeroEventsGate
    | CriterionValueGate
    | EfficiencyGate,
    Field(discriminator="metric"),
    BeforeValidator(_default_metric),
]
