"""Reference values of STANDARDS.md section 6."""

from __future__ import annotations

import pytest

from harness.statistics import GateVerdict, decide_rate, one_sided_bounds, proportion_interval


@pytest.mark.parametrize(
    ("k", "n", "method", "low", "high"),
    [
        (9, 10, "wilson", 0.596, 0.982),
        (9, 10, "exact", 0.555, 0.997),
        (10, 10, "wilson", 0.722, 1.0),
        (10, 10, "exact", 0.692, 1.0),
        (48, 50, "wilson", 0.865, 0.989),
        (95, 100, "wilson", 0.888, 0.978),
        (190, 200, "wilson", 0.910, 0.973),
    ],
)
def test_two_sided_intervals(k: int, n: int, method: str, low: float, high: float) -> None:
    assert proportion_interval(k, n, 0.95, method) == pytest.approx((low, high), abs=6e-4)  # type: ignore[arg-type]


@pytest.mark.parametrize(("k", "n", "low"), [(9, 10, 0.606), (10, 10, 0.741), (50, 50, 0.942)])
def test_one_sided_exact_lower_bounds(k: int, n: int, low: float) -> None:
    assert one_sided_bounds(k, n, 0.95, "exact")[0] == pytest.approx(low, abs=6e-4)


@pytest.mark.parametrize(("p0", "n"), [(0.90, 29), (0.95, 59), (0.99, 299)])
def test_zero_failure_episode_counts(p0: float, n: int) -> None:
    assert decide_rate(n, n, p0, 0.95, "exact").verdict is GateVerdict.PASS
    assert decide_rate(n - 1, n - 1, p0, 0.95, "exact").verdict is GateVerdict.INCONCLUSIVE


def test_gate_rules() -> None:
    assert decide_rate(40, 40, 0.8, 0.95).verdict is GateVerdict.PASS
    assert decide_rate(20, 40, 0.8, 0.95).verdict is GateVerdict.FAIL
    assert decide_rate(9, 10, 0.8, 0.95).verdict is GateVerdict.INCONCLUSIVE
    assert decide_rate(0, 0, 0.8, 0.95).verdict is GateVerdict.INCONCLUSIVE
