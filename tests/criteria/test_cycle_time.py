from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from criteria.cycle_time import CycleTime, CycleTimeParams
from harness.criterion import EpisodeEnd
from harness.records import TaskStatus
from harness.results import Verdict

SEVERITY = {Verdict.PASS: 0, Verdict.ACCEPTABLE: 1, Verdict.FAIL: 2}


def succeeded_at(tick: int, dt: float = 1 / 30) -> EpisodeEnd:
    return EpisodeEnd(TaskStatus.SUCCEEDED, tick, False, tick, dt)


def test_fast_cycle_passes_with_positive_margin() -> None:
    result = CycleTime(CycleTimeParams(max_s=12.0)).result(succeeded_at(120))
    assert result.verdict is Verdict.PASS
    assert result.measured == pytest.approx(4.0)
    assert result.margin == pytest.approx(8.0)
    assert result.units == "s"


def test_slow_cycle_fails_and_between_target_and_max_is_acceptable() -> None:
    criterion = CycleTime(CycleTimeParams(max_s=5.0, target_s=3.0))
    assert criterion.result(succeeded_at(180)).verdict is Verdict.FAIL  # 6 s
    assert criterion.result(succeeded_at(120)).verdict is Verdict.ACCEPTABLE  # 4 s
    assert criterion.result(succeeded_at(60)).verdict is Verdict.PASS  # 2 s


def test_not_applicable_without_success() -> None:
    result = CycleTime().result(EpisodeEnd(TaskStatus.FAILED, 40, False, None, 0.1))
    assert result.verdict is Verdict.NOT_APPLICABLE
    assert result.measured is None


def test_thresholds_are_validated() -> None:
    with pytest.raises(ValidationError):
        CycleTimeParams(max_s=-1.0)
    with pytest.raises(ValidationError, match="must not exceed max_s"):
        CycleTimeParams(max_s=3.0, target_s=4.0)
    with pytest.raises(ValidationError):
        CycleTime.from_config({"max_seconds": 3})


@given(
    tick=st.integers(1, 10_000),
    extra=st.integers(0, 10_000),
    max_s=st.floats(0.1, 500),
    target=st.one_of(st.none(), st.floats(0.05, 1.0)),
)
def test_a_slower_cycle_never_gets_a_better_verdict(
    tick: int, extra: int, max_s: float, target: float | None
) -> None:
    params = CycleTimeParams(max_s=max_s, target_s=None if target is None else target * max_s)
    criterion = CycleTime(params)
    faster, slower = criterion.result(succeeded_at(tick)), criterion.result(succeeded_at(tick + extra))
    assert SEVERITY[slower.verdict] >= SEVERITY[faster.verdict]
    assert slower.margin is not None and faster.margin is not None
    assert slower.margin <= faster.margin
    assert (slower.verdict is Verdict.FAIL) == (slower.margin < 0)
