"""Idle time, path lengths and throughput on hand-made records."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from criteria.efficiency import Efficiency, EfficiencyParams
from harness.criterion import EpisodeContext, EpisodeEnd
from harness.records import StepRecord, TaskStatus, WorldState
from harness.results import Verdict
from harness.testing import robot_state

CONTEXT = EpisodeContext("test/x-v1", 0.5, 100)
SEVERITY = {Verdict.PASS: 0, Verdict.ACCEPTABLE: 1, Verdict.FAIL: 2}


def record(tick: int, x: float, speed: float) -> StepRecord:
    state = WorldState({"robot": robot_state((x, 0.0, 0.0), (speed, 0.0, 0.0))}, {})
    return StepRecord(tick, tick * 0.5, robot_state().ee_position, state)


def run(criterion: Efficiency, moves: list[tuple[float, float]], success: bool = True) -> Efficiency:
    criterion.reset(CONTEXT)
    for i, (x, speed) in enumerate(moves):
        criterion.fold(record(i + 1, x, speed))
    return criterion


def end(ticks: int, success: bool = True) -> EpisodeEnd:
    status = TaskStatus.SUCCEEDED if success else TaskStatus.FAILED
    return EpisodeEnd(status, ticks, False, ticks if success else None, 0.5)


def test_idle_fraction_path_and_throughput() -> None:
    moves = [(0.0, 0.0), (0.5, 1.0), (1.0, 1.0), (1.0, 0.0)]
    result = run(Efficiency(), moves).result(end(4))
    assert result.verdict is Verdict.PASS and result.measured == 0.5
    assert result.details["ee_path_m"] == {"robot": pytest.approx(1.0)}
    assert result.details["idle_s"] == 1.0 and result.details["cycle_time_s"] == 2.0
    assert result.details["throughput_per_hour"] == 1800.0
    failed = run(Efficiency(), moves).result(end(4, success=False))
    assert failed.details["throughput_per_hour"] is None


def test_thresholds_give_pass_acceptable_and_fail() -> None:
    moves = [(0.0, 0.0), (0.5, 1.0), (1.0, 1.0), (1.0, 0.0)]
    params = EfficiencyParams(max_idle_fraction=0.6, target_idle_fraction=0.4)
    result = run(Efficiency(params), moves).result(end(4))
    assert result.verdict is Verdict.ACCEPTABLE and result.margin == pytest.approx(0.1)
    assert (
        run(Efficiency(EfficiencyParams(max_idle_fraction=0.4)), moves).result(end(4)).verdict is Verdict.FAIL
    )
    slow = EfficiencyParams(min_throughput_per_hour=2000)
    assert run(Efficiency(slow), moves).result(end(4)).verdict is Verdict.FAIL
    assert run(Efficiency(), []).result(end(0)).verdict is Verdict.NOT_APPLICABLE


@given(
    moves=st.lists(st.tuples(st.floats(-1, 1), st.floats(0, 1)), min_size=1, max_size=15),
    at=st.integers(0, 15),
)
def test_adding_an_idle_tick_never_improves_the_verdict(moves: list[tuple[float, float]], at: int) -> None:
    params = EfficiencyParams(max_idle_fraction=0.3, target_idle_fraction=0.1)
    at = min(at, len(moves))
    idle = (moves[at - 1][0] if at else moves[0][0], 0.0)  # standing where it is
    first = run(Efficiency(params), moves).result(end(len(moves)))
    second = run(Efficiency(params), [*moves[:at], idle, *moves[at:]]).result(end(len(moves) + 1))
    assert SEVERITY[second.verdict] >= SEVERITY[first.verdict]
    assert second.margin is not None and first.margin is not None and second.margin <= first.margin + 1e-12
