"""What the HTML report shows, gathered from a :class:`Report`: per scenario and per gate, the
figures, tables and plots, ready for the template to lay out."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from harness.plan.cost_model import CostModel
from harness.report import plots
from harness.report.model import Report, ScenarioEconomics, skill_labels
from harness.report.reproduce import reproduce_command
from harness.results import EpisodeResult, Outcome
from harness.verdicts.endurance import EnduranceSummary
from harness.verdicts.gate_result import GateResult
from harness.verdicts.summaries import CriterionSummary, ScenarioSummary


@dataclass(frozen=True)
class GateView:
    number: int
    gate: GateResult
    plot: str


@dataclass(frozen=True)
class FailedEpisode:
    episode: EpisodeResult
    conditions: str
    command: str


@dataclass(frozen=True)
class ScenarioView:
    number: int
    summary: ScenarioSummary
    gates: list[GateView]
    success_plot: str
    outcome_plot: str
    cycle_plot: str
    cycle_limit: float | None
    safety: list[CriterionSummary]
    other_criteria: list[CriterionSummary]
    margin_plot: str
    endurance: EnduranceSummary | None
    economics: ScenarioEconomics | None
    cost_inputs: list[tuple[str, object]] = field(default_factory=list)


@dataclass(frozen=True)
class Page:
    report: Report
    skills: list[str]
    scenarios: list[ScenarioView]
    gates: list[GateView]
    failed: list[FailedEpisode]


def build_page(report: Report) -> Page:
    gates = [_gate_view(number, gate) for number, gate in enumerate(report.gates, start=1)]
    return Page(
        report=report,
        skills=_skills(report),
        scenarios=[_scenario_view(report, number, s, gates) for number, s in enumerate(report.scenarios, 1)],
        gates=gates,
        failed=[_failed(report, e) for e in report.episodes if e.outcome is not Outcome.SUCCESS],
    )


def _skills(report: Report) -> list[str]:
    return skill_labels(report)


def _gate_view(number: int, gate: GateResult) -> GateView:
    oc = gate.operating_characteristic
    if oc is None:
        return GateView(number=number, gate=gate, plot="")
    plot = plots.operating_plot(f"oc{number}", oc.curve, oc.threshold, oc.variable, gate.measured)
    return GateView(number=number, gate=gate, plot=plot)


def _failed(report: Report, episode: EpisodeResult) -> FailedEpisode:
    conditions = json.dumps(episode.conditions, sort_keys=True, default=str)
    return FailedEpisode(episode=episode, conditions=conditions, command=reproduce_command(report, episode))


def _scenario_view(
    report: Report, number: int, summary: ScenarioSummary, gates: list[GateView]
) -> ScenarioView:
    mine = [g for g in gates if g.gate.scenario == summary.scenario]
    episodes = [e for e in report.episodes if e.scenario == summary.scenario and e.outcome.scored]
    safety = [c for c in summary.criteria if report.criterion_dimensions.get(c.name) == "safety"]
    economics = next((e for e in report.economics if e.scenario == summary.scenario), None)
    cycle_times, cycle_limit = _cycle_times(episodes)
    key = f"s{number}"
    cycle_plot = plots.histogram(f"{key}c", cycle_times, "cycle time (s)", cycle_limit) if cycle_times else ""
    return ScenarioView(
        number=number, summary=summary, gates=mine,
        success_plot=_success_plot(key, summary, mine), outcome_plot=_outcome_plot(key, summary),
        cycle_plot=cycle_plot, cycle_limit=cycle_limit, safety=safety,
        other_criteria=[c for c in summary.criteria if c not in safety],
        margin_plot=_margin_plot(key, episodes, [c.name for c in safety]),
        endurance=next((e for e in report.endurance if e.scenario == summary.scenario), None),
        economics=economics,
        cost_inputs=_cost_inputs(economics.summary.cost_model) if economics else [],
    )  # fmt: skip


def _success_plot(key: str, summary: ScenarioSummary, gates: list[GateView]) -> str:
    thresholds = [g.gate.threshold for g in gates if g.gate.metric == "success_rate"]
    interval = summary.success_interval
    return plots.interval_plot(f"{key}r", summary.success_rate, interval.low, interval.high, thresholds)


def _outcome_plot(key: str, summary: ScenarioSummary) -> str:
    labels = [str(outcome) for outcome in summary.outcomes]
    return plots.bar_plot(f"{key}o", labels, list(summary.outcomes.values()), "episodes")


def _cycle_times(episodes: list[EpisodeResult]) -> tuple[list[float], float | None]:
    """The cycle-time criterion's measurements (its threshold is the limit), or the simulated
    time of each successful episode when no criterion measures it."""
    results = [c for e in episodes for c in e.criteria if c.name == "cycle_time" and c.measured is not None]
    if results:
        return [c.measured for c in results if c.measured is not None], results[0].threshold
    return [e.timing.sim_s for e in episodes if e.outcome is Outcome.SUCCESS], None


def _margin_plot(key: str, episodes: list[EpisodeResult], names: list[str]) -> str:
    margins: dict[str, list[float]] = {name: [] for name in names}
    for episode in episodes:
        for result in episode.criteria:
            if result.name in margins and result.margin is not None:
                margins[result.name].append(result.margin)
    margins = {name: values for name, values in margins.items() if values}
    return plots.margin_plot(f"{key}m", margins) if margins else ""


def _cost_inputs(model: CostModel) -> list[tuple[str, object]]:
    return [(name, value) for name, value in model.model_dump().items() if value is not None]
