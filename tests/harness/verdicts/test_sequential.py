"""The sequential gate: docs/standards.md §6 reference values and a Monte-Carlo check of its errors."""

from __future__ import annotations

import numpy as np
import pytest

from harness.verdicts.sequential import Sprt, decide_sequentially, fixed_sample_size
from harness.verdicts.statistics import GateVerdict

STANDARD = Sprt(p0=0.85, p1=0.95, alpha=0.05, beta=0.05)


def test_thresholds_and_expected_episodes_match_the_reference() -> None:
    assert STANDARD.upper == pytest.approx(np.log(19))
    assert STANDARD.lower == pytest.approx(-np.log(19))
    assert STANDARD.successes_to_pass() == 27
    assert STANDARD.expected_episodes(0.85) == pytest.approx(38, abs=1)
    assert STANDARD.expected_episodes(0.95) == pytest.approx(52, abs=1)


def test_27_straight_successes_pass_and_26_do_not() -> None:
    assert decide_sequentially([True] * 26, STANDARD, 200) is None
    decision = decide_sequentially([True] * 27, STANDARD, 200)
    assert decision is not None
    assert (decision.verdict, decision.episodes, decision.by) == (GateVerdict.PASS, 27, "sprt")


def test_the_cap_decides_when_the_sprt_has_not() -> None:
    alternating = [True, True, True, True, True, True, True, True, True, False] * 3
    decision = decide_sequentially(alternating, STANDARD, 30)
    assert decision is not None
    assert decision.by == "the cap"
    assert decision.episodes == 30


def test_invalid_parameters() -> None:
    with pytest.raises(ValueError, match="p0 < p1"):
        Sprt(0.95, 0.85)
    with pytest.raises(ValueError, match="alpha and beta"):
        Sprt(0.8, 0.9, alpha=0.0)


def simulate(p: float, runs: int, cap: int, seed: int) -> tuple[float, float]:
    """Pass rate and mean episode count over ``runs`` simulated campaigns (vectorised SPRT)."""
    rng = np.random.default_rng(seed)
    outcomes = rng.random((runs, cap)) < p
    steps = np.where(outcomes, STANDARD.success_step, STANDARD.failure_step)
    paths = np.cumsum(steps, axis=1)
    crossed = (paths >= STANDARD.upper) | (paths <= STANDARD.lower)
    decided = crossed.any(axis=1)
    first = np.where(decided, crossed.argmax(axis=1), cap - 1)
    passed = np.where(decided, paths[np.arange(runs), first] >= STANDARD.upper, False)
    undecided = np.flatnonzero(~decided)
    for row in undecided:  # rare: let the real implementation apply the rule at the cap
        decision = decide_sequentially(outcomes[row].tolist(), STANDARD, cap)
        assert decision is not None
        passed[row] = decision.verdict is GateVerdict.PASS
    return float(passed.mean()), float((first + 1).mean())


def test_monte_carlo_error_rates_and_savings() -> None:
    false_pass, _ = simulate(0.85, 20_000, cap=300, seed=1)
    true_pass, mean_episodes = simulate(0.95, 20_000, cap=300, seed=2)
    assert false_pass <= 0.05 + 0.01
    assert true_pass >= 0.95 - 0.01
    fixed_episodes, _ = fixed_sample_size(0.85, 0.95, 0.05, 0.05)
    assert mean_episodes <= 0.6 * fixed_episodes


def test_fixed_sample_size_has_the_stated_error_rates() -> None:
    from scipy.stats import binom

    trials, needed = fixed_sample_size(0.85, 0.95)
    assert (trials, needed) == (93, 85)
    assert binom.sf(needed - 1, trials, 0.85) <= 0.05
    assert binom.sf(needed - 1, trials, 0.95) >= 0.95


def test_the_vectorised_simulation_agrees_with_the_implementation() -> None:
    rng = np.random.default_rng(5)
    for _ in range(200):
        outcomes = (rng.random(150) < 0.9).tolist()
        decision = decide_sequentially(outcomes, STANDARD, 150)
        steps = np.where(outcomes, STANDARD.success_step, STANDARD.failure_step).cumsum()
        crossed = np.flatnonzero((steps >= STANDARD.upper) | (steps <= STANDARD.lower))
        assert decision is not None
        if crossed.size:
            assert decision.episodes == crossed[0] + 1
