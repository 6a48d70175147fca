"""Campaign reliability from episode outcomes in index order: pure functions and a summary.

Each episode is one cycle. A failure is any scored outcome other than success (the skill's
fault); infrastructure errors are not cycles of the skill and are left out, as everywhere else.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field

from harness.results import EpisodeResult, Outcome
from harness.verdicts.statistics import IntervalMethod, proportion_interval


def failures_per_1000(
    successes: Sequence[bool], confidence: float = 0.95, method: IntervalMethod = "wilson"
) -> tuple[float | None, float, float]:
    """Failures per 1000 cycles with its two-sided interval (also per 1000 cycles)."""
    failures, cycles = len(successes) - sum(successes), len(successes)
    low, high = proportion_interval(failures, cycles, confidence, method)
    rate = 1000.0 * failures / cycles if cycles else None
    return rate, 1000.0 * low, 1000.0 * high


def mean_cycles_between_failures(successes: Sequence[bool]) -> float | None:
    """Cycles per failure (MCBF); None without a failure (see the bound in the summary)."""
    failures = len(successes) - sum(successes)
    return len(successes) / failures if failures else None


def mean_time_between_failures(successes: Sequence[bool], sim_times_s: Sequence[float]) -> float | None:
    """Simulated seconds of operation per failure (MTBF); None without a failure."""
    if len(successes) != len(sim_times_s):
        raise ValueError(f"{len(successes)} outcomes but {len(sim_times_s)} sim times; need one each")
    failures = len(successes) - sum(successes)
    return math.fsum(sim_times_s) / failures if failures else None


def longest_success_run(successes: Sequence[bool]) -> int:
    """Most consecutive successes, in index order."""
    longest = current = 0
    for success in successes:
        current = current + 1 if success else 0
        longest = max(longest, current)
    return longest


class ReliabilitySummary(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    cycles: int
    failures: int
    failures_per_1000: float | None
    failures_per_1000_low: float
    failures_per_1000_high: float
    confidence: float
    method: IntervalMethod
    mean_cycles_between_failures: float | None
    mean_cycles_between_failures_lower_bound: float | None = Field(
        description="1000 / the interval's upper end: a bound that holds even with no failure."
    )
    mean_time_between_failures_s: float | None
    total_sim_time_s: float
    longest_success_run: int


def reliability_summary(
    successes: Sequence[bool],
    sim_times_s: Sequence[float],
    confidence: float = 0.95,
    method: IntervalMethod = "wilson",
) -> ReliabilitySummary:
    """Everything above for outcomes (True = success) and sim times in episode index order."""
    rate, low, high = failures_per_1000(successes, confidence, method)
    return ReliabilitySummary(
        cycles=len(successes),
        failures=len(successes) - sum(successes),
        failures_per_1000=rate,
        failures_per_1000_low=low,
        failures_per_1000_high=high,
        confidence=confidence,
        method=method,
        mean_cycles_between_failures=mean_cycles_between_failures(successes),
        mean_cycles_between_failures_lower_bound=1000.0 / high if high > 0 else None,
        mean_time_between_failures_s=mean_time_between_failures(successes, sim_times_s),
        total_sim_time_s=math.fsum(sim_times_s),
        longest_success_run=longest_success_run(successes),
    )


def episode_reliability(
    episodes: Sequence[EpisodeResult], confidence: float = 0.95, method: IntervalMethod = "wilson"
) -> ReliabilitySummary:
    """Reliability of one scenario's (or a campaign's) episodes; unscored ones are left out."""
    ordered = sorted((e for e in episodes if e.outcome.scored), key=lambda e: (e.scenario, e.index))
    return reliability_summary(
        [e.outcome is Outcome.SUCCESS for e in ordered], [e.timing.sim_s for e in ordered], confidence, method
    )
