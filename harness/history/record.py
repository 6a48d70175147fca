"""What the history keeps of a run: one :class:`RunRecord` per skill its report covers.

A record holds the run's identity (skill, version, manifest, plan, the episodes it ran), its
verdicts, the key metrics per scenario and each episode's outcome: enough to show trends and
to compare two versions episode by episode later, without the report itself.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from pathlib import Path

from harness.plan.conditions import ConditionsByScenario
from harness.plan.jobs import plan_jobs
from harness.plan.resolve import ResolvedPlan
from harness.registry import is_reference
from harness.report.model import Report
from harness.report.provenance import SkillInfo, sha256_of
from harness.results import EpisodeResult, Outcome, Verdict
from harness.skill import Skill
from harness.skill_manifest import manifest_of
from harness.verdicts.summaries import ScenarioSummary


@dataclass(frozen=True)
class ScenarioMetrics:
    scenario: str
    scored: int
    successes: int
    success_rate: float | None
    success_low: float
    success_high: float
    median_cycle_s: float | None
    safety_events: int
    cost_per_task: float | None


@dataclass(frozen=True)
class EpisodeOutcome:
    scenario: str
    index: int
    seed: int
    outcome: str
    failed_criteria: tuple[str, ...]

    @property
    def succeeded(self) -> bool:
        return self.outcome == Outcome.SUCCESS.value

    @property
    def scored(self) -> bool:
        return Outcome(self.outcome).scored


@dataclass(frozen=True)
class GateRow:
    rule: str
    scenario: str
    verdict: str
    measured: float | None
    lower_bound: float | None
    upper_bound: float | None


@dataclass(frozen=True)
class RunKey:
    """What must be equal for two runs to be compared episode by episode."""

    skill: str
    plan_sha256: str
    conditions_sha256: str


@dataclass(frozen=True)
class RunRecord:
    key: RunKey
    version: str
    skill_cls: str
    manifest_sha256: str
    plan_name: str
    seed: int
    tool_version: str
    created_utc: str
    verdict: str
    verdict_reason: str
    report_path: str
    report_sha256: str
    journal_sha256: str
    margin: float
    confidence: float
    dimensions: tuple[tuple[str, str, str], ...]  # name, verdict, reason
    gates: tuple[GateRow, ...]
    metrics: tuple[ScenarioMetrics, ...]
    episodes: tuple[EpisodeOutcome, ...] = ()
    id: int | None = None


def run_key(resolved: ResolvedPlan, given: ConditionsByScenario | None, skill: str) -> RunKey:
    """The key of ``skill``'s part of the plan: its plan file, and every episode it runs (scenario
    spec, index, seed, given conditions), which a run's seeds and specs fix before it starts."""
    entries = [e for e in resolved.scenarios if _manifest_name(e.skill_class, e.skill.name) == skill]
    scenarios = {e.spec.id for e in entries}
    episodes = [
        (job.scenario, job.index, job.seed, job.conditions)
        for job in plan_jobs(resolved, given)
        if job.scenario in scenarios
    ]
    specs = sorted((e.spec.id, sha256_of(Path(e.source))) for e in entries)
    text = json.dumps({"specs": specs, "episodes": episodes}, sort_keys=True, default=str)
    conditions = hashlib.sha256(text.encode()).hexdigest()
    return RunKey(skill, sha256_of(Path(resolved.source)), conditions)


def skill_names(resolved: ResolvedPlan) -> list[str]:
    """The manifest name of every skill the plan runs (not its baseline), in plan order."""
    return list(dict.fromkeys(_manifest_name(e.skill_class, e.skill.name) for e in resolved.scenarios))


def _manifest_name(cls: type[Skill], plan_name: str) -> str:
    return manifest_of(cls, None if is_reference(plan_name) else plan_name).name


def records_of(
    report_path: Path, resolved: ResolvedPlan, given: ConditionsByScenario | None
) -> list[RunRecord]:
    """One record per skill of the report written at ``report_path``, as it is on disk."""
    report = Report.model_validate_json(report_path.read_bytes())
    infos = {info.name: info for info in report.provenance.skills} if report.provenance else {}
    by_skill: dict[str, list[ScenarioSummary]] = {}
    for summary in report.scenarios:
        info = infos.get(summary.skill)
        name = info.manifest.name if info and info.manifest else summary.skill
        by_skill.setdefault(name, []).append(summary)
    settings = resolved.plan.comparison  # how its successors will be compared with it
    return [
        replace(
            _record(
                report, report_path, run_key(resolved, given, name), infos.get(summaries[0].skill), summaries
            ),
            margin=settings.margin,
            confidence=settings.confidence,
        )
        for name, summaries in by_skill.items()
    ]


def _record(
    report: Report, path: Path, key: RunKey, info: SkillInfo | None, summaries: list[ScenarioSummary]
) -> RunRecord:
    scenarios = {s.scenario for s in summaries}
    return RunRecord(
        key=key, version=info.version if info else "0+unknown", skill_cls=info.cls if info else "",
        manifest_sha256=info.manifest_sha256 if info else "", plan_name=report.plan.name,
        seed=report.plan.seed, tool_version=report.tool_version, created_utc=report.created_utc,
        verdict=report.verdict.value, verdict_reason=report.verdict_reason,
        report_path=str(path.resolve()), report_sha256=sha256_of(path),
        journal_sha256=report.provenance.journal_sha256 if report.provenance else "",
        margin=0.05, confidence=0.95,
        dimensions=tuple((d.name, d.verdict.value, d.reason) for d in report.dimensions),
        gates=tuple(_gate_rows(report, scenarios)),
        metrics=tuple(_metrics(report, s) for s in summaries),
        episodes=tuple(outcome_of(e) for e in report.episodes if e.scenario in scenarios),
    )  # fmt: skip


def _gate_rows(report: Report, scenarios: set[str]) -> list[GateRow]:
    return [
        GateRow(g.rule, g.scenario, g.verdict.value, g.measured, g.lower_bound, g.upper_bound)
        for g in report.gates
        if g.scenario in scenarios
    ]


def _metrics(report: Report, s: ScenarioSummary) -> ScenarioMetrics:
    cycle = next((c.values.median for c in s.criteria if c.name == "cycle_time" and c.values), None)
    cost = next((e.summary.cost_per_task for e in report.economics if e.scenario == s.scenario), None)
    safety = [e for e in report.episodes if e.scenario == s.scenario and _safety_event(report, e)]
    return ScenarioMetrics(
        s.scenario, s.scored, s.successes, s.success_rate, s.success_interval.low,
        s.success_interval.high, cycle, len(safety), cost,
    )  # fmt: skip


def _safety_event(report: Report, episode: EpisodeResult) -> bool:
    """A safety stop, or a failed check of the safety dimension."""
    failed = (c.name for c in episode.criteria if c.verdict is Verdict.FAIL)
    dimension = report.criterion_dimensions
    return episode.outcome is Outcome.SAFETY_STOP or any(dimension.get(n) == "safety" for n in failed)


def outcome_of(episode: EpisodeResult) -> EpisodeOutcome:
    failed = tuple(c.name for c in episode.criteria if c.verdict is Verdict.FAIL)
    return EpisodeOutcome(episode.scenario, episode.index, episode.seed, episode.outcome.value, failed)
