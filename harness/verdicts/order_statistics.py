"""Distribution-free bounds on a median or quantile, from order statistics (docs/standards.md §6).

Of n values drawn independently from any distribution, the number below its q-quantile is
at most Binomial(n, q) (exactly so for a continuous one), so the k-th smallest value is an
exact confidence bound for that quantile: above it with probability at least
P(Binomial(n, q) <= k - 1). Nothing is assumed about the shape of the distribution, which is
what makes these bounds right for cycle times, energies and margins that are skewed, bounded
or lumpy. "At least a share s of the values are at most b" is the same statement as "the
s-quantile is at most b", so a gate on it is an exact binomial test on how many values are
within the bound (:func:`harness.verdicts.statistics.pass_threshold`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray


def within(values: list[float], bound: float, above: bool) -> int:
    """How many values are within the bound: at most it, or at least it when ``above``."""
    return sum(v >= bound for v in values) if above else sum(v <= bound for v in values)


def smallest_sample(share: float, alpha: float) -> int:
    """Fewest values with which an order statistic bounds the ``share``-quantile at level
    ``alpha`` at all: share**n <= alpha (5 for a median at 95 %, 59 for the 95th percentile)."""
    return math.ceil(math.log(alpha) / math.log(share) - 1e-12)


def quantile_upper_bound(sorted_values: NDArray[np.float64], share: float, alpha: float) -> float | None:
    """The smallest order statistic that is above the ``share``-quantile with probability at
    least 1 - ``alpha``; None when there are too few values for any."""
    from scipy.stats import binom

    n = len(sorted_values)
    # P(X_(k) >= quantile) >= P(Binomial(n, share) <= k - 1): the first k where that reaches 1 - alpha
    k = np.flatnonzero(binom.cdf(np.arange(n), n, share) >= 1 - alpha)
    return float(sorted_values[k[0]]) if k.size else None


def quantile_lower_bound(sorted_values: NDArray[np.float64], share: float, alpha: float) -> float | None:
    """The largest order statistic below the ``share``-quantile with probability at least
    1 - ``alpha``; None when there are too few values."""
    from scipy.stats import binom

    n = len(sorted_values)
    # P(X_(j) <= quantile) >= P(Binomial(n, share) >= j): the last j where that reaches 1 - alpha
    j = np.flatnonzero(binom.sf(np.arange(n), n, share) >= 1 - alpha)  # sf(j - 1) = P(B >= j)
    return float(sorted_values[j[-1]]) if j.size else None


@dataclass(frozen=True)
class ValueSummary:
    """Median, interquartile mean, worst case and an exact interval for the median.

    ``confidence`` is the interval's achieved coverage: at least the one asked for, or less
    when there are too few values (then the interval is the whole range, min to max).
    """

    count: int
    median: float
    interquartile_mean: float
    worst: float
    low: float
    high: float
    confidence: float


def median_interval(sorted_values: NDArray[np.float64], confidence: float) -> tuple[float, float, float]:
    """The narrowest symmetric order-statistic interval [X_(j), X_(n+1-j)] covering the median
    with probability at least ``confidence``, and its exact coverage; [min, max] with its
    (smaller) coverage 1 - 2 * 0.5**n when no narrower one reaches ``confidence``."""
    from scipy.stats import binom

    n = len(sorted_values)
    # coverage of [X_(j), X_(n+1-j)] is 1 - 2 P(Binomial(n, 1/2) <= j - 1), for j = 1 .. n/2
    j = np.arange(1, n // 2 + 1)
    coverage = 1.0 - 2.0 * binom.cdf(j - 1, n, 0.5)
    good = np.flatnonzero(coverage >= confidence)
    chosen = int(j[good[-1]]) if good.size else 1
    achieved = float(coverage[chosen - 1]) if n >= 2 else 0.0
    return float(sorted_values[chosen - 1]), float(sorted_values[n - chosen]), achieved


def summarise_values(
    values: list[float], worst_is_max: bool = True, confidence: float = 0.95
) -> ValueSummary | None:
    """The summary of ``values`` (None when there are none)."""
    from scipy.stats import trim_mean

    if not values:
        return None
    data = np.sort(np.asarray(values, dtype=np.float64))
    low, high, achieved = median_interval(data, confidence)
    return ValueSummary(
        count=len(data), median=float(np.median(data)), interquartile_mean=float(trim_mean(data, 0.25)),
        worst=float(data[-1] if worst_is_max else data[0]), low=low, high=high, confidence=achieved,
    )  # fmt: skip
