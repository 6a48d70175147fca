"""Building the report from episode results: summaries, gates, economics and the run's verdict."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

from harness.plan.models import ENDURANCE_SUFFIX
from harness.plan.resolve import ResolvedPlan, ResolvedScenario
from harness.report.model import PlanInfo, Report, RunVerdict, ScenarioEconomics, tool_version
from harness.report.provenance import sha256_of
from harness.results import EpisodeResult, Outcome, Verdict
from harness.verdicts.compare import ComparisonVerdict, compare_runs, load_baseline
from harness.verdicts.economics import economics_summary
from harness.verdicts.endurance import summarise_endurance
from harness.verdicts.flakiness import FlakinessCheck
from harness.verdicts.gates import GateResult, evaluate_gates
from harness.verdicts.improvement import Improvement, improvement_verdict, measure_improvement
from harness.verdicts.statistics import GateVerdict, IntervalMethod
from harness.verdicts.summaries import ScenarioSummary, summarise_scenario


def build_report(
    resolved: ResolvedPlan,
    episodes: list[EpisodeResult],
    wall_s: float,
    sequential_caps: Mapping[str, int] | None = None,
) -> Report:
    """The report of ``episodes`` (in any order) of ``resolved``, with every gate decided;
    ``sequential_caps``: each scenario's episode cap, for a sequential plan."""
    method: IntervalMethod = resolved.plan.intervals
    summaries = [_summary(s, episodes, method) for s in resolved.scenarios]
    scenario_ids = [s.spec.id for s in resolved.scenarios]
    faults = {s.spec.id: [f.label for f in s.spec.faults] for s in resolved.scenarios}
    gates = evaluate_gates(
        resolved.plan.gates, scenario_ids, episodes, method, resolved.plan.sequential, faults, sequential_caps
    )
    economics = _economics(resolved, summaries, episodes)
    verdict, reason = overall_verdict(summaries, gates, economics)
    return Report(
        tool_version=tool_version(),
        created_utc=datetime.now(UTC).isoformat(timespec="seconds"),
        plan=_plan_info(resolved),
        interval_method=method,
        verdict=verdict,
        verdict_reason=reason,
        gates=gates,
        economics=economics,
        scenarios=summaries,
        endurance=[summarise_endurance(s.spec.id, episodes, method) for s in resolved.scenarios if s.cycles],
        episodes=sorted(episodes, key=lambda e: (_order(resolved, e.scenario), e.index)),
        wall_s=wall_s,
    )


def _summary(
    entry: ResolvedScenario, episodes: list[EpisodeResult], method: IntervalMethod
) -> ScenarioSummary:
    faults: list[tuple[str, str]] = [(fault.label, fault.kind) for fault in entry.spec.faults]
    return summarise_scenario(
        entry.spec.id, entry.source, entry.episodes, episodes, method, entry.skill.name, faults
    )


def _plan_info(resolved: ResolvedPlan) -> PlanInfo:
    plan = resolved.plan
    return PlanInfo(
        name=plan.name,
        source=resolved.source,
        sha256=sha256_of(Path(resolved.source)),
        seed=plan.seed,
        skill=plan.skill.name,
        skill_params=plan.skill.params,
    )


def _order(resolved: ResolvedPlan, scenario: str) -> int:
    return [s.spec.id for s in resolved.scenarios].index(scenario)


def _economics(
    resolved: ResolvedPlan, summaries: list[ScenarioSummary], episodes: list[EpisodeResult]
) -> list[ScenarioEconomics]:
    """Per scenario, from the successful episodes' cycle times and the energy the criterion measured."""
    model = resolved.plan.cost_model
    if model is None:
        return []
    found = []
    for summary in summaries:
        cycles, energies = [], []
        for episode in episodes:
            if episode.scenario != summary.scenario or episode.outcome is not Outcome.SUCCESS:
                continue
            energy = next((c.details.get("energy_j") for c in episode.criteria if c.name == "energy"), None)
            if energy is not None:
                cycles.append(episode.timing.sim_s)
                energies.append(float(energy))
        if cycles:
            rate = summary.success_rate or 0.0
            found.append(
                ScenarioEconomics(
                    scenario=summary.scenario, summary=economics_summary(model, cycles, energies, rate)
                )
            )
    return found


def overall_verdict(
    summaries: list[ScenarioSummary], gates: list[GateResult], economics: list[ScenarioEconomics]
) -> tuple[RunVerdict, str]:
    unscored = [s.scenario for s in summaries if s.unscored or s.attempted < s.planned]
    if unscored:
        return RunVerdict.INVALID, f"infrastructure errors left episodes unscored in: {', '.join(unscored)}"
    failed = [f"{g.scenario}: {g.rule} failed" for g in gates if g.verdict is GateVerdict.FAIL]
    failed += [
        f"{e.scenario}: payback {e.summary.payback_months or 'never'} months against at most "
        f"{e.summary.threshold_months:g}"
        for e in economics
        if e.summary.verdict is Verdict.FAIL
    ]
    if failed:
        return RunVerdict.FAIL, "; ".join(failed)
    open_gates = [g for g in gates if g.verdict is GateVerdict.INCONCLUSIVE]
    if open_gates:
        return RunVerdict.INCONCLUSIVE, "; ".join(
            f"{g.scenario}: not enough evidence for {g.rule}; run more episodes" for g in open_gates
        )
    return RunVerdict.PASS, f"all {len(gates)} gate(s) passed"


def with_baseline(report: Report, resolved: ResolvedPlan, baseline_path: str) -> Report:
    """The report with non-inferiority comparisons against an earlier report's episodes."""
    return with_comparisons(report, resolved, load_baseline(baseline_path), baseline_path)


def with_comparisons(
    report: Report, resolved: ResolvedPlan, baseline: list[EpisodeResult], source: str
) -> Report:
    """Non-inferiority of every rate against ``baseline`` episodes (a report, or a baseline skill)."""
    settings = resolved.plan.comparison
    # endurance runs are a handful of long runs: their per-run rates say little; compare episodes
    scenarios = [s.scenario for s in report.scenarios if not s.scenario.endswith(ENDURANCE_SUFFIX)]
    comparisons = report.comparisons + compare_runs(
        report.episodes, baseline, scenarios, settings.margin, settings.confidence
    )
    verdict, reason = report.verdict, report.verdict_reason
    regressed = [c for c in comparisons if c.verdict is ComparisonVerdict.REGRESSED]
    unshown = [c for c in comparisons if c.verdict is ComparisonVerdict.INCONCLUSIVE]
    if verdict is not RunVerdict.INVALID and regressed:
        verdict = RunVerdict.FAIL
        reason = "; ".join(f"{c.scenario}: {c.metric} regressed against {source}" for c in regressed)
    elif verdict is RunVerdict.PASS and unshown and settings.require_non_inferiority:
        verdict = RunVerdict.INCONCLUSIVE
        reason = "; ".join(f"{c.scenario}: non-inferiority of {c.metric} not shown" for c in unshown)
    return report.model_copy(
        update={
            "baseline": "; ".join(filter(None, (report.baseline, source))),
            "comparisons": comparisons,
            "verdict": verdict,
            "verdict_reason": reason,
        }
    )


def with_improvements(report: Report, resolved: ResolvedPlan, baseline: list[EpisodeResult]) -> Report:
    """The report with the baseline skill's comparison and its efficiency gates decided."""
    improvements = [
        measure_improvement(entry.spec.id, report.episodes, baseline, entry.baseline.name)
        for entry in resolved.scenarios
        if entry.baseline is not None
    ]
    by_scenario = {i.scenario: i for i in improvements}
    gates = [
        _improvement_decided(gate, by_scenario.get(gate.scenario), report, baseline) for gate in report.gates
    ]
    verdict, reason = overall_verdict(report.scenarios, gates, report.economics)
    if report.verdict is RunVerdict.INVALID:
        verdict, reason = report.verdict, report.verdict_reason
    return report.model_copy(
        update={"improvements": improvements, "gates": gates, "verdict": verdict, "verdict_reason": reason}
    )


def _improvement_decided(
    gate: GateResult, improvement: Improvement | None, report: Report, baseline: list[EpisodeResult]
) -> GateResult:
    if gate.metric != "efficiency_improvement" or improvement is None:
        return gate
    if gate.confidence != improvement.confidence:  # the gate's own one-sided bounds
        improvement = measure_improvement(
            gate.scenario, report.episodes, baseline, improvement.baseline_skill, gate.confidence
        )
    note = f"against '{improvement.baseline_skill}' on {improvement.pairs} paired episodes"
    return gate.model_copy(
        update={
            "measured": improvement.improvement,
            "lower_bound": improvement.low,
            "upper_bound": improvement.high,
            "verdict": improvement_verdict(improvement, gate.threshold),
            "episodes": improvement.pairs,
            "note": note,
        }
    )


def with_flakiness(report: Report, checks: list[FlakinessCheck]) -> Report:
    """The report with the rerun comparison; any difference makes the run invalid."""
    update: dict[str, object] = {"flakiness": checks}
    broken = [
        f"{c.scenario} episode(s) {c.outcome_flips + c.drifted}"
        for c in checks
        if c.outcome_flips or c.drifted
    ]
    if broken:
        update["verdict"] = RunVerdict.INVALID
        update["verdict_reason"] = (
            "results did not repeat with the same seed and conditions (a harness defect, or a skill "
            "drawing unseeded randomness): " + "; ".join(broken)
        )
    return report.model_copy(update=update)
