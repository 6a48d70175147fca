"""Efficiency improvement over a baseline skill ("current practice" or the previous release).

Both skills run the same episodes (same seeds, same conditions). Over the episodes both
completed, the improvement is 1 - mean cycle time (new) / mean cycle time (baseline), with a
paired bootstrap interval (from a fixed seed, so reports are reproducible). A plan's
``efficiency_improvement`` gate passes when the whole interval clears its minimum and fails
when the whole interval is below it.

scipy is imported inside the functions that use it: it takes about a second to import, and a
run must not pay that before its first episode (``benchmarks/startup.py``).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from pydantic import Field

from harness.results import EpisodeResult, Outcome, ReportModel
from harness.verdicts.statistics import GateVerdict


class Improvement(ReportModel):
    scenario: str
    baseline_skill: str
    pairs: int = Field(description="Episodes (same seed and conditions) both skills completed.")
    mean_cycle_time_s: float | None
    baseline_mean_cycle_time_s: float | None
    improvement: float | None = Field(description="1 - new / baseline mean cycle time.")
    low: float | None
    high: float | None
    confidence: float
    baseline_success_rate: float | None


def _ratio(new: NDArray[np.float64], old: NDArray[np.float64], axis: int = -1) -> NDArray[np.float64]:
    return 1.0 - np.mean(new, axis=axis) / np.mean(old, axis=axis)  # type: ignore[no-any-return]


def measure_improvement(
    scenario: str,
    new: list[EpisodeResult],
    baseline: list[EpisodeResult],
    baseline_skill: str,
    confidence: float = 0.95,
) -> Improvement:
    from scipy.stats import bootstrap

    mine = {(e.seed, e.index): e for e in new if e.scenario == scenario}
    theirs = {(e.seed, e.index): e for e in baseline if e.scenario == scenario}
    keys = [k for k in sorted(mine) if k in theirs]
    both = [k for k in keys if mine[k].outcome is Outcome.SUCCESS and theirs[k].outcome is Outcome.SUCCESS]
    scored = [theirs[k] for k in keys if theirs[k].outcome.scored]
    base_rate = sum(e.outcome is Outcome.SUCCESS for e in scored) / len(scored) if scored else None
    if not both:
        return Improvement(
            scenario=scenario, baseline_skill=baseline_skill, pairs=0, mean_cycle_time_s=None,
            baseline_mean_cycle_time_s=None, improvement=None, low=None, high=None, confidence=confidence,
            baseline_success_rate=base_rate,
        )  # fmt: skip
    new_times = np.array([mine[k].timing.sim_s for k in both])
    old_times = np.array([theirs[k].timing.sim_s for k in both])
    low = high = float(_ratio(new_times, old_times))
    if len(both) >= 2 and (np.ptp(new_times) > 0 or np.ptp(old_times) > 0):
        interval = bootstrap(
            (new_times, old_times), _ratio, paired=True, vectorized=True, confidence_level=confidence,
            n_resamples=2000, method="percentile", rng=np.random.default_rng(0),
        ).confidence_interval  # fmt: skip
        low, high = float(interval.low), float(interval.high)
    return Improvement(
        scenario=scenario, baseline_skill=baseline_skill, pairs=len(both),
        mean_cycle_time_s=float(new_times.mean()), baseline_mean_cycle_time_s=float(old_times.mean()),
        improvement=float(_ratio(new_times, old_times)), low=low, high=high, confidence=confidence,
        baseline_success_rate=base_rate,
    )  # fmt: skip


def improvement_verdict(improvement: Improvement, minimum: float) -> GateVerdict:
    if improvement.low is None or improvement.high is None:
        return GateVerdict.INCONCLUSIVE
    if improvement.low >= minimum:
        return GateVerdict.PASS
    if improvement.high < minimum:
        return GateVerdict.FAIL
    return GateVerdict.INCONCLUSIVE
