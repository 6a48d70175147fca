"""Wald's sequential probability ratio test for a success rate (docs/standards.md §6).

H0: p = p0 (not good enough) against H1: p = p1 (good), with error rates alpha (a bad skill
passes) and beta (a good skill fails). Outcomes are fed in episode-index order, so the
decision never depends on which worker finished first.

scipy is imported inside the functions that use it: it takes about a second to import, and a
run must not pay that before its first episode (``benchmarks/startup.py``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from harness.verdicts.statistics import GateVerdict, decide_rate


@dataclass
class Sprt:
    p0: float
    p1: float
    alpha: float = 0.05
    beta: float = 0.05
    log_ratio: float = field(default=0.0, init=False)
    count: int = field(default=0, init=False)

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

    def update(self, success: bool) -> GateVerdict:
        self.count += 1
        self.log_ratio += self.success_step if success else self.failure_step
        return self.decision

    @property
    def decision(self) -> GateVerdict:
        if self.log_ratio >= self.upper:
            return GateVerdict.PASS
        if self.log_ratio <= self.lower:
            return GateVerdict.FAIL
        return GateVerdict.INCONCLUSIVE

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
    by: str  # "sprt", or "fixed-n bound" when the cap was reached first


def decide_sequentially(
    outcomes: list[bool], sprt: Sprt, max_episodes: int, confidence: float = 0.95
) -> SequentialDecision | None:
    """Feed outcomes in episode-index order; None while more episodes are needed.

    At the cap without an SPRT decision, the fixed-n one-sided bound decides (possibly
    inconclusive), so the test never runs forever.
    """
    test = Sprt(sprt.p0, sprt.p1, sprt.alpha, sprt.beta)
    for index, success in enumerate(outcomes[:max_episodes], 1):
        verdict = test.update(success)
        if verdict is not GateVerdict.INCONCLUSIVE:
            return SequentialDecision(verdict, index, "sprt")
    if len(outcomes) < max_episodes:
        return None
    successes = sum(outcomes[:max_episodes])
    fallback = decide_rate(successes, max_episodes, sprt.p0, confidence)
    return SequentialDecision(fallback.verdict, max_episodes, "fixed-n bound")


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
