"""Energy per task (the ``economics`` criterion) and the cost model of docs/standards.md §5."""

from __future__ import annotations

import math
from types import MappingProxyType

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from criteria.economics import Economics, EconomicsParams
from harness.criterion import EpisodeContext, EpisodeEnd
from harness.plan.cost_model import CostModel
from harness.records import (
    EMPTY,
    IDENTITY_QUATERNION,
    ZERO3,
    BodyState,
    RobotHardLimits,
    RobotState,
    StepRecord,
    TaskStatus,
    WorldState,
    frozen_array,
)
from harness.results import Verdict
from harness.verdicts.economics import (
    annualised_capex,
    capital_recovery_factor,
    economics_summary,
    net_present_value,
    payback_years,
    throughput_per_hour,
)

ARM = RobotHardLimits(EMPTY, EMPTY, EMPTY, EMPTY, mass=15.0)
BASE = RobotHardLimits(EMPTY, EMPTY, EMPTY, EMPTY, max_base_speed=1.0, mass=50.0)
CONTEXT = EpisodeContext("test/x-v1", 0.1, 100, {"robot": ARM, "amr": BASE})


def record(tick: int, tau: tuple[float, ...], qd: tuple[float, ...], base_speed: float = 0.0) -> StepRecord:
    arm = RobotState(
        BodyState(ZERO3, IDENTITY_QUATERNION, ZERO3, ZERO3), frozen_array([0.0] * len(tau)), frozen_array(qd),
        frozen_array(tau), ZERO3, IDENTITY_QUATERNION, ZERO3, 0.0,
    )  # fmt: skip
    amr = RobotState(
        BodyState(ZERO3, IDENTITY_QUATERNION, frozen_array((base_speed, 0.0, 0.0)), ZERO3),
        EMPTY, EMPTY, EMPTY, EMPTY, EMPTY, EMPTY, 0.0,
    )  # fmt: skip
    state = WorldState(MappingProxyType({"robot": arm, "amr": amr}), MappingProxyType({}))
    return StepRecord(tick, tick * 0.1, EMPTY, state)


def end(ticks: int, success: bool = True) -> EpisodeEnd:
    status = TaskStatus.SUCCEEDED if success else TaskStatus.FAILED
    return EpisodeEnd(status, ticks, False, ticks if success else None, 0.1)


def run(criterion: Economics, records: list[StepRecord]) -> Economics:
    criterion.reset(CONTEXT)
    for r in records:
        criterion.fold(r)
    return criterion


def test_positive_joint_power_over_efficiency_plus_idle_power() -> None:
    records = [record(t, (2.0, -1.0), (1.0, 1.0)) for t in range(1, 11)]  # 2 W driving, 1 W braking
    result = run(Economics(), records).result(end(10))
    assert result.details["mechanical_j"] == pytest.approx(2.0)
    assert result.details["energy_j"] == pytest.approx(2.0 / 0.8 + 60.0 * 1.0)
    assert result.measured == pytest.approx(62.5 / 3600)
    assert result.details["energy_cost_per_task"] == pytest.approx(62.5 / 3.6e6 * 0.20)
    assert result.verdict is Verdict.PASS


def test_rolling_resistance_of_a_moving_base() -> None:
    records = [record(t, (0.0,), (0.0,), base_speed=1.0) for t in range(1, 11)]
    result = run(Economics(EconomicsParams(idle_power_w=0.0)), records).result(end(10))
    assert result.details["mechanical_j"] == pytest.approx(0.015 * 50.0 * 9.81 * 1.0)


def test_failed_task_is_not_applicable_but_keeps_its_energy() -> None:
    result = run(Economics(), [record(1, (1.0,), (1.0,))]).result(end(1, success=False))
    assert result.verdict is Verdict.NOT_APPLICABLE and result.measured is None
    assert result.details["energy_j"] > 0


@given(powers=st.lists(st.floats(-50, 50), max_size=15), extra=st.floats(0, 50), at=st.integers(0, 15))
def test_more_work_never_improves_the_verdict(powers: list[float], extra: float, at: int) -> None:
    params = EconomicsParams(max_energy_wh=0.01)
    before = run(Economics(params), [record(i + 1, (p,), (1.0,)) for i, p in enumerate(powers)])
    worse = [*powers[:at], extra, *powers[at:]]
    after = run(Economics(params), [record(i + 1, (p,), (1.0,)) for i, p in enumerate(worse)])
    first, second = before.result(end(len(powers))), after.result(end(len(worse)))
    assert second.measured is not None and first.measured is not None and second.measured >= first.measured
    assert not (first.verdict is Verdict.FAIL and second.verdict is Verdict.PASS)


def test_capital_recovery_factor() -> None:
    i, n = 0.05, 5
    assert capital_recovery_factor(i, n) == pytest.approx(i * (1 + i) ** n / ((1 + i) ** n - 1))
    assert capital_recovery_factor(i, n) == pytest.approx(0.230975, abs=1e-6)
    assert capital_recovery_factor(0.0, 4) == 0.25
    # the annuity that repays the capex: its discounted sum over the life is the capex
    annuity = 150_000 * capital_recovery_factor(i, n)
    assert sum(annuity / (1 + i) ** t for t in range(1, n + 1)) == pytest.approx(150_000)


def test_payback_worked_example_of_standards_section_5() -> None:
    assert payback_years(150_000, 89_400) == pytest.approx(1.68, abs=0.005)
    assert math.isinf(payback_years(150_000, 0.0))


def example_model(**changes: object) -> CostModel:
    fields: dict[str, object] = {
        "capex": 150_000, "life_years": 5, "interest_rate": 0.05, "maintenance_per_year": 50_600,
        "energy_price_per_kwh": 0.0, "labour_wage_per_hour": 25.0, "labour_burden": 1.4,
        "shifts_per_day": 2, "hours_per_shift": 8, "days_per_year": 250, "manual_picks_per_hour": 100,
        "availability": 1.0,
    }  # fmt: skip
    return CostModel.model_validate({**fields, **changes})


def test_the_whole_chain_reproduces_the_worked_example() -> None:
    # robot at the manual rate for 4000 h/yr: 140 k$ labour displaced - 50.6 k$ upkeep = 89.4 k$
    summary = economics_summary(example_model(), [36.0, 36.0], [3600.0, 3600.0])
    assert summary.throughput_per_hour == pytest.approx(100.0)
    assert summary.tasks_per_year == pytest.approx(400_000)
    assert summary.labour_hours_displaced == pytest.approx(4000)
    assert summary.annual_saving == pytest.approx(89_400)
    assert summary.payback_years == pytest.approx(1.68, abs=0.005)
    assert summary.payback_months == pytest.approx(20.1, abs=0.05)
    assert summary.verdict is Verdict.PASS and summary.threshold_months == 24
    assert summary.net_present_value == pytest.approx(-150_000 + sum(89_400 / 1.05**t for t in range(1, 6)))
    assert summary.cost_per_task == pytest.approx((annualised_capex(example_model()) + 50_600) / 400_000)
    assert summary.cost_model.capex == 150_000  # the inputs travel with the outputs


def test_energy_and_availability_and_the_verdict() -> None:
    model = example_model(energy_price_per_kwh=0.2, availability=0.9, max_payback_months=12)
    summary = economics_summary(model, [36.0], [36_000.0])  # 0.01 kWh per task
    assert summary.throughput_per_hour == pytest.approx(throughput_per_hour(36.0, 0.9))
    assert summary.annual_operating_cost == pytest.approx(50_600 + 360_000 * 0.01 * 0.2)
    assert summary.verdict is Verdict.FAIL
    never = economics_summary(example_model(maintenance_per_year=1e6), [36.0], [0.0])
    assert never.payback_years is None and never.verdict is Verdict.FAIL
    assert net_present_value(100.0, 0.0, 0.05, 5) == -100.0


def test_cost_model_needs_exactly_one_manual_rate() -> None:
    with pytest.raises(ValidationError, match="exactly one"):
        example_model(manual_cycle_time_s=30.0)
    assert example_model(manual_picks_per_hour=None, manual_cycle_time_s=36.0).manual_rate_per_hour == 100.0
    with pytest.raises(ValueError, match="one energy per cycle time"):
        economics_summary(example_model(), [30.0], [])
