"""Wald's SPRT capped at a number of episodes, computed exactly and calibrated to its alpha.

Wald's boundaries promise error rates only approximately, and a cap adds a decision of its own
at the last episode. Here both are exact: the test's state after n episodes is its number of
successes k, so the probability of every way it can end (pass, fail, or still running at the
cap) follows from a walk over (n, k), with no simulation. Before a test is used, its pass
boundary is raised if it must be, and its pass rule at the cap set, so that a skill whose rate
is p0 passes with probability at most alpha, truncation included; a higher rate passes more
often (the pass probability rises with the rate), so alpha bounds every rate up to p0. The
log likelihood ratio is computed from the counts, k ln(p1/p0) + (n - k) ln((1-p1)/(1-p0)),
the same way here and when deciding, so the two cannot disagree at a boundary.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from harness.verdicts.statistics import GateVerdict, one_sided_bounds, pass_threshold

NEGLIGIBLE = 1e-15
"""Probability of still running below which the walk stops early (it only gets smaller)."""


@dataclass(frozen=True)
class Walk:
    """Where the test ends, for each rate: pass, fail, still running at the cap (by successes)."""

    passed: NDArray[np.float64]
    failed: NDArray[np.float64]
    at_cap: NDArray[np.float64]  # (rates, cap + 1): probability of k successes and no decision
    expected_episodes: NDArray[np.float64]


@dataclass(frozen=True)
class TruncatedSprt:
    """H0: p = p0 against H1: p = p1, with error rates alpha and beta, at most ``cap`` episodes."""

    p0: float
    p1: float
    alpha: float
    beta: float
    cap: int

    def __post_init__(self) -> None:
        if not 0 < self.p0 < self.p1 < 1:
            raise ValueError(f"need 0 < p0 < p1 < 1, got p0={self.p0}, p1={self.p1}")
        if not (0 < self.alpha < 1 and 0 < self.beta < 1) or self.cap < 1:
            raise ValueError("alpha and beta must lie strictly between 0 and 1, and the cap be positive")

    @property
    def success_step(self) -> float:
        return math.log(self.p1 / self.p0)

    @property
    def failure_step(self) -> float:
        return math.log((1 - self.p1) / (1 - self.p0))

    @property
    def lower(self) -> float:
        """Fail when the log likelihood ratio falls to ln(beta / (1 - alpha)) (Wald's)."""
        return math.log(self.beta / (1 - self.alpha))

    def log_ratio(self, episodes: int, successes: int) -> float:
        return successes * self.success_step + (episodes - successes) * self.failure_step

    @cached_property
    def upper(self) -> float:
        """Pass when the log likelihood ratio reaches this: Wald's ln((1 - beta) / alpha),
        raised until the passes before the cap alone stay within alpha."""
        upper = math.log((1 - self.beta) / self.alpha)
        while float(self.walk([self.p0], upper).passed[0]) > self.alpha:
            upper += self.success_step / 4  # a quarter success at a time: few steps are ever needed
        return upper

    @cached_property
    def cap_threshold(self) -> int | None:
        """Fewest successes at the cap that still pass: a count the exact fixed-n test would
        pass at alpha on its own, and within what is left of alpha once the earlier passes are
        counted; None when no count qualifies."""
        walk = self.walk([self.p0], self.upper)
        budget = self.alpha - float(walk.passed[0])
        tail = np.cumsum(walk.at_cap[0][::-1])[::-1]  # P(at least k successes and still running)
        allowed = np.flatnonzero(tail <= budget)
        fixed = pass_threshold(self.cap, self.p0, self.alpha)
        if not allowed.size or fixed is None:
            return None
        return max(int(allowed[0]), fixed)

    def walk(self, rates: list[float] | NDArray[np.float64], upper: float | None = None) -> Walk:
        """The exact distribution of how the test ends at each of ``rates``."""
        p = np.asarray(rates, dtype=np.float64)[:, None]
        upper = self.upper if upper is None else upper
        mass = np.ones((p.shape[0], 1))  # running probability by successes, from ``offset``
        offset = 0
        passed, failed, expected = (np.zeros(p.shape[0]) for _ in range(3))
        for n in range(1, self.cap + 1):
            expected += mass.sum(axis=1)
            grown = np.zeros((p.shape[0], mass.shape[1] + 1))
            grown[:, :-1] += mass * (1 - p)
            grown[:, 1:] += mass * p
            k = np.arange(offset, offset + grown.shape[1])
            llr = k * self.success_step + (n - k) * self.failure_step
            up, down = llr >= upper, llr <= self.lower
            passed += grown[:, up].sum(axis=1)
            failed += grown[:, down].sum(axis=1)
            running = np.flatnonzero(~(up | down))
            if running.size == 0 or grown[:, running].sum() < NEGLIGIBLE:
                return Walk(passed, failed, np.zeros((p.shape[0], self.cap + 1)), expected)
            mass, offset = grown[:, running[0] : running[-1] + 1], offset + int(running[0])
            mass[:, (up | down)[running[0] : running[-1] + 1]] = 0.0
        at_cap = np.zeros((p.shape[0], self.cap + 1))
        at_cap[:, offset : offset + mass.shape[1]] = mass
        return Walk(passed, failed, at_cap, expected)

    def pass_probability(self, rates: list[float] | NDArray[np.float64]) -> NDArray[np.float64]:
        """Exact probability of passing at each of ``rates``, the cap's rule included."""
        walk = self.walk(rates)
        threshold = self.cap_threshold
        at_cap = walk.at_cap[:, threshold:].sum(axis=1) if threshold is not None else 0.0
        return walk.passed + at_cap

    def expected_episodes(self, rate: float) -> float:
        """Exact mean number of episodes the test uses at ``rate``, the cap included."""
        return float(self.walk([rate]).expected_episodes[0])

    def decide(self, outcomes: list[bool], confidence: float) -> tuple[GateVerdict, int, str] | None:
        """(verdict, episodes used, what decided) for outcomes in episode-index order; None
        while more are needed. At the cap the count of successes decides: a pass from
        :attr:`cap_threshold` up, a fail when the exact upper bound at ``confidence`` is below
        p0, inconclusive otherwise."""
        successes = 0
        for n, success in enumerate(outcomes[: self.cap], 1):
            successes += success
            llr = self.log_ratio(n, successes)
            if llr >= self.upper:
                return GateVerdict.PASS, n, "sprt"
            if llr <= self.lower:
                return GateVerdict.FAIL, n, "sprt"
        if len(outcomes) < self.cap:
            return None
        if self.cap_threshold is not None and successes >= self.cap_threshold:
            return GateVerdict.PASS, self.cap, "the cap"
        upper_bound = one_sided_bounds(successes, self.cap, confidence, "exact")[1]
        verdict = GateVerdict.FAIL if upper_bound < self.p0 else GateVerdict.INCONCLUSIVE
        return verdict, self.cap, "the cap"
