"""Per-scenario statistics for the report: every rate with an interval, every measurement with
its median, interquartile mean, worst case and an exact order-statistic interval for the median."""

from __future__ import annotations

from collections import Counter

import numpy as np
from pydantic import Field

from harness.results import CriterionResult, EpisodeResult, Outcome, ReportModel, Verdict
from harness.verdicts.order_statistics import summarise_values
from harness.verdicts.reliability import ReliabilitySummary, episode_reliability
from harness.verdicts.statistics import IntervalMethod, proportion_interval


class Interval(ReportModel):
    low: float
    high: float
    confidence: float
    method: str


class Rate(ReportModel):
    """``count`` of ``trials`` episodes, with a two-sided interval on the rate."""

    count: int
    trials: int
    rate: float | None
    interval: Interval


class Values(ReportModel):
    count: int
    median: float
    interquartile_mean: float
    worst: float
    median_interval: Interval


class CriterionSummary(ReportModel):
    name: str
    units: str
    required: bool
    counts: dict[Verdict, int]
    fail_rate: Rate
    values: Values | None = None


class RecoverySummary(ReportModel):
    """How often the skill still finished the task after a declared fault was injected."""

    fault: str
    kind: str
    injected: int = Field(description="Scored episodes in which the fault fired.")
    not_fired: int = Field(
        description="Scored episodes (cycles) it did not fire in: not armed, its event never came, "
        "no room to inject it, or the task ended first."
    )
    recovered: Rate = Field(description="Of the injected episodes, those that succeeded anyway.")
    outcomes: dict[Outcome, int]
    median_time_to_success_s: float | None = Field(
        description="Simulated seconds from the fault to the task's success, over recovered episodes."
    )


class ScenarioSummary(ReportModel):
    scenario: str
    skill: str
    source: str
    planned: int
    attempted: int
    scored: int
    unscored: int
    successes: int
    success_rate: float | None
    success_interval: Interval
    outcomes: dict[Outcome, int]
    outcome_rates: dict[Outcome, Rate]
    criteria: list[CriterionSummary]
    reliability: ReliabilitySummary
    recovery: list[RecoverySummary] = Field(default_factory=list)


def rate(count: int, trials: int, method: IntervalMethod, confidence: float = 0.95) -> Rate:
    low, high = proportion_interval(count, trials, confidence, method)
    interval = Interval(low=low, high=high, confidence=confidence, method=method)
    return Rate(count=count, trials=trials, rate=count / trials if trials else None, interval=interval)


def summarise_scenario(
    scenario: str,
    source: str,
    planned: int,
    episodes: list[EpisodeResult],
    method: IntervalMethod,
    skill: str = "",
    faults: list[tuple[str, str]] | None = None,
) -> ScenarioSummary:
    mine = [e for e in episodes if e.scenario == scenario]
    scored = [e for e in mine if e.outcome.scored]
    faults = faults or []
    outcomes = Counter(e.outcome for e in mine)
    success = rate(outcomes[Outcome.SUCCESS], len(scored), method)
    return ScenarioSummary(
        scenario=scenario, skill=skill, source=source, planned=planned, attempted=len(mine),
        scored=len(scored),
        unscored=len(mine) - len(scored), successes=success.count, success_rate=success.rate,
        success_interval=success.interval, outcomes=dict(sorted(outcomes.items())),
        outcome_rates={o: rate(outcomes[o], len(scored), method) for o in Outcome if o.scored},
        criteria=_criteria(scored, method),
        reliability=episode_reliability(scored, method=method),
        recovery=_recovery(scored, faults, method),
    )  # fmt: skip


def _recovery(
    episodes: list[EpisodeResult], faults: list[tuple[str, str]], method: IntervalMethod
) -> list[RecoverySummary]:
    """Per declared fault (name, kind): the recovery rate over the episodes it fired in (over
    the cycles it fired in, for endurance runs)."""
    summaries = []
    for name, kind in faults:
        trials = [trial for e in episodes for trial in _fault_trials(e, name)]
        outcomes = Counter(outcome for outcome, _ in trials)
        times = [seconds for outcome, seconds in trials if outcome is Outcome.SUCCESS]
        units = sum(len(e.cycles) or 1 for e in episodes)
        summaries.append(
            RecoverySummary(
                fault=name,
                kind=kind,
                injected=len(trials),
                not_fired=units - len(trials),
                recovered=rate(outcomes[Outcome.SUCCESS], len(trials), method),
                outcomes=dict(sorted(outcomes.items())),
                median_time_to_success_s=float(np.median(times)) if times else None,
            )
        )
    return summaries


def _fault_trials(episode: EpisodeResult, name: str) -> list[tuple[Outcome, float]]:
    """(outcome, seconds from the fault to the end) for each time ``name`` hit the episode."""
    dt = episode.timing.sim_s / episode.timing.ticks if episode.timing.ticks else 0.0
    found = []
    for fault in episode.faults:
        if fault.name != name:
            continue
        if fault.cycle is None:
            found.append((episode.outcome, (episode.timing.ticks - fault.tick) * dt))
        elif fault.cycle < len(episode.cycles):
            cycle = episode.cycles[fault.cycle]
            found.append((cycle.outcome, cycle.sim_s - fault.tick * cycle.sim_s / max(cycle.ticks, 1)))
    return found


def _criteria(episodes: list[EpisodeResult], method: IntervalMethod) -> list[CriterionSummary]:
    names = list(dict.fromkeys(c.name for e in episodes for c in e.criteria))
    summaries = []
    for name in names:
        results = [c for e in episodes for c in e.criteria if c.name == name]
        counts = Counter(c.verdict for c in results)
        judged = len(results) - counts[Verdict.NOT_APPLICABLE]
        summaries.append(
            CriterionSummary(
                name=name,
                units=results[0].units,
                required=results[0].required,
                counts=dict(sorted(counts.items())),
                fail_rate=rate(counts[Verdict.FAIL], judged, method),
                values=_values(results),
            )
        )
    return summaries


def _values(results: list[CriterionResult]) -> Values | None:
    measured = [c.measured for c in results if c.measured is not None]
    summary = summarise_values(measured)
    if summary is None:
        return None
    # the worst case is the measurement with the smallest margin to its threshold
    margins = [(c.margin, c.measured) for c in results if c.measured is not None and c.margin is not None]
    worst = min(margins)[1] if margins else summary.worst
    interval = Interval(
        low=summary.low, high=summary.high, confidence=summary.confidence, method="order statistic"
    )
    return Values(
        count=summary.count,
        median=summary.median,
        interquartile_mean=summary.interquartile_mean,
        worst=worst,
        median_interval=interval,
    )
