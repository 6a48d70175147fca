"""Building the report from episode results: summaries, gates, economics and the run's verdict."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

from harness.plan.gates import Gate
from harness.plan.models import ENDURANCE_SUFFIX
from harness.plan.resolve import ResolvedPlan, ResolvedScenario
from harness.report.assess import assess
from harness.report.model import PlanInfo, Report, RunVerdict, ScenarioEconomics, tool_version
from harness.report.provenance import sha256_of
from harness.results import EpisodeResult, Outcome
from harness.verdicts.compare import RateComparison, compare_runs, load_baseline
from harness.verdicts.economics import economics_summary
from harness.verdicts.endurance import summarise_endurance
from harness.verdicts.flakiness import FlakinessCheck
from harness.verdicts.gate_result import GateResult
from harness.verdicts.gates import evaluate_gates, gate_pairs
from harness.verdicts.improvement import Improvement, improvement_verdict, measure_improvement
from harness.verdicts.statistics import IntervalMethod
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
    scenario_ids, faults = _gate_scope(resolved)
    dimensions = criterion_dimensions(resolved)
    gates = evaluate_gates(
        resolved.plan.gates, scenario_ids, episodes, method, resolved.plan.sequential, faults,
        sequential_caps, dimensions,
    )  # fmt: skip
    report = Report(
        tool_version=tool_version(),
        created_utc=datetime.now(UTC).isoformat(timespec="seconds"),
        plan=_plan_info(resolved),
        interval_method=method,
        verdict=RunVerdict.INCONCLUSIVE,
        verdict_reason="not assessed yet",
        criterion_dimensions=dimensions,
        require_non_inferiority=resolved.plan.comparison.require_non_inferiority,
        gates=gates,
        economics=_economics(resolved, summaries, episodes),
        scenarios=summaries,
        endurance=[summarise_endurance(s.spec.id, episodes, method) for s in resolved.scenarios if s.cycles],
        episodes=sorted(episodes, key=lambda e: (_order(resolved, e.scenario), e.index)),
        wall_s=wall_s,
    )
    return assess(report)


def _gate_scope(resolved: ResolvedPlan) -> tuple[list[str], dict[str, list[str]]]:
    """The scenarios gates can cover, and the fault names each declares."""
    scenario_ids = [s.spec.id for s in resolved.scenarios]
    return scenario_ids, {s.spec.id: [f.label for f in s.spec.faults] for s in resolved.scenarios}


def planned_gates(resolved: ResolvedPlan) -> list[tuple[Gate, str]]:
    """Each gate of the plan with each scenario it covers: the report's gates, in their order."""
    return gate_pairs(resolved.plan.gates, *_gate_scope(resolved))


def criterion_dimensions(resolved: ResolvedPlan) -> dict[str, str]:
    """The report dimension each of the plan's criteria counts in."""
    return {c.criterion_class.name: c.criterion_class.dimension for c in resolved.criteria}


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
    models = {entry.spec.id: entry.cost_model for entry in resolved.scenarios}
    found = []
    for summary in summaries:
        model = models.get(summary.scenario)
        if model is None:
            continue
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
    baseline_names = "; ".join(filter(None, (report.baseline, source)))
    return assess(report.model_copy(update={"baseline": baseline_names, "comparisons": comparisons}))


def with_rate_comparisons(report: Report, comparisons: list[RateComparison], source: str) -> Report:
    """The report with comparisons made elsewhere (against a recorded release), named ``source``."""
    baseline_names = "; ".join(filter(None, (report.baseline, source)))
    update = {"baseline": baseline_names, "comparisons": report.comparisons + comparisons}
    return assess(report.model_copy(update=update))


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
    return assess(report.model_copy(update={"improvements": improvements, "gates": gates}))


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
    return assess(report.model_copy(update={"flakiness": checks}))
