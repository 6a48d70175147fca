"""What endurance runs add up to: interventions per 1000 cycles and how cycle time drifts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np
from pydantic import Field

from harness.results import EpisodeResult, Outcome, ReportModel
from harness.verdicts.reliability import failures_per_1000, longest_success_run
from harness.verdicts.statistics import IntervalMethod


class CycleTimeTrend(ReportModel):
    """Least-squares slope of successful cycles' times against their cycle number."""

    slope_s_per_100_cycles: float
    low: float
    high: float
    confidence: float = 0.95


class EnduranceSummary(ReportModel):
    scenario: str
    runs: int
    aborted_runs: int = Field(description="Runs that ended early (the skill crashed, or infrastructure).")
    cycles: int
    interventions: int
    interventions_by_outcome: dict[Outcome, int]
    interventions_per_1000_cycles: float | None
    interventions_per_1000_low: float
    interventions_per_1000_high: float
    method: IntervalMethod
    mean_cycles_between_interventions: float | None
    mean_cycles_between_interventions_lower_bound: float | None = Field(
        description="1000 / the interval's upper end: holds even without an intervention."
    )
    longest_run_without_intervention: int
    cycle_time_median_s: float | None
    cycle_time_first_tenth_s: float | None = Field(description="Median over the first tenth of each run.")
    cycle_time_last_tenth_s: float | None = Field(description="Median over the last tenth of each run.")
    cycle_time_trend: CycleTimeTrend | None


def summarise_endurance(
    scenario: str, runs: Sequence[EpisodeResult], method: IntervalMethod = "wilson"
) -> EnduranceSummary:
    ordered = sorted((r for r in runs if r.scenario == scenario), key=lambda r: r.index)
    cycles = [c for run in ordered for c in run.cycles]
    succeeded = [c.outcome is Outcome.SUCCESS for c in cycles]
    rate, low, high = failures_per_1000(succeeded, 0.95, method)
    interventions = len(cycles) - sum(succeeded)
    first, last = _tenths(ordered)
    by_outcome = Counter(c.outcome for c in cycles if c.outcome is not Outcome.SUCCESS)
    return EnduranceSummary(
        scenario=scenario, runs=len(ordered),
        aborted_runs=sum(r.outcome not in (Outcome.SUCCESS, Outcome.FAILURE) for r in ordered),
        cycles=len(cycles), interventions=interventions,
        interventions_by_outcome=dict(sorted(by_outcome.items())),
        interventions_per_1000_cycles=rate, interventions_per_1000_low=low, interventions_per_1000_high=high,
        method=method,
        mean_cycles_between_interventions=len(cycles) / interventions if interventions else None,
        mean_cycles_between_interventions_lower_bound=1000.0 / high if high > 0 else None,
        longest_run_without_intervention=max(
            (longest_success_run([c.outcome is Outcome.SUCCESS for c in run.cycles]) for run in ordered),
            default=0,
        ),
        cycle_time_median_s=_median([c.sim_s for c in cycles if c.outcome is Outcome.SUCCESS]),
        cycle_time_first_tenth_s=_median(first), cycle_time_last_tenth_s=_median(last),
        cycle_time_trend=_trend(ordered),
    )  # fmt: skip


def _successful_times(run: EpisodeResult) -> list[tuple[int, float]]:
    return [(c.cycle, c.sim_s) for c in run.cycles if c.outcome is Outcome.SUCCESS]


def _tenths(runs: Sequence[EpisodeResult]) -> tuple[list[float], list[float]]:
    first: list[float] = []
    last: list[float] = []
    for run in runs:
        tenth = max(1, len(run.cycles) // 10)
        times = _successful_times(run)
        first += [t for cycle, t in times if cycle < tenth]
        last += [t for cycle, t in times if cycle >= len(run.cycles) - tenth]
    return first, last


def _trend(runs: Sequence[EpisodeResult], confidence: float = 0.95) -> CycleTimeTrend | None:
    points = [point for run in runs for point in _successful_times(run)]
    if len(points) < 3 or len({cycle for cycle, _ in points}) < 2:
        return None
    x, y = np.array(points, dtype=np.float64).T
    from scipy import stats  # imported where used: slow to import, needed only here

    fit = stats.linregress(x, y)
    margin = float(stats.t.ppf(0.5 + confidence / 2, len(points) - 2) * fit.stderr)
    slope = float(fit.slope)
    return CycleTimeTrend(
        slope_s_per_100_cycles=100 * slope,
        low=100 * (slope - margin),
        high=100 * (slope + margin),
        confidence=confidence,
    )


def _median(values: list[float]) -> float | None:
    return float(np.median(values)) if values else None
