"""Headline figures of each dimension, with their intervals, from a report's summaries."""

from __future__ import annotations

from harness.report.dimensions import Figure
from harness.report.model import Report
from harness.results import CriterionResult, EpisodeResult, Outcome
from harness.verdicts.statistics import one_sided_bounds
from harness.verdicts.summaries import ScenarioSummary


def success(report: Report) -> list[Figure]:
    return [
        Figure(
            name="success rate",
            scenario=s.scenario,
            value=s.success_rate,
            low=s.success_interval.low,
            high=s.success_interval.high,
            note=f"{s.successes} of {s.scored} scored episodes",
        )
        for s in report.scenarios
    ]


def efficiency(report: Report) -> list[Figure]:
    figures = []
    for s in report.scenarios:
        cycle = next((c.values for c in s.criteria if c.name == "cycle_time" and c.values), None)
        if cycle is not None:
            interval = cycle.median_interval
            figures.append(
                Figure(
                    name="median cycle time",
                    scenario=s.scenario,
                    value=cycle.median,
                    low=interval.low,
                    high=interval.high,
                    units="s",
                )
            )
        times = [e.timing.sim_s for e in _mine(report, s) if e.outcome is Outcome.SUCCESS]
        if times:
            mean = sum(times) / len(times)
            figures.append(
                Figure(
                    name="throughput",
                    scenario=s.scenario,
                    value=3600.0 / mean,
                    units="tasks/h",
                    note="3600 / mean cycle time of successful episodes",
                )
            )
    figures += [
        Figure(
            name="improvement over the baseline",
            scenario=i.scenario,
            value=i.improvement,
            low=i.low,
            high=i.high,
            note=f"against '{i.baseline_skill}' on {i.pairs} paired episodes",
        )
        for i in report.improvements
    ]
    return figures


def safety(report: Report) -> list[Figure]:
    figures = []
    for s in report.scenarios:
        stops = s.outcomes.get(Outcome.SAFETY_STOP, 0)
        figures.append(_event_rate("safety stops", s, stops))
        for c in s.criteria:
            if c.name in _safety_criteria(report) and c.fail_rate.trials:
                failed = c.fail_rate.count
                figures.append(_event_rate(f"episodes failing '{c.name}'", s, failed, c.fail_rate.trials))
                figures += _severities(report, s, c.name)
                figures += _worst_margins(report, s, c.name)
    return figures


def _event_rate(name: str, s: ScenarioSummary, events: int, trials: int | None = None) -> Figure:
    n = s.scored if trials is None else trials
    upper = one_sided_bounds(events, n, 0.95, "exact")[1] if n else None
    return Figure(
        name=name,
        scenario=s.scenario,
        value=events / n if n else None,
        high=upper,
        note=f"{events} in {n} episodes; high: exact 95 % upper bound on the rate",
    )


def _severities(report: Report, s: ScenarioSummary, criterion: str) -> list[Figure]:
    counts = {"critical": 0, "major": 0, "minor": 0}
    for result in _results(report, s, criterion):
        events = result.details.get("events")
        if isinstance(events, dict):
            for severity in counts:
                counts[severity] += int(events.get(severity, 0))
    return [
        Figure(name=f"'{criterion}' {severity} events", scenario=s.scenario, value=float(count))
        for severity, count in counts.items()
        if count or severity == "critical"
    ]


def _worst_margins(report: Report, s: ScenarioSummary, criterion: str) -> list[Figure]:
    results = _results(report, s, criterion)
    margins = [r.margin for r in results if r.margin is not None]
    figures = []
    if margins:
        units = results[0].units
        figures.append(
            Figure(
                name=f"worst '{criterion}' margin",
                scenario=s.scenario,
                value=min(margins),
                units=units,
                note="smallest distance to the threshold; negative: violated",
            )
        )
    regions: dict[str, float] = {}
    for result in results:
        for region, tally in (result.details.get("regions") or {}).items():
            utilisation = float(tally.get("worst_utilisation", 0.0))
            regions[region] = max(regions.get(region, 0.0), utilisation)
    figures += [
        Figure(
            name=f"worst contact margin, {region}",
            scenario=s.scenario,
            value=1.0 - worst,
            note="1 - worst share of the body region's permissible force",
        )
        for region, worst in sorted(regions.items())
    ]
    return figures


def reliability(report: Report) -> list[Figure]:
    figures = [f for s in report.scenarios for f in _scenario_reliability(s)]
    figures += [
        Figure(
            name="interventions per 1000 cycles",
            scenario=e.scenario,
            value=e.interventions_per_1000_cycles,
            low=e.interventions_per_1000_low,
            high=e.interventions_per_1000_high,
            note=f"{e.interventions} in {e.cycles} cycles",
        )
        for e in report.endurance
    ]
    figures += [
        Figure(
            name="results that did not repeat",
            scenario=c.scenario,
            value=float(len(c.outcome_flips) + len(c.drifted)),
            note=f"{c.rerun} episode(s) run twice",
        )
        for c in report.flakiness
    ]
    return figures


def _scenario_reliability(s: ScenarioSummary) -> list[Figure]:
    r = s.reliability
    figures = [
        Figure(
            name="failures per 1000 episodes", scenario=s.scenario, value=r.failures_per_1000,
            low=r.failures_per_1000_low, high=r.failures_per_1000_high,
        ),
        Figure(
            name="mean cycles between failures", scenario=s.scenario, value=r.mean_cycles_between_failures,
            low=r.mean_cycles_between_failures_lower_bound,
            note="low: a bound that holds even without a failure",
        ),
    ]  # fmt: skip
    return figures + [
        Figure(
            name=f"recovery from '{f.fault}'",
            scenario=s.scenario,
            value=f.recovered.rate,
            low=f.recovered.interval.low,
            high=f.recovered.interval.high,
            note=f"{f.recovered.count} of {f.injected} injected",
        )
        for f in s.recovery
    ]


def economics(report: Report) -> list[Figure]:
    figures = []
    for e in report.economics:
        s, m = e.summary, e.summary.cost_model
        inputs = (
            f"capex {m.capex:g}, {m.life_years} years at {m.interest_rate:.1%}, "
            f"wage {m.labour_wage_per_hour:g}/h"
        )
        figures += [
            Figure(name="cost per task", scenario=e.scenario, value=s.cost_per_task, note=inputs),
            Figure(
                name="energy per task", scenario=e.scenario, value=s.mean_energy_per_task_kwh, units="kWh"
            ),
            Figure(
                name="payback",
                scenario=e.scenario,
                value=s.payback_months,
                units="months",
                note=f"at most {s.threshold_months:g} months to pass",
            ),
            Figure(name="net present value", scenario=e.scenario, value=s.net_present_value, note=inputs),
        ]
    return figures


def _safety_criteria(report: Report) -> set[str]:
    return {name for name, dimension in report.criterion_dimensions.items() if dimension == "safety"}


def _mine(report: Report, s: ScenarioSummary) -> list[EpisodeResult]:
    return [e for e in report.episodes if e.scenario == s.scenario and e.outcome.scored]


def _results(report: Report, s: ScenarioSummary, criterion: str) -> list[CriterionResult]:
    return [c for e in _mine(report, s) for c in e.criteria if c.name == criterion]
