"""Speed and separation monitoring on hand-made records (no simulator)."""

from __future__ import annotations

from types import MappingProxyType

import pytest
from hypothesis import given
from hypothesis import strategies as st

from criteria.speed_separation import SpeedSeparation, SpeedSeparationParams, protective_distance
from harness.criterion import EpisodeContext, EpisodeEnd
from harness.records import (
    EMPTY,
    IDENTITY_QUATERNION,
    ZERO3,
    BodyState,
    RobotState,
    Separation,
    StepRecord,
    TaskStatus,
    WorldState,
    frozen_array,
)
from harness.results import Verdict

CONTEXT = EpisodeContext("test/x-v1", 0.1, 100)
END = EpisodeEnd(TaskStatus.SUCCEEDED, 10, False, 10, 0.1)


def base_robot(speed: float) -> RobotState:
    base = BodyState(ZERO3, IDENTITY_QUATERNION, frozen_array((speed, 0.0, 0.0)), ZERO3)
    return RobotState(base, EMPTY, EMPTY, EMPTY, EMPTY, EMPTY, EMPTY, 0.0)


def record(tick: int, speed: float, distance: float, region: str = "thigh_left") -> StepRecord:
    state = WorldState(
        MappingProxyType({"robot": base_robot(speed)}),
        MappingProxyType({}),
        (),
        (Separation("robot", "base_link", "human:0", region, distance),),
    )
    return StepRecord(tick, tick * 0.1, frozen_array(()), state)


def run(criterion: SpeedSeparation, steps: list[tuple[float, float]]) -> list[str | None]:
    criterion.reset(CONTEXT)
    return [criterion.fold(record(i + 1, speed, distance)) for i, (speed, distance) in enumerate(steps)]


def test_worked_example_of_standards_section_2() -> None:
    params = SpeedSeparationParams(stopping_distance_m=0.15)
    assert protective_distance(1.0, params) == pytest.approx(0.95)


def test_braking_distance_from_deceleration() -> None:
    params = SpeedSeparationParams(deceleration=1.0)
    assert protective_distance(1.0, params) - protective_distance(0.0, params) == pytest.approx(0.1 + 0.5)


def test_far_from_people_passes() -> None:
    criterion = SpeedSeparation()
    assert run(criterion, [(1.0, 5.0), (1.0, 4.0), (1.0, 3.0)]) == [None, None, None]
    result = criterion.result(END)
    assert result.verdict is Verdict.PASS
    assert result.measured == pytest.approx(3.0 - protective_distance(1.0, SpeedSeparationParams()))
    assert result.details["min_separation_m"] == {"robot|human:0": 3.0}


def test_fast_and_close_is_a_critical_violation_naming_the_region() -> None:
    criterion = SpeedSeparation()
    reasons = run(criterion, [(1.0, 3.0), (1.0, 0.9)])
    assert reasons[0] is None
    assert reasons[1] is not None
    assert "human:0 (thigh_left)" in reasons[1]
    assert "ISO/TS 15066-derived" in reasons[1]
    result = criterion.result(END)
    assert result.verdict is Verdict.FAIL
    assert result.details["violations"] == 1
    assert result.details["worst"]["tick"] == 2
    assert result.margin is not None and result.margin < 0


def test_stopped_or_slowing_robot_is_not_a_violation() -> None:
    criterion = SpeedSeparation()
    assert run(criterion, [(0.0, 0.3), (0.01, 0.2)]) == [None, None]
    criterion = SpeedSeparation()
    assert run(criterion, [(0.3, 2.0), (0.2, 0.5), (0.1, 0.4)]) == [None, None, None]
    assert criterion.result(END).verdict is Verdict.PASS


def test_counting_without_stopping() -> None:
    criterion = SpeedSeparation(SpeedSeparationParams(stop_on_violation=False))
    assert run(criterion, [(1.0, 0.5), (1.0, 0.5)]) == [None, None]
    assert criterion.result(END).details["violations"] == 2


def test_no_people_is_not_applicable() -> None:
    criterion = SpeedSeparation()
    criterion.reset(CONTEXT)
    state = WorldState(MappingProxyType({"robot": base_robot(1.0)}), MappingProxyType({}))
    criterion.fold(StepRecord(1, 0.1, frozen_array(()), state))
    assert criterion.result(END).verdict is Verdict.NOT_APPLICABLE


steps = st.lists(st.tuples(st.floats(0, 2), st.floats(0, 10)), min_size=1, max_size=20)


@given(steps=steps, extra=st.tuples(st.floats(0.1, 2), st.floats(0, 0.5)), at=st.integers(0, 20))
def test_adding_a_close_fast_pass_never_improves_the_verdict(
    steps: list[tuple[float, float]], extra: tuple[float, float], at: int
) -> None:
    params = SpeedSeparationParams(stop_on_violation=False)
    before = SpeedSeparation(params)
    run(before, steps)
    after = SpeedSeparation(params)
    worse = [*steps[:at], extra, *steps[at:]]
    run(after, worse)
    severity = {Verdict.PASS: 0, Verdict.FAIL: 1}
    first, second = before.result(END), after.result(END)
    assert severity[second.verdict] >= severity[first.verdict]
    assert second.details["violations"] >= first.details["violations"]
