"""Speed limits around people on hand-made records, and on the patrol with real skills."""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from criteria.speed_limits import SpeedLimits, SpeedLimitsParams, protective_field_length
from harness.criterion import EpisodeContext, EpisodeEnd
from harness.records import (
    EMPTY,
    IDENTITY_QUATERNION,
    ZERO3,
    BodyState,
    RobotHardLimits,
    RobotState,
    Separation,
    StepRecord,
    TaskEvent,
    TaskStatus,
    WorldState,
    frozen_array,
)
from harness.results import Verdict
from harness.testing import robot_state

BASE = RobotHardLimits(EMPTY, EMPTY, EMPTY, EMPTY, max_base_speed=1.0, mass=50.0)
CONTEXT = EpisodeContext("test/x-v1", 0.1, 100, {"amr": BASE})
END = EpisodeEnd(TaskStatus.SUCCEEDED, 10, False, 10, 0.1)
SEVERITY = {Verdict.NOT_APPLICABLE: 0, Verdict.PASS: 0, Verdict.ACCEPTABLE: 1, Verdict.FAIL: 2}
ZONE = {"name": "shared", "low": [0.3, -0.3, 0.0], "high": [0.7, 0.3, 0.5]}


def amr(speed: float) -> RobotState:
    base = BodyState(ZERO3, IDENTITY_QUATERNION, frozen_array((speed, 0.0, 0.0)), ZERO3)
    return RobotState(base, EMPTY, EMPTY, EMPTY, EMPTY, EMPTY, EMPTY, 0.0)


def base_record(
    tick: int, speed: float, person: float = 10.0, events: tuple[TaskEvent, ...] = ()
) -> StepRecord:
    separations = (Separation("amr", "base", "human:0", "thigh_left", person),)
    state = WorldState(MappingProxyType({"amr": amr(speed)}), MappingProxyType({}), (), separations)
    return StepRecord(tick, tick * 0.1, EMPTY, state, TaskStatus.RUNNING, events)


def arm_record(tick: int, ee: tuple[float, float, float], speed: float) -> StepRecord:
    robots = MappingProxyType({"robot": robot_state(ee, (speed, 0.0, 0.0))})
    return StepRecord(tick, tick * 0.1, EMPTY, WorldState(robots, MappingProxyType({})))


def run(
    criterion: SpeedLimits, records: list[StepRecord], context: EpisodeContext = CONTEXT
) -> list[str | None]:
    criterion.reset(context)
    return [criterion.fold(r) for r in records]


def classes(criterion: SpeedLimits) -> dict[str, int]:
    return {kind: entry["events"] for kind, entry in criterion.result(END).details["classes"].items()}


@pytest.mark.parametrize(("speed", "length"), [(0.3, 0.30), (1.0, 0.88), (1.5, 1.60)])
def test_protective_field_lengths_of_standards_section_3(speed: float, length: float) -> None:
    # deceleration 1 m/s^2, 80 ms scanner, 100 ms controller, 0.2 m tolerances
    assert protective_field_length(speed, SpeedLimitsParams()) == pytest.approx(length, abs=0.006)


def test_tcp_speed_only_counts_inside_a_collaborative_zone() -> None:
    params = SpeedLimitsParams.model_validate({"collaborative_zones": [ZONE]})
    criterion = SpeedLimits(params)
    run(
        criterion,
        [arm_record(1, (0.0, 0.0, 0.3), 1.0), arm_record(2, (0.5, 0.0, 0.3), 0.2)],
        EpisodeContext("t", 0.1, 9),
    )
    assert criterion.result(END).verdict is Verdict.PASS
    criterion = SpeedLimits(params)
    run(criterion, [arm_record(1, (0.5, 0.0, 0.3), 0.4)], EpisodeContext("t", 0.1, 9))
    assert classes(criterion) == {"tcp_speed": 1}
    faster = SpeedLimitsParams.model_validate({"collaborative_zones": [{**ZONE, "tcp_speed_limit": 0.5}]})
    criterion = SpeedLimits(faster)
    run(criterion, [arm_record(1, (0.5, 0.0, 0.3), 0.4)], EpisodeContext("t", 0.1, 9))
    assert criterion.result(END).verdict is Verdict.PASS


def test_nothing_declared_and_no_base_is_not_applicable() -> None:
    criterion = SpeedLimits()
    run(criterion, [arm_record(1, (0.5, 0.0, 0.3), 2.0)], EpisodeContext("t", 0.1, 9))
    assert criterion.result(END).verdict is Verdict.NOT_APPLICABLE


def test_a_base_that_cannot_stop_before_a_person_is_caught() -> None:
    criterion = SpeedLimits()
    run(criterion, [base_record(1, 1.0, 3.0), base_record(2, 1.0, 0.95)])
    assert criterion.result(END).verdict is Verdict.PASS
    assert criterion.result(END).details["worst"]["stopping_margin_m"] == pytest.approx(0.95 - 0.88)
    criterion = SpeedLimits()
    run(criterion, [base_record(1, 1.0, 0.8)])
    assert classes(criterion) == {"stopping_distance": 1}


def test_site_rule_near_people_and_declared_field() -> None:
    params = SpeedLimitsParams(base_speed_near_people=0.3, near_people_m=1.5, protective_field_m=0.4)
    criterion = SpeedLimits(params)
    run(criterion, [base_record(1, 0.5, 1.4), base_record(2, 0.5, 5.0), base_record(3, 0.25, 1.0)])
    assert classes(criterion) == {"base_speed_near_people": 1, "protective_field": 1}


def test_no_restart_before_a_reset_after_a_protective_stop() -> None:
    stop, reset = (TaskEvent("protective_stop", "amr"),), (TaskEvent("reset"),)
    ok = [
        base_record(1, 0.5, events=stop),
        base_record(2, 0.1),
        base_record(3, 0.0),
        base_record(4, 0.0, events=reset),
    ]
    criterion = SpeedLimits()
    assert run(criterion, [*ok, base_record(5, 0.5)]) == [None] * 5
    assert criterion.result(END).verdict is Verdict.PASS
    criterion = SpeedLimits()
    reasons = run(criterion, [*ok[:3], base_record(4, 0.3)])
    assert reasons[3] is not None and "without a reset" in reasons[3] and "critical: restart" in reasons[3]
    assert criterion.result(END).verdict is Verdict.FAIL


def test_no_restart_while_the_person_is_in_the_protective_field() -> None:
    params = SpeedLimitsParams(protective_field_m=1.0)
    steps = [(0.3, 2.0), (0.0, 0.9), (0.0, 0.8), (0.2, 0.8)]
    criterion = SpeedLimits(params)
    reasons = run(criterion, [base_record(i + 1, v, d) for i, (v, d) in enumerate(steps)])
    assert reasons[3] is not None and "protective field" in reasons[3]
    criterion = SpeedLimits(params)
    left = [(0.3, 2.0), (0.0, 0.9), (0.0, 1.5), (0.2, 1.5)]  # resumes once the person left
    assert run(criterion, [base_record(i + 1, v, d) for i, (v, d) in enumerate(left)]) == [None] * 4


steps = st.lists(st.tuples(st.floats(0, 0.3), st.floats(1.0, 10.0)), max_size=15)


@given(steps=steps, bad=st.tuples(st.floats(0.8, 1.0), st.floats(0.0, 0.5)), at=st.integers(0, 15))
def test_adding_a_violation_never_improves_verdict_or_margin(
    steps: list[tuple[float, float]], bad: tuple[float, float], at: int
) -> None:
    before, after = SpeedLimits(), SpeedLimits()
    run(before, [base_record(i + 1, v, d) for i, (v, d) in enumerate(steps)])
    worse = [*steps[:at], bad, *steps[at:]]
    run(after, [base_record(i + 1, v, d) for i, (v, d) in enumerate(worse)])
    first, second = before.result(END), after.result(END)
    assert SEVERITY[second.verdict] >= SEVERITY[first.verdict] and second.verdict is Verdict.FAIL
    assert second.margin is not None and first.margin is not None and second.margin < first.margin


def _speed_limits(tmp_path: Path, skill: str) -> Verdict:
    from harness.campaign.run import run_plan
    from harness.plan.resolve import load_plan

    plan = {"skill": skill, "scenarios": ["inspection/patrol-v1"], "episodes": 1, "seed": 0,
            "criteria": {"speed_limits": {}}}  # fmt: skip
    (tmp_path / "plan.yaml").write_text(yaml.safe_dump(plan), encoding="utf-8")
    (episode,) = run_plan(load_plan(tmp_path / "plan.yaml")).episodes
    return next(c.verdict for c in episode.criteria if c.name == "speed_limits")


@pytest.mark.sim
def test_the_speeding_patrol_is_caught_and_the_reference_patrol_passes(tmp_path: Path) -> None:
    assert _speed_limits(tmp_path, "patrol") is Verdict.PASS
    assert _speed_limits(tmp_path, "patrol_speeding") is Verdict.FAIL
