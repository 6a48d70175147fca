"""Wald's sequential probability ratio test for a success rate (docs/standards.md §6).

H0: p = p0 (not good enough) against H1: p = p1 (good), with error rates alpha (a bad skill
passes) and beta (a good skill fails). Outcomes are fed in episode-index order, so the
decision never depends on which worker finished first. :class:`Sprt` holds the test's
parameters and Wald's approximations (for sizing a plan); decisions are made by the exact,
capped test in ``harness.verdicts.truncated_sprt``.

scipy is imported inside the functions that use it: it takes about a second to import, and a
run must not pay that before its first episode (``benchmarks/startup.py``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from harness.verdicts.statistics import GateVerdict
from harness.verdicts.truncated_sprt import TruncatedSprt


@dataclass(frozen=True)
class Sprt:
    p0: float
    p1: float
    alpha: float = 0.05
    beta: float = 0.05

    def __post_init__(self) -> None:
        if not 0 < self.p0 < self.p1 < 1:
            raise ValueError(f"need 0 < p0 < p1 < 1, got p0={self.p0}, p1={self.p1}")
        if not (0 < self.alpha < 1 and 0 < self.beta < 1):
            raise ValueError("alpha and beta must lie strictly between 0 and 1")

    @property
    def upper(self) -> float:
        """Pass when the log likelihood ratio reaches ln((1 - beta) / alpha)."""
        return math.log((1 - self.beta) / self.alpha)

    @property
    def lower(self) -> float:
        """Fail when it falls to ln(beta / (1 - alpha))."""
        return math.log(self.beta / (1 - self.alpha))

    @property
    def success_step(self) -> float:
        return math.log(self.p1 / self.p0)

    @property
    def failure_step(self) -> float:
        return math.log((1 - self.p1) / (1 - self.p0))

    def successes_to_pass(self) -> int:
        """Straight successes needed to pass from the start."""
        return math.ceil(self.upper / self.success_step)

    def expected_episodes(self, p: float) -> float:
        """Wald's approximation of the mean episode count when the true rate is ``p``."""
        drift = p * self.success_step + (1 - p) * self.failure_step
        accept = self.operating_characteristic(p)  # probability of ending at the lower boundary
        if abs(drift) < 1e-12:
            return -self.lower * self.upper / (self.success_step * -self.failure_step)
        return (accept * self.lower + (1 - accept) * self.upper) / drift

    def operating_characteristic(self, p: float) -> float:
        """Wald's approximation of the probability that the test ends in FAIL at rate ``p``."""
        a, b = math.exp(self.upper), math.exp(self.lower)
        h = _oc_exponent(p, self.p0, self.p1)
        if abs(h) < 1e-9:
            return self.upper / (self.upper - self.lower)
        return float((a**h - 1) / (a**h - b**h))


def _oc_exponent(p: float, p0: float, p1: float) -> float:
    """The non-zero h with p (p1/p0)^h + (1-p) ((1-p1)/(1-p0))^h = 1 (Wald's OC function)."""

    from scipy.optimize import brentq

    def f(h: float) -> float:
        return float(p * (p1 / p0) ** h + (1 - p) * ((1 - p1) / (1 - p0)) ** h - 1)

    drift = p * math.log(p1 / p0) + (1 - p) * math.log((1 - p1) / (1 - p0))
    if abs(drift) < 1e-12:
        return 0.0
    bracket = (1e-9, 50.0) if drift < 0 else (-50.0, -1e-9)
    return float(brentq(f, *bracket))


@dataclass(frozen=True)
class SequentialDecision:
    verdict: GateVerdict
    episodes: int
    by: str  # "sprt", or "the cap" when the cap was reached first


def decide_sequentially(
    outcomes: list[bool], sprt: Sprt, max_episodes: int, confidence: float = 0.95
) -> SequentialDecision | None:
    """Feed outcomes in episode-index order; None while more episodes are needed.

    The test is the exact, calibrated capped SPRT (``harness.verdicts.truncated_sprt``): its
    false-pass rate at p0 is at most alpha, the cap's decision included.
    """
    test = TruncatedSprt(sprt.p0, sprt.p1, sprt.alpha, sprt.beta, max_episodes)
    decision = test.decide(outcomes, confidence)
    return SequentialDecision(*decision) if decision is not None else None


def fixed_sample_size(p0: float, p1: float, alpha: float = 0.05, beta: float = 0.05) -> tuple[int, int]:
    """The smallest fixed-n exact binomial test with the same error rates: (episodes, successes
    needed to pass). What a sequential test is measured against."""
    from scipy.stats import binom

    for trials in range(1, 100_000):
        needed = int(binom.isf(alpha, trials, p0)) + 1  # smallest k with P(X >= k | p0) <= alpha
        while needed > 0 and binom.sf(needed - 2, trials, p0) <= alpha:
            needed -= 1
        if needed <= trials and binom.sf(needed - 1, trials, p1) >= 1 - beta:
            return trials, needed
    raise ValueError(f"no fixed test up to 100000 episodes separates {p0} from {p1}")
