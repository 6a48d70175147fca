"""Intervals and gate decisions. scipy does the arithmetic; nothing here is hand-rolled."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Literal

from scipy.stats import binomtest

IntervalMethod = Literal["wilson", "exact"]


class GateVerdict(enum.StrEnum):
    PASS = "pass"
    FAIL = "fail"
    INCONCLUSIVE = "inconclusive"


def proportion_interval(
    successes: int, trials: int, confidence: float = 0.95, method: IntervalMethod = "wilson"
) -> tuple[float, float]:
    """Two-sided interval for a proportion (Wilson by default, Clopper-Pearson as 'exact')."""
    if trials == 0:
        return 0.0, 1.0
    ci = binomtest(successes, trials).proportion_ci(confidence_level=confidence, method=method)
    return float(ci.low), float(ci.high)


def one_sided_bounds(
    successes: int, trials: int, confidence: float = 0.95, method: IntervalMethod = "wilson"
) -> tuple[float, float]:
    """Lower and upper one-sided bounds, each holding at ``confidence`` on its own."""
    return proportion_interval(successes, trials, 2 * confidence - 1, method)


@dataclass(frozen=True)
class RateDecision:
    verdict: GateVerdict
    lower: float
    upper: float


def decide_rate(
    successes: int, trials: int, minimum: float, confidence: float, method: IntervalMethod = "wilson"
) -> RateDecision:
    """Pass when the lower bound clears ``minimum``, fail when the upper bound is below it."""
    lower, upper = one_sided_bounds(successes, trials, confidence, method)
    if trials > 0 and lower >= minimum:
        verdict = GateVerdict.PASS
    elif trials > 0 and upper < minimum:
        verdict = GateVerdict.FAIL
    else:
        verdict = GateVerdict.INCONCLUSIVE
    return RateDecision(verdict, lower, upper)
