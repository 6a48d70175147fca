"""Value gates (medians, quantiles, shares of episodes within a bound) keep their promise.

A gate "at least a share s of the values <= b" is decided by an order statistic; for any
continuous distribution whose s-quantile is exactly b it passes with probability at most its
level, and below the smallest n at which it can pass at all it never passes. Checked by exact
enumeration (the count within the bound is binomial) and by simulation with skewed
(log-normal) cycle times whose true quantiles are known.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import binom, norm

from harness.plan.gates import CriterionValueGate
from harness.results import CriterionResult, EpisodeResult, Outcome, Timing, Verdict
from harness.verdicts.gates import evaluate_gates
from harness.verdicts.order_statistics import (
    median_interval,
    quantile_lower_bound,
    quantile_upper_bound,
    smallest_sample,
)
from harness.verdicts.statistics import GateVerdict, pass_threshold

SHARES = (0.5, 0.8, 0.9, 0.95, 0.99)


def test_the_smallest_sample_matches_the_reference() -> None:
    assert smallest_sample(0.5, 0.05) == 5  # the largest of 5 bounds a median at 1 - 1/32
    assert smallest_sample(0.5, 0.025) == 6
    assert smallest_sample(0.95, 0.05) == 59
    assert smallest_sample(0.99, 0.05) == 299


@pytest.mark.parametrize("share", SHARES)
def test_passing_at_the_true_quantile_is_exactly_at_most_alpha(share: float) -> None:
    """The count within the bound is Binomial(n, share) at the boundary: enumerate it."""
    for n in range(1, 501):
        k = pass_threshold(n, share, 0.05)
        assert (k is None) == (n < smallest_sample(share, 0.05))
        if k is not None:
            assert binom.sf(k - 1, n, share) <= 0.05 + 1e-12


def values_episodes(values: list[float]) -> list[EpisodeResult]:
    return [
        EpisodeResult(
            scenario="a/b-v1",
            index=i,
            seed=i,
            outcome=Outcome.SUCCESS,
            ended_by="x",
            conditions={},
            criteria=[CriterionResult(name="cycle_time", verdict=Verdict.PASS, measured=v)],
            timing=Timing(sim_s=1, ticks=1, physics_steps=1, wall_s=0),
        )
        for i, v in enumerate(values)
    ]


def decide(values: list[float], **fields: object) -> GateVerdict:
    gate = CriterionValueGate.model_validate(
        {"metric": "criterion_value", "criterion": "cycle_time", **fields}
    )
    return evaluate_gates([gate], ["a/b-v1"], values_episodes(values), "wilson")[0].verdict


@pytest.mark.parametrize(("share", "sizes"), [(0.5, (2, 4, 5, 8, 12, 20)), (0.9, (20, 29, 40, 60))])
def test_one_sided_miss_rates_stay_within_nominal_on_log_normal_cycle_times(
    share: float, sizes: tuple[int, ...]
) -> None:
    """True s-quantile of log-normal(0, 0.5) is exp(0.5 z_s): a gate at exactly that bound
    must pass at most 5 % of the time (tolerance: 3 standard errors of 4000 runs)."""
    rng = np.random.default_rng(21)
    bound = math.exp(0.5 * norm.ppf(share))
    statistic = {"statistic": "median"} if share == 0.5 else {"statistic": "share", "share": share}
    for n in sizes:
        samples = np.sort(rng.lognormal(0.0, 0.5, (4000, n)), axis=1)
        misses = sum(
            quantile_upper_bound(row, share, 0.05) is not None
            and quantile_upper_bound(row, share, 0.05) <= bound
            for row in samples
        )  # type: ignore[operator]
        if n < smallest_sample(share, 0.05):
            assert misses == 0
            # too few values to pass at all; a clear excess may still fail it
            assert all(
                decide(row.tolist(), max=bound, **statistic) is not GateVerdict.PASS for row in samples[:20]
            )
        else:
            assert misses / 4000 <= 0.05 + 3 * math.sqrt(0.05 * 0.95 / 4000)


def test_the_bounds_cover_from_both_sides() -> None:
    rng = np.random.default_rng(22)
    true = math.exp(0.5 * norm.ppf(0.8))
    above = below = 0
    for _ in range(3000):
        row = np.sort(rng.lognormal(0.0, 0.5, 40))
        upper, lower = quantile_upper_bound(row, 0.8, 0.05), quantile_lower_bound(row, 0.8, 0.05)
        assert upper is not None and lower is not None and lower <= upper
        above += upper < true
        below += lower > true
    assert above / 3000 <= 0.05 + 0.012 and below / 3000 <= 0.05 + 0.012


def test_a_share_gate_passes_fails_and_waits() -> None:
    good = [4.0 + 0.01 * i for i in range(80)]
    bad = [9.0 + 0.01 * i for i in range(80)]
    assert decide(good, statistic="share", share=0.95, max=8.0) is GateVerdict.PASS
    assert decide(bad, statistic="share", share=0.95, max=8.0) is GateVerdict.FAIL
    assert decide(good[:40], statistic="share", share=0.95, max=8.0) is GateVerdict.INCONCLUSIVE  # < 59


def test_a_min_gate_bounds_the_low_tail() -> None:
    """ "At least 99 % of separation margins >= 0.1 m" bounds the 1 % quantile from below."""
    margins = [0.2 + 0.001 * i for i in range(300)]
    assert decide(margins, statistic="share", share=0.99, min=0.1) is GateVerdict.PASS
    assert (
        decide([*margins[:-5], 0.0, 0.0, 0.0, 0.0, 0.0], statistic="share", share=0.99, min=0.1)
        is not GateVerdict.PASS
    )


def test_the_gate_says_how_many_values_it_needs() -> None:
    gate = CriterionValueGate(metric="criterion_value", criterion="cycle_time", max=8.0)
    result = evaluate_gates([gate], ["a/b-v1"], values_episodes([5.0, 6.0, 7.0]), "wilson")[0]
    assert result.verdict is GateVerdict.INCONCLUSIVE
    assert "at least 5 values are needed" in result.note
    assert result.operating_characteristic is not None and result.operating_characteristic.passes_from is None


def test_the_median_interval_has_its_exact_coverage() -> None:
    low, high, coverage = median_interval(np.arange(1.0, 12.0), 0.95)
    assert (low, high) == (2.0, 10.0)  # j = 2 for n = 11: coverage 1 - 2 P(B(11, 1/2) <= 1)
    assert coverage == pytest.approx(1 - 2 * binom.cdf(1, 11, 0.5))
    low, high, coverage = median_interval(np.array([1.0, 2.0, 3.0]), 0.95)
    assert (low, high, coverage) == (1.0, 3.0, pytest.approx(0.75))  # too few: the range, and what it covers
