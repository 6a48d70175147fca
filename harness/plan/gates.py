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


class _RateGateBase(_GateBase):
    method: Literal["exact", "wilson"] = Field(
        "exact",
        description="'exact' (binomial test, one-sided Clopper-Pearson; false pass <= 1 - confidence) "
        "or 'wilson' (approximate: the report says how far its false-pass rate can exceed that).",
    )


class SuccessRateGate(_RateGateBase):
    """Passes when the one-sided lower bound on the success rate clears ``min`` (exact by default)."""

    metric: Literal["success_rate"] = "success_rate"
    min: float = Field(gt=0, lt=1)


class CriterionRateGate(_RateGateBase):
    """Like ``success_rate``, for the share of episodes a criterion passed (or found acceptable)."""

    metric: Literal["criterion_pass_rate"]
    criterion: str
    min: float = Field(gt=0, lt=1)


class RecoveryRateGate(_RateGateBase):
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
    """A bound on a criterion's measured values, e.g. "median cycle time <= 8 s" or "at least
    95 % of cycles <= 8 s" (``statistic: share``, ``share: 0.95``), or with ``min`` "at least
    99 % of separation margins >= 0.1 m". Decided exactly and without assuming a distribution:
    an order statistic bounds the quantile (docs/statistics.md)."""

    metric: Literal["criterion_value"]
    criterion: str
    statistic: Literal["median", "share"] = "median"
    share: float | None = Field(
        None,
        gt=0,
        lt=1,
        description="With statistic 'share': the share of episodes that must be within the bound.",
    )
    max: float | None = None
    min: float | None = None

    @model_validator(mode="after")
    def _one_bound(self) -> CriterionValueGate:
        if (self.max is None) == (self.min is None):
            raise ValueError("give exactly one of 'max' or 'min'")
        if (self.statistic == "share") != (self.share is not None):
            raise ValueError("'share' goes with 'statistic: share' (e.g. share: 0.95), and only with it")
        return self

    @property
    def within(self) -> float:
        """The share of episodes that must be within the bound (a half for the median)."""
        return self.share if self.share is not None else 0.5


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
