"""Reference values of docs/standards.md §6."""

from __future__ import annotations

import pytest

from harness.verdicts.statistics import (
    GateVerdict,
    decide_rate,
    episodes_needed,
    one_sided_bounds,
    proportion_interval,
    zero_event_upper_bound,
)


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


@pytest.mark.parametrize(("minimum", "zero", "one"), [(0.90, 29, 46), (0.95, 59, 93), (0.99, 299, 473)])
def test_episodes_needed_reproduces_the_zero_and_one_failure_tables(
    minimum: float, zero: int, one: int
) -> None:
    assert episodes_needed(minimum, 0.95, 0) == zero
    assert episodes_needed(minimum, 0.95, 1) == one


def test_zero_events_bound_is_about_three_over_n() -> None:
    for trials in (100, 300, 1000):
        assert zero_event_upper_bound(trials) == pytest.approx(3 / trials, rel=0.02)


def test_plan_size_command(capsys: pytest.CaptureFixture[str]) -> None:
    from harness.cli import main

    assert main(["plan-size", "--min", "0.95", "--failures", "1", "--p1", "0.99"]) == 0
    out = capsys.readouterr().out
    assert "│                0 │" in out and "59" in out and "93" in out
    assert "sequential test (SPRT)" in out
    assert main(["plan-size", "--min", "0.9", "--p1", "0.8"]) == 2
