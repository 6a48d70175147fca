"""Efficiency improvement over a baseline skill ("current practice" or the previous release).

Both skills run the same episodes (same seeds, same conditions). Over the episodes both
completed, the improvement is 1 - mean cycle time (new) / mean cycle time (baseline), with a
studentized bootstrap interval from a fixed seed, so reports are reproducible. No exact method
exists for a ratio of means; the interval's coverage is checked by simulation in the tests. A
plan's ``efficiency_improvement`` gate passes when the lower bound clears its minimum and fails
when the upper bound is below it.

"""

from __future__ import annotations

from typing import Any

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
    """The improvement over the episodes both skills completed; ``low`` and ``high`` are
    one-sided bounds, each holding at ``confidence`` (studentized bootstrap)."""
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
    low, high = studentized_bounds(new_times, old_times, confidence)
    return Improvement(
        scenario=scenario, baseline_skill=baseline_skill, pairs=len(both),
        mean_cycle_time_s=float(new_times.mean()), baseline_mean_cycle_time_s=float(old_times.mean()),
        improvement=float(_ratio(new_times, old_times)), low=low, high=high, confidence=confidence,
        baseline_success_rate=base_rate,
    )  # fmt: skip


def studentized_bounds(
    new: NDArray[np.float64], old: NDArray[np.float64], confidence: float, resamples: int = 4000
) -> tuple[float, float]:
    """One-sided bounds on 1 - mean(new) / mean(old) for paired values, each at ``confidence``.

    The studentized (bootstrap-t) interval: resampled pairs give the distribution of
    (R* - R) / se*, with the delta-method standard error of the ratio R in each resample. It is
    second-order accurate for a smooth statistic such as a ratio of means, where the percentile
    and BCa intervals under-cover at the episode counts plans use (docs/statistics.md has the
    simulation). A fixed seed keeps reports reproducible.
    """
    ratio, error = _ratio_and_error(new, old)
    if len(new) < 2 or not error > 1e-12 * abs(ratio):  # no spread: the estimate is all there is
        point = float(_ratio(new, old))
        return point, point
    picks = np.random.default_rng(0).integers(0, len(new), (resamples, len(new)))
    ratios, errors = _ratio_and_error(new[picks], old[picks])
    spread = errors > 1e-12 * np.abs(ratios)  # a resample of identical pairs says nothing
    studentized = (ratios[spread] - ratio) / errors[spread]
    upper_t, lower_t = np.quantile(studentized, [confidence, 1.0 - confidence])
    # bounds on the ratio, then on the improvement 1 - ratio (which turns them round)
    ratio_low, ratio_high = ratio - upper_t * error, ratio - lower_t * error
    return 1.0 - float(ratio_high), 1.0 - float(ratio_low)


def _ratio_and_error(new: NDArray[np.float64], old: NDArray[np.float64]) -> tuple[Any, Any]:
    """mean(new) / mean(old) along the last axis, and its delta-method standard error."""
    ratio = new.mean(axis=-1) / old.mean(axis=-1)
    residuals = new - np.expand_dims(ratio, -1) * old
    count = new.shape[-1]
    error = residuals.std(axis=-1, ddof=1) / np.sqrt(count) / old.mean(axis=-1) if count > 1 else 0.0 * ratio
    return ratio, error


def improvement_verdict(improvement: Improvement, minimum: float) -> GateVerdict:
    if improvement.low is None or improvement.high is None:
        return GateVerdict.INCONCLUSIVE
    if improvement.low >= minimum:
        return GateVerdict.PASS
    if improvement.high < minimum:
        return GateVerdict.FAIL
    return GateVerdict.INCONCLUSIVE
