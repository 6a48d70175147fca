"""The five dimensions an application verification is judged on, each with its own verdict.

Task success rate, efficiency improvement, safety, reliability and economic viability: for
each, what was assessed, the gates (and the economics summary) that decided it, its headline
figures with intervals, and a verdict. A dimension nothing decided is ``not_assessed``, never a
silent pass. Every gate belongs to exactly one dimension (a criterion's gates to the dimension
its criterion declares), so the run's verdict follows from the dimensions'.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping

from pydantic import Field

from harness.results import ReportModel
from harness.verdicts.compare import ComparisonVerdict, RateComparison
from harness.verdicts.gate_result import GateResult
from harness.verdicts.statistics import GateVerdict

DIMENSIONS = {
    "success": "Task success rate",
    "efficiency": "Efficiency improvement",
    "safety": "Safety",
    "reliability": "Reliability",
    "economics": "Economic viability",
}


class DimensionVerdict(enum.StrEnum):
    PASS = "pass"
    FAIL = "fail"
    INCONCLUSIVE = "inconclusive"
    NOT_ASSESSED = "not_assessed"


class Figure(ReportModel):
    """One headline figure: a value with its interval (or bound), where it comes from."""

    name: str
    scenario: str = ""
    value: float | None
    low: float | None = None
    high: float | None = None
    units: str = ""
    note: str = ""


class Dimension(ReportModel):
    name: str = Field(description="success, efficiency, safety, reliability or economics.")
    title: str
    verdict: DimensionVerdict
    reason: str
    assessed: str = Field(description="What was assessed, in words.")
    gates: list[int] = Field(default_factory=list, description="Indices into the report's gates.")
    criteria: list[str] = Field(default_factory=list, description="Criteria whose results count here.")
    figures: list[Figure] = Field(default_factory=list)


def comparison_dimension(comparison: RateComparison, criterion_dimensions: Mapping[str, str]) -> str:
    """A rate compared with a baseline counts in the dimension of what it measures."""
    if comparison.metric == "success_rate":
        return "success"
    name = comparison.metric.removesuffix(" pass rate")
    return criterion_dimensions.get(name, "success")


def decide(
    name: str, gates: list[tuple[int, GateResult]], extra: list[tuple[str, DimensionVerdict]]
) -> tuple[DimensionVerdict, str]:
    """A dimension's verdict from its gates and any other decisive evidence (``extra``: a
    description and its verdict), with the reason in words."""
    found = [(f"{g.scenario}: {g.rule}", _verdict(g.verdict)) for _, g in gates] + extra
    if not found:
        return (
            DimensionVerdict.NOT_ASSESSED,
            f"no gate or summary of the plan assesses {DIMENSIONS[name].lower()}",
        )
    for verdict, word in (
        (DimensionVerdict.FAIL, "failed"),
        (DimensionVerdict.INCONCLUSIVE, "not enough evidence (run more episodes) for"),
    ):
        which = [what for what, v in found if v is verdict]
        if which:
            return verdict, f"{word}: " + "; ".join(which)
    return DimensionVerdict.PASS, f"all {len(found)} check(s) passed"


def _verdict(verdict: GateVerdict) -> DimensionVerdict:
    return DimensionVerdict(verdict.value)


def comparison_verdict(comparison: RateComparison) -> DimensionVerdict:
    return (
        DimensionVerdict.FAIL if comparison.verdict is ComparisonVerdict.REGRESSED else DimensionVerdict.PASS
    )
