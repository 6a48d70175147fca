"""Rate gates keep their promise: a skill at its threshold passes with probability at most alpha.

Checked by exact enumeration of the binomial, not by a few reference values: for each
threshold p0 and episode count n the gate passes from some count k* up, and the chance of that
at p0 is P(Binomial(n, p0) >= k*). The default run covers a coarse grid; ``-m slow`` covers
every threshold 0.50-0.99 and every n from 1 to 500. The gate's own code path is checked to
pass exactly from k* on, and Holm's family of gates to keep the family-wise rate within alpha.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy.stats import binom

from harness.plan.gates import SuccessRateGate
from harness.results import EpisodeResult, Outcome, Timing
from harness.verdicts.gates import evaluate_gates
from harness.verdicts.statistics import GateVerdict, holm_rejections, pass_probability, pass_threshold

ALPHAS = (0.05, 0.1, 0.01)


def worst_excess(thresholds: list[float], counts: range, alpha: float, method: str = "exact") -> float:
    """The largest P(pass at p0) - alpha over the grid (<= 0: the promise holds everywhere)."""
    worst = -1.0
    for p0 in thresholds:
        n = np.arange(counts.start, counts.stop)
        thresholds_k = np.array([pass_threshold(int(m), p0, alpha, method) or m + 1 for m in n])  # type: ignore[arg-type]
        chances = binom.sf(thresholds_k - 1, n, p0)
        worst = max(worst, float((chances - alpha).max()))
    return worst


@pytest.mark.parametrize("alpha", ALPHAS)
def test_exact_gates_never_pass_a_skill_at_its_threshold_too_often(alpha: float) -> None:
    thresholds = [0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 0.97, 0.99]
    assert worst_excess(thresholds, range(1, 201), alpha) <= 1e-12


@pytest.mark.slow
@pytest.mark.parametrize("alpha", ALPHAS)
def test_exact_gates_keep_alpha_on_the_full_grid(alpha: float) -> None:
    thresholds = [round(0.5 + 0.01 * i, 2) for i in range(50)]
    assert worst_excess(thresholds, range(1, 501), alpha) <= 1e-12


def test_wilson_gates_break_the_promise_where_the_reference_says() -> None:
    """At p0 0.8 and 11 episodes, 11/11 clears Wilson's bound (0.803): passes 8.6 % of the time."""
    k = pass_threshold(11, 0.8, 0.05, "wilson")
    assert k == 11
    assert pass_probability(11, k, 0.8) == pytest.approx(0.0859, abs=1e-4)
    assert pass_threshold(11, 0.8, 0.05, "exact") is None  # exactly: 14 straight successes are needed
    pairs = list(itertools.product([0.7 + 0.05 * i for i in range(6)], range(5, 201)))
    over = sum(pass_probability(n, pass_threshold(n, p0, 0.05, "wilson"), p0) > 0.05 for p0, n in pairs)
    assert 0.15 < over / len(pairs) < 0.35  # "about a quarter of (threshold, n) pairs"


def episodes(successes: int, trials: int, scenario: str = "a/b-v1") -> list[EpisodeResult]:
    return [
        EpisodeResult(
            scenario=scenario,
            index=i,
            seed=i,
            outcome=Outcome.SUCCESS if i < successes else Outcome.FAILURE,
            ended_by="x",
            conditions={},
            criteria=[],
            timing=Timing(sim_s=1, ticks=1, physics_steps=1, wall_s=0),
        )
        for i in range(trials)
    ]


@pytest.mark.parametrize(("p0", "n"), [(0.8, 14), (0.9, 29), (0.9, 46), (0.95, 59), (0.7, 33)])
def test_the_gate_passes_from_the_enumerated_count_on(p0: float, n: int) -> None:
    gate = SuccessRateGate(min=p0)
    k = pass_threshold(n, p0, 0.05)
    assert k is not None
    verdicts = {
        s: evaluate_gates([gate], ["a/b-v1"], episodes(s, n), "wilson")[0].verdict for s in (k - 1, k, n)
    }
    assert verdicts[k] is GateVerdict.PASS and verdicts[n] is GateVerdict.PASS
    assert verdicts[k - 1] is not GateVerdict.PASS


def test_a_gate_result_says_what_it_promises_and_carries_its_curve() -> None:
    result = evaluate_gates([SuccessRateGate(min=0.9)], ["a/b-v1"], episodes(29, 29), "wilson")[0]
    assert result.verdict is GateVerdict.PASS and result.exact
    curve = result.operating_characteristic
    assert curve is not None and curve.passes_from == 29 and curve.false_pass_at_threshold <= 0.05
    assert curve.pass_50 is not None and pass_probability(29, 29, curve.pass_50) == pytest.approx(0.5)
    assert curve.pass_90 is not None and pass_probability(29, 29, curve.pass_90) == pytest.approx(0.9)
    probabilities = [p for _, p in curve.curve]
    assert probabilities == sorted(probabilities) and probabilities[0] == 0 and probabilities[-1] == 1
    assert "at most 0.05" in result.guarantee


def test_a_wilson_gate_is_marked_approximate_and_says_by_how_much() -> None:
    gate = SuccessRateGate(min=0.8, method="wilson")
    result = evaluate_gates([gate], ["a/b-v1"], episodes(11, 11), "wilson")[0]
    assert result.verdict is GateVerdict.PASS  # what Wilson allows, and exactness forbids
    assert not result.exact
    assert "0.0859" in result.guarantee and "above the nominal 0.05" in result.guarantee
    exact = evaluate_gates([SuccessRateGate(min=0.8)], ["a/b-v1"], episodes(11, 11), "wilson")[0]
    assert exact.verdict is GateVerdict.INCONCLUSIVE


SETTINGS = [(0.8, 30), (0.9, 50), (0.7, 20), (0.95, 80), (0.85, 40)]


@pytest.mark.parametrize("gates", [2, 3, 5])
def test_holm_keeps_the_family_wise_false_pass_rate_within_alpha(gates: int) -> None:
    """Every skill exactly at its threshold: the chance that any gate passes, computed exactly
    (independent scenarios: Holm rejects something only if the smallest p-value is <= alpha/m),
    and simulated by running Holm's procedure on exact p-values of random outcomes."""
    settings = SETTINGS[:gates]
    clear = [pass_probability(n, pass_threshold(n, p0, 0.05 / gates), p0) for p0, n in settings]
    assert 1 - np.prod([1 - c for c in clear]) <= 0.05
    rng = np.random.default_rng(11)
    counts = np.column_stack([rng.binomial(n, p0, 20_000) for p0, n in settings])
    p_values = np.column_stack([binom.sf(counts[:, i] - 1, n, p0) for i, (p0, n) in enumerate(settings)])
    any_passed = [any(holm_rejections(row.tolist(), 0.05)) for row in p_values]
    assert np.mean(any_passed) <= 0.05 + 0.005  # about 3 standard errors at 20 000 runs


def test_the_gates_code_applies_holm_to_exact_p_values() -> None:
    """The same decisions through evaluate_gates, on random outcomes near the thresholds."""
    rng = np.random.default_rng(12)
    scenarios = [f"s/g{i}-v1" for i in range(3)]
    plan = [SuccessRateGate(min=p0, scenario=s) for (p0, _), s in zip(SETTINGS, scenarios, strict=False)]
    for _ in range(40):
        counts = [int(rng.binomial(n, min(1.0, p0 + 0.08))) for p0, n in SETTINGS[:3]]
        found = [
            e for (_, n), s, k in zip(SETTINGS, scenarios, counts, strict=False) for e in episodes(k, n, s)
        ]
        results = evaluate_gates(plan, scenarios, found, "wilson")
        p_values = [binom.sf(k - 1, n, p0) for (p0, n), k in zip(SETTINGS, counts, strict=False)]
        expected = holm_rejections(p_values, 0.05)
        assert [r.verdict is GateVerdict.PASS for r in results] == expected
        assert [r.p_value for r in results] == pytest.approx(p_values)
