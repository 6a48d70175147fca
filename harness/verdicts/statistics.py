"""Intervals and gate decisions. scipy does the arithmetic; nothing here is hand-rolled.

scipy is imported inside the functions that use it: it takes about a second to import, and a
run must not pay that before its first episode (``benchmarks/startup.py``).
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass
from typing import Literal

import numpy as np

IntervalMethod = Literal["wilson", "exact"]


class GateVerdict(enum.StrEnum):
    PASS = "pass"
    FAIL = "fail"
    INCONCLUSIVE = "inconclusive"


def proportion_interval(
    successes: int, trials: int, confidence: float = 0.95, method: IntervalMethod = "wilson"
) -> tuple[float, float]:
    """Two-sided interval for a proportion, to show (Wilson by default, Clopper-Pearson as 'exact')."""
    from scipy.stats import binomtest

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
    successes: int, trials: int, minimum: float, confidence: float, method: IntervalMethod = "exact"
) -> RateDecision:
    """Pass when the one-sided lower bound clears ``minimum``, fail when the upper bound is
    below it. With the exact (Clopper-Pearson) bounds a skill whose rate is ``minimum`` passes
    with probability at most 1 - ``confidence``; Wilson's bounds do not keep that promise."""
    lower, upper = one_sided_bounds(successes, trials, confidence, method)
    if trials > 0 and lower >= minimum:
        verdict = GateVerdict.PASS
    elif trials > 0 and upper < minimum:
        verdict = GateVerdict.FAIL
    else:
        verdict = GateVerdict.INCONCLUSIVE
    return RateDecision(verdict, lower, upper)


def pass_p_value(successes: int, trials: int, minimum: float, method: IntervalMethod = "exact") -> float:
    """One-sided p-value against "the rate is below ``minimum``" (small: evidence it is above).

    The exact binomial test for 'exact', P(X >= successes) at ``minimum``, and the score test
    for 'wilson', so each agrees with the interval of the same name.
    """
    from scipy.stats import binom, norm

    if trials == 0:
        return 1.0
    if method == "exact":
        return float(binom.sf(successes - 1, trials, minimum))
    z = (successes / trials - minimum) / math.sqrt(minimum * (1 - minimum) / trials)
    return float(norm.sf(z))


def pass_threshold(trials: int, minimum: float, level: float, method: IntervalMethod = "exact") -> int | None:
    """Fewest successes out of ``trials`` whose p-value is at most ``level``: the gate passes
    from there up. None when no count passes at this number of trials."""
    if trials == 0:
        return None
    counts = np.arange(trials + 1)
    if method == "exact":
        from scipy.stats import binom

        p_values = binom.sf(counts - 1, trials, minimum)
    else:
        from scipy.stats import norm

        p_values = norm.sf((counts / trials - minimum) / math.sqrt(minimum * (1 - minimum) / trials))
    passing = np.flatnonzero(p_values <= level)
    return int(passing[0]) if passing.size else None


def pass_probability(trials: int, threshold: int | None, rate: float) -> float:
    """Exact probability that ``threshold`` or more of ``trials`` episodes succeed at ``rate``."""
    from scipy.stats import binom

    return 0.0 if threshold is None else float(binom.sf(threshold - 1, trials, rate))


def holm_levels(p_values: list[float], alpha: float) -> list[float]:
    """Holm-Bonferroni: the level each hypothesis is tested at (step-down, in p-value order).

    A hypothesis is rejected when its p-value is at most its level and every hypothesis with a
    smaller p-value was rejected too; :func:`holm_rejections` applies that rule.
    """
    order = sorted(range(len(p_values)), key=lambda i: p_values[i])
    levels = [0.0] * len(p_values)
    for rank, index in enumerate(order):
        levels[index] = alpha / (len(p_values) - rank)
    return levels


def holm_rejections(p_values: list[float], alpha: float) -> list[bool]:
    levels = holm_levels(p_values, alpha)
    rejected = [False] * len(p_values)
    for index in sorted(range(len(p_values)), key=lambda i: p_values[i]):
        if p_values[index] > levels[index]:
            break  # step-down: once one is kept, every larger p-value is kept too
        rejected[index] = True
    return rejected


def episodes_needed(
    minimum: float, confidence: float = 0.95, failures: int = 0, method: IntervalMethod = "exact"
) -> int:
    """Fewest episodes that show a rate >= ``minimum`` with ``failures`` failures among them."""
    trials = failures + 1
    while one_sided_bounds(trials - failures, trials, confidence, method)[0] < minimum:
        trials += 1
        if trials > 10_000_000:
            raise ValueError(f"no episode count up to 10 million shows {minimum} with {failures} failures")
    return trials


def zero_event_upper_bound(trials: int, confidence: float = 0.95) -> float:
    """Upper bound on an event rate after ``trials`` episodes without the event (≈ 3/n at 95 %)."""
    return one_sided_bounds(0, trials, confidence, "exact")[1] if trials else 1.0
