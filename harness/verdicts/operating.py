"""Operating characteristics: what a gate could and could not tell, at the episodes it used.

For every gate the report carries the exact probability that it passes as a function of the
true value it judges (a success rate, or the share of episodes within a value bound), the
true values at which it passes with 50 % and 90 % probability, and what a skill exactly at the
threshold would get: a gate that claims exactness passes such a skill with probability at most
its level. Sequential gates add their exact mean number of episodes at p0 and p1.
"""

from __future__ import annotations

import numpy as np
from pydantic import Field

from harness.results import ReportModel
from harness.verdicts.statistics import pass_probability
from harness.verdicts.truncated_sprt import TruncatedSprt

GRID = np.round(np.linspace(0.0, 1.0, 101), 2)
"""True values the curve is given at."""


class OperatingCharacteristic(ReportModel):
    variable: str = Field(description="What the curve's x axis is, e.g. 'true success rate'.")
    threshold: float = Field(description="The gate's threshold on that variable.")
    level: float = Field(description="The false-pass rate the gate was tested at (after Holm or Bonferroni).")
    episodes: int = Field(description="Episodes it judged (the cap, for a sequential gate).")
    passes_from: int | None = Field(
        None, description="Successes (or values within the bound) from which it passes; None if none can."
    )
    false_pass_at_threshold: float = Field(
        description="Exact probability that a skill exactly at the threshold passes."
    )
    pass_50: float | None = Field(description="True value at which it passes half the time.")
    pass_90: float | None = Field(description="True value at which it passes 90 % of the time.")
    curve: list[tuple[float, float]] = Field(description="(true value, probability of passing).")
    expected_episodes_at_p0: float | None = None
    expected_episodes_at_p1: float | None = None


def fixed_n(
    variable: str, threshold: float, level: float, episodes: int, passes_from: int | None
) -> OperatingCharacteristic:
    """The curve of a gate that passes when ``passes_from`` or more of ``episodes`` succeed."""
    from scipy.stats import beta

    curve = list(zip(GRID.tolist(), _pass_curve(episodes, passes_from), strict=True))
    # P(Binomial(n, p) >= k) is the Beta(k, n - k + 1) distribution function at p
    quantile = (
        (lambda q: float(beta.ppf(q, passes_from, episodes - passes_from + 1))) if passes_from else None
    )
    return OperatingCharacteristic(
        variable=variable, threshold=threshold, level=level, episodes=episodes, passes_from=passes_from,
        false_pass_at_threshold=pass_probability(episodes, passes_from, threshold),
        pass_50=quantile(0.5) if quantile else None, pass_90=quantile(0.9) if quantile else None,
        curve=[(x, round(y, 6)) for x, y in curve],
    )  # fmt: skip


def _pass_curve(episodes: int, passes_from: int | None) -> list[float]:
    from scipy.stats import binom

    if passes_from is None:
        return [0.0] * len(GRID)
    return [float(p) for p in binom.sf(passes_from - 1, episodes, GRID)]


def sequential(test: TruncatedSprt) -> OperatingCharacteristic:
    """The exact curve of a capped SPRT, with its mean episode counts at p0 and p1."""
    probabilities = test.pass_probability(GRID)
    return OperatingCharacteristic(
        variable="true success rate", threshold=test.p0, level=test.alpha, episodes=test.cap,
        passes_from=test.cap_threshold,
        false_pass_at_threshold=float(test.pass_probability([test.p0])[0]),
        pass_50=_crossing(test, 0.5), pass_90=_crossing(test, 0.9),
        curve=[(float(x), round(float(y), 6)) for x, y in zip(GRID, probabilities, strict=True)],
        expected_episodes_at_p0=test.expected_episodes(test.p0),
        expected_episodes_at_p1=test.expected_episodes(test.p1),
    )  # fmt: skip


def _crossing(test: TruncatedSprt, probability: float) -> float | None:
    """The rate at which the test passes with ``probability`` (bisection: it rises with the rate)."""
    low, high = 0.0, 1.0 - 1e-9
    if float(test.pass_probability([high])[0]) < probability:
        return None
    for _ in range(40):
        middle = (low + high) / 2
        if float(test.pass_probability([middle])[0]) < probability:
            low = middle
        else:
            high = middle
    return round(high, 6)
