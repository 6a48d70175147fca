"""The capped SPRT keeps alpha exactly, its cap included, and its exact figures are right.

The test's probability of passing, failing or still running is computed exactly over (episodes,
successes); here that computation is checked against simulation through the test's own
``decide``, and the calibrated test is enumerated over a grid of p0, p1, alpha and caps to
never pass a skill at p0 with probability above alpha.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from harness.verdicts.statistics import GateVerdict
from harness.verdicts.truncated_sprt import TruncatedSprt

STANDARD = TruncatedSprt(0.85, 0.95, 0.05, 0.05, 300)


def test_the_reference_test_keeps_wald_s_boundaries_and_figures() -> None:
    assert STANDARD.upper == pytest.approx(math.log(19))
    assert STANDARD.decide([True] * 26, 0.95) is None
    assert STANDARD.decide([True] * 27, 0.95) == (GateVerdict.PASS, 27, "sprt")
    at_p0, at_p1 = STANDARD.pass_probability([0.85, 0.95])
    assert at_p0 <= 0.05 and at_p1 >= 0.95
    assert STANDARD.expected_episodes(0.85) == pytest.approx(43.5, abs=0.5)  # Monte Carlo gave 43.8
    assert STANDARD.expected_episodes(0.95) == pytest.approx(55.0, abs=0.5)  # and 55.1


def simulate(test: TruncatedSprt, rate: float, runs: int, seed: int) -> tuple[float, float]:
    rng = np.random.default_rng(seed)
    passed, used = 0, 0
    for outcomes in (rng.random((runs, test.cap)) < rate).tolist():
        decision = test.decide(outcomes, 0.95)
        assert decision is not None
        passed += decision[0] is GateVerdict.PASS
        used += decision[1]
    return passed / runs, used / runs


@pytest.mark.parametrize(
    ("test", "rate"), [(STANDARD, 0.85), (STANDARD, 0.9), (TruncatedSprt(0.8, 0.9, 0.1, 0.1, 40), 0.8)]
)
def test_the_exact_figures_agree_with_simulating_the_decisions(test: TruncatedSprt, rate: float) -> None:
    chance, mean_used = simulate(test, rate, 4000, seed=3)
    exact = float(test.pass_probability([rate])[0])
    assert chance == pytest.approx(exact, abs=3 * math.sqrt(exact * (1 - exact) / 4000) + 1e-3)
    assert mean_used == pytest.approx(test.expected_episodes(rate), rel=0.05)


def test_a_tight_cap_is_calibrated_not_left_to_inflate_alpha() -> None:
    """With Wald's boundaries and a fixed-n fallback at a cap of 150 a skill at p0 passed about
    6 % of the time; calibrated, the cap's rule takes only what alpha leaves."""
    capped = TruncatedSprt(0.85, 0.95, 0.05, 0.05, 150)
    assert float(capped.pass_probability([0.85])[0]) <= 0.05
    assert capped.cap_threshold is not None and capped.cap_threshold > 0.85 * 150


def worst_excess(grid: list[tuple[float, float, float, int]]) -> float:
    return max(
        float(TruncatedSprt(p0, p1, a, 0.1, cap).pass_probability([p0])[0]) - a for p0, p1, a, cap in grid
    )


def test_no_capped_test_passes_a_skill_at_p0_above_alpha() -> None:
    grid = [
        (p0, p0 + d, a, cap)
        for p0, d, a, cap in itertools.product(
            (0.5, 0.8, 0.9, 0.95), (0.02, 0.05, 0.1), (0.05, 0.1), (1, 7, 30, 120)
        )
        if p0 + d < 1
    ]
    assert worst_excess(grid) <= 1e-12


@pytest.mark.slow
def test_no_capped_test_passes_a_skill_at_p0_above_alpha_on_the_full_grid() -> None:
    grid = [
        (p0, p0 + d, a, cap)
        for p0, d, a, cap in itertools.product(
            [round(0.5 + 0.03 * i, 2) for i in range(17)],
            (0.01, 0.03, 0.05, 0.1),
            (0.01, 0.05, 0.1),
            (1, 3, 10, 25, 60, 150, 400),
        )
        if p0 + d < 1
    ]
    assert worst_excess(grid) <= 1e-12


def test_passing_becomes_more_likely_as_the_rate_rises() -> None:
    chances = STANDARD.pass_probability(np.linspace(0.0, 1.0, 41))
    assert np.all(np.diff(chances) >= -1e-12)
