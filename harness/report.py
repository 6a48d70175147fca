"""The verification report: a pydantic model, built from episode results, written atomically."""

from __future__ import annotations

import enum
import hashlib
import os
import statistics
import tempfile
from collections import Counter
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from pydantic import Field

from harness.resolve import ResolvedPlan
from harness.results import EpisodeResult, Outcome, ReportModel, Verdict
from harness.statistics import GateVerdict, decide_rate, proportion_interval

SCHEMA_VERSION = "1.0"


class RunVerdict(enum.StrEnum):
    PASS = "pass"
    FAIL = "fail"
    INCONCLUSIVE = "inconclusive"
    INVALID = "invalid"

    @property
    def exit_code(self) -> int:
        return {"pass": 0, "fail": 1, "inconclusive": 3, "invalid": 4}[self.value]


class Interval(ReportModel):
    low: float
    high: float
    confidence: float
    method: str


class CriterionSummary(ReportModel):
    name: str
    units: str
    required: bool
    counts: dict[Verdict, int]
    median: float | None = None
    worst: float | None = None


class ScenarioSummary(ReportModel):
    scenario: str
    source: str
    planned: int
    attempted: int
    scored: int
    unscored: int
    successes: int
    success_rate: float | None
    success_interval: Interval
    outcomes: dict[Outcome, int]
    criteria: list[CriterionSummary]


class GateResult(ReportModel):
    rule: str
    scenario: str
    metric: str
    threshold: float
    confidence: float
    measured: float | None
    lower_bound: float
    upper_bound: float
    verdict: GateVerdict


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
    verdict: RunVerdict
    verdict_reason: str
    gates: list[GateResult]
    scenarios: list[ScenarioSummary]
    episodes: list[EpisodeResult] = Field(description="In plan order: scenario, then episode index.")
    wall_s: float


def tool_version() -> str:
    try:
        return version("roboverify")
    except PackageNotFoundError:
        return "unknown"


def build_report(resolved: ResolvedPlan, episodes: list[EpisodeResult], wall_s: float) -> Report:
    summaries = [_summarise(s.spec.id, s.source, s.episodes, episodes) for s in resolved.scenarios]
    gates = _evaluate_gates(resolved, summaries)
    verdict, reason = _overall(summaries, gates)
    plan = resolved.plan
    return Report(
        tool_version=tool_version(),
        created_utc=datetime.now(UTC).isoformat(timespec="seconds"),
        plan=PlanInfo(
            name=plan.name,
            source=resolved.source,
            sha256=_sha256(resolved.source),
            seed=plan.seed,
            skill=plan.skill.name,
            skill_params=plan.skill.params,
        ),
        verdict=verdict,
        verdict_reason=reason,
        gates=gates,
        scenarios=summaries,
        episodes=sorted(episodes, key=lambda e: (_order(resolved, e.scenario), e.index)),
        wall_s=wall_s,
    )


def _order(resolved: ResolvedPlan, scenario: str) -> int:
    return [s.spec.id for s in resolved.scenarios].index(scenario)


def _sha256(path: str) -> str:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return ""


def _summarise(scenario: str, source: str, planned: int, episodes: list[EpisodeResult]) -> ScenarioSummary:
    mine = [e for e in episodes if e.scenario == scenario]
    scored = [e for e in mine if e.outcome.scored]
    successes = sum(e.outcome is Outcome.SUCCESS for e in scored)
    low, high = proportion_interval(successes, len(scored))
    return ScenarioSummary(
        scenario=scenario,
        source=source,
        planned=planned,
        attempted=len(mine),
        scored=len(scored),
        unscored=len(mine) - len(scored),
        successes=successes,
        success_rate=successes / len(scored) if scored else None,
        success_interval=Interval(low=low, high=high, confidence=0.95, method="wilson"),
        outcomes=dict(sorted(Counter(e.outcome for e in mine).items())),
        criteria=_criteria_summaries(scored),
    )


def _criteria_summaries(episodes: list[EpisodeResult]) -> list[CriterionSummary]:
    names = list(dict.fromkeys(c.name for e in episodes for c in e.criteria))
    summaries = []
    for name in names:
        results = [c for e in episodes for c in e.criteria if c.name == name]
        measured = [c.measured for c in results if c.measured is not None]
        worst = min(results, key=lambda c: c.margin if c.margin is not None else float("inf"))
        summaries.append(
            CriterionSummary(
                name=name,
                units=results[0].units,
                required=results[0].required,
                counts=dict(sorted(Counter(c.verdict for c in results).items())),
                median=statistics.median(measured) if measured else None,
                worst=worst.measured,
            )
        )
    return summaries


def _evaluate_gates(resolved: ResolvedPlan, summaries: list[ScenarioSummary]) -> list[GateResult]:
    results = []
    for gate in resolved.plan.gates:
        for summary in summaries:
            if gate.scenario not in (None, summary.scenario):
                continue
            decision = decide_rate(summary.successes, summary.scored, gate.min, gate.confidence)
            results.append(
                GateResult(
                    rule=f"success rate >= {gate.min:g} at {gate.confidence:.0%} confidence "
                    "(one-sided Wilson)",
                    scenario=summary.scenario,
                    metric=gate.metric,
                    threshold=gate.min,
                    confidence=gate.confidence,
                    measured=summary.success_rate,
                    lower_bound=decision.lower,
                    upper_bound=decision.upper,
                    verdict=decision.verdict,
                )
            )
    return results


def _overall(summaries: list[ScenarioSummary], gates: list[GateResult]) -> tuple[RunVerdict, str]:
    unscored = [s.scenario for s in summaries if s.unscored or s.attempted < s.planned]
    if unscored:
        return RunVerdict.INVALID, f"infrastructure errors left episodes unscored in: {', '.join(unscored)}"
    failed = [g for g in gates if g.verdict is GateVerdict.FAIL]
    if failed:
        return RunVerdict.FAIL, "; ".join(f"{g.scenario}: {g.rule} failed" for g in failed)
    open_gates = [g for g in gates if g.verdict is GateVerdict.INCONCLUSIVE]
    if open_gates:
        return RunVerdict.INCONCLUSIVE, "; ".join(
            f"{g.scenario}: not enough evidence for {g.rule}; run more episodes" for g in open_gates
        )
    return RunVerdict.PASS, f"all {len(gates)} gate(s) passed"


def write_report(report: Report, out_dir: Path) -> Path:
    """Write ``report.json`` atomically: a reader never sees a half-written file."""
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / "report.json"
    handle, temporary = tempfile.mkstemp(dir=out_dir, prefix=".report.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(report.model_dump_json(indent=2))
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target
