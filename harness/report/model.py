"""The verification report's model: everything ``report.json`` holds, and the run's verdict."""

from __future__ import annotations

import enum
from importlib.metadata import PackageNotFoundError, version

from pydantic import Field

from harness.report.dimensions import Dimension
from harness.report.provenance import Provenance
from harness.results import EpisodeResult, ReportModel
from harness.verdicts.compare import RateComparison
from harness.verdicts.economics import EconomicsSummary
from harness.verdicts.endurance import EnduranceSummary
from harness.verdicts.flakiness import FlakinessCheck
from harness.verdicts.gate_result import GateResult
from harness.verdicts.improvement import Improvement
from harness.verdicts.summaries import ScenarioSummary

SCHEMA_VERSION = "2.0"


class RunVerdict(enum.StrEnum):
    PASS = "pass"
    FAIL = "fail"
    INCONCLUSIVE = "inconclusive"
    INVALID = "invalid"

    @property
    def exit_code(self) -> int:
        return {"pass": 0, "fail": 1, "inconclusive": 3, "invalid": 4}[self.value]


class ScenarioEconomics(ReportModel):
    scenario: str
    summary: EconomicsSummary


class PlanInfo(ReportModel):
    name: str
    source: str
    sha256: str
    seed: int
    skill: str
    skill_params: dict[str, object]


class Report(ReportModel):
    schema_version: str = SCHEMA_VERSION
    tool_version: str
    created_utc: str
    plan: PlanInfo
    interval_method: str = Field(description="'wilson' (default) or 'exact' (Clopper-Pearson).")
    verdict: RunVerdict
    verdict_reason: str
    dimensions: list[Dimension] = Field(
        default_factory=list,
        description="Task success, efficiency, safety, reliability, economics: each with a verdict.",
    )
    criterion_dimensions: dict[str, str] = Field(
        default_factory=dict, description="The dimension each criterion's results count in."
    )
    require_non_inferiority: bool = Field(
        False, description="The plan's comparison.require_non_inferiority: unshown non-inferiority is open."
    )
    gates: list[GateResult]
    economics: list[ScenarioEconomics] = Field(default_factory=list)
    improvements: list[Improvement] = Field(default_factory=list)
    flakiness: list[FlakinessCheck] = Field(default_factory=list)
    baseline: str | None = None
    comparisons: list[RateComparison] = Field(default_factory=list)
    scenarios: list[ScenarioSummary]
    endurance: list[EnduranceSummary] = Field(default_factory=list)
    episodes: list[EpisodeResult] = Field(description="In plan order: scenario, then episode index.")
    wall_s: float
    provenance: Provenance | None = Field(
        None, description="What produced the report and the hashes to check it by (written with the run)."
    )


def tool_version() -> str:
    try:
        return version("roboverify")
    except PackageNotFoundError:
        return "unknown"


def skill_labels(report: Report) -> list[str]:
    """Each skill that ran, with its manifest's version when the report records it."""
    names = dict.fromkeys([report.plan.skill] + [s.skill for s in report.scenarios if s.skill])
    versions = {s.name: s.version for s in report.provenance.skills} if report.provenance else {}
    return [f"{name} {versions[name]}" if name in versions else name for name in names]
