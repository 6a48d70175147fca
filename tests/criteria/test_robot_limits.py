"""Robot limits and collisions on hand-made records, and on the workstation with real skills."""

from __future__ import annotations

import math
from pathlib import Path
from types import MappingProxyType

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from criteria.robot_limits import RobotLimits, RobotLimitsParams, tilt
from harness.criterion import EpisodeContext, EpisodeEnd
from harness.records import (
    EMPTY,
    IDENTITY_QUATERNION,
    ZERO3,
    BodyState,
    Contact,
    RobotState,
    StepRecord,
    TaskEvent,
    TaskStatus,
    WorldState,
    frozen_array,
)
from harness.records import (
    RobotHardLimits as Limits,
)
from harness.results import Verdict

LIMITS = Limits(
    frozen_array([-1.0, -2.0]), frozen_array([1.0, 2.0]), frozen_array([2.0, 2.0]), frozen_array([10.0, 5.0])
)
CONTEXT = EpisodeContext("test/x-v1", 0.1, 100, {"robot": LIMITS})
END = EpisodeEnd(TaskStatus.SUCCEEDED, 10, False, 10, 0.1)
SEVERITY = {Verdict.PASS: 0, Verdict.ACCEPTABLE: 1, Verdict.FAIL: 2}


def arm(
    q: tuple[float, float] = (0.0, 0.0),
    qd: tuple[float, float] = (0.0, 0.0),
    tau: tuple[float, float] = (0.0, 0.0),
    ee: tuple[float, float, float] = (0.5, 0.0, 0.3),
    base: BodyState | None = None,
) -> RobotState:
    base = base or BodyState(ZERO3, IDENTITY_QUATERNION, ZERO3, ZERO3)
    return RobotState(
        base,
        frozen_array(q),
        frozen_array(qd),
        frozen_array(tau),
        frozen_array(ee),
        IDENTITY_QUATERNION,
        ZERO3,
        0.0,
    )


def record(
    tick: int,
    robot: RobotState | None = None,
    contacts: tuple[Contact, ...] = (),
    events: tuple[TaskEvent, ...] = (),
) -> StepRecord:
    state = WorldState(MappingProxyType({"robot": robot or arm()}), MappingProxyType({}), contacts)
    return StepRecord(tick, tick * 0.1, EMPTY, state, TaskStatus.RUNNING, events)


def run(criterion: RobotLimits, records: list[StepRecord]) -> list[str | None]:
    criterion.reset(CONTEXT)
    return [criterion.fold(r) for r in records]


def classes(criterion: RobotLimits) -> dict[str, int]:
    return {kind: entry["events"] for kind, entry in criterion.result(END).details["classes"].items()}


def test_within_every_limit_passes() -> None:
    criterion = RobotLimits()
    run(criterion, [record(1, arm((0.5, -1.5), (1.9, -1.0), (10.0, -5.0)))])  # torque at the limit: saturated
    result = criterion.result(END)
    assert result.verdict is Verdict.PASS and result.measured == 0.0 and result.margin == 0.0
    assert result.details["joints"]["robot"]["torque_utilisation"] == 1.0
    assert result.details["joints"]["robot"]["position_margin_rad"] == pytest.approx(0.5)


def test_joint_limits_are_counted_once_per_onset() -> None:
    criterion = RobotLimits()
    over = arm((1.01, 0.0), (0.0, 2.5), (0.0, 5.1))
    run(criterion, [record(1, over), record(2, over), record(3), record(4, over)])
    assert classes(criterion) == {"joint_position": 2, "joint_velocity": 2, "joint_torque": 2}
    result = criterion.result(END)
    assert (
        result.verdict is Verdict.FAIL and result.measured == 6.0 and result.details["events"]["major"] == 6
    )
    assert result.details["classes"]["joint_position"]["ticks"] == 3


def test_position_margin_makes_the_limit_tighter() -> None:
    criterion = RobotLimits(RobotLimitsParams(position_margin_rad=0.1))
    run(criterion, [record(1, arm((0.95, 0.0)))])
    assert classes(criterion) == {"joint_position": 1}


def test_contacts_self_environment_and_expected() -> None:
    contacts = (
        Contact("robot", "panda_leftfinger", "object:0", "base", 3.0),  # expected
        Contact("table", "base", "object:0", "base", 3.0),  # not the robot's
        Contact("robot", "panda_leftfinger", "robot", "panda_rightfinger", 1.0),  # ignored pair
        Contact("human:0", "hand_left", "robot", "panda_link5", 1.0),  # human_contact's to judge
    )
    criterion = RobotLimits()
    run(criterion, [record(1, contacts=contacts)])
    assert criterion.result(END).verdict is Verdict.PASS
    bad = (
        Contact("robot", "panda_link3", "table", "base", 3.0),
        Contact("robot", "panda_link2", "robot", "panda_link6", 1.0),
    )
    criterion = RobotLimits()
    run(criterion, [record(1, contacts=bad)])
    assert classes(criterion) == {"environment_contact": 1, "self_collision": 1}


def test_drop_event_and_keep_out_zone_with_severities() -> None:
    criterion = RobotLimits()
    run(criterion, [record(1, events=(TaskEvent("dropped", "object:0"),))])
    result = criterion.result(END)
    assert result.verdict is Verdict.FAIL and result.details["classes"]["dropped_object"]["first"][
        "what"
    ] == ("object:0 was dropped")
    params = RobotLimitsParams.model_validate(
        {"keep_out_zones": [{"name": "operator", "low": [0.4, -0.1, 0.0], "high": [0.6, 0.1, 0.5]}]}
    )
    criterion = RobotLimits(params)
    reasons = run(criterion, [record(1, arm(ee=(0.0, 0.0, 0.5))), record(2)])
    assert reasons[0] is None and reasons[1] is not None and "keep-out zone 'operator'" in reasons[1]
    minor = RobotLimits(RobotLimitsParams.model_validate({"severity": {"dropped_object": "minor"}}))
    run(minor, [record(1, events=(TaskEvent("dropped", "object:0"),))])
    assert minor.result(END).verdict is Verdict.ACCEPTABLE


def test_falls_only_when_enabled() -> None:
    lying = BodyState(
        frozen_array((0.0, 0.0, 0.2)),
        frozen_array((math.sin(math.pi / 4), 0.0, 0.0, math.cos(math.pi / 4))),
        ZERO3,
        ZERO3,
    )
    robot = arm(base=lying)
    assert tilt(robot) == pytest.approx(math.pi / 2)
    criterion = RobotLimits()
    run(criterion, [record(1, robot)])
    assert criterion.result(END).verdict is Verdict.PASS
    params = RobotLimitsParams.model_validate({"fall": {"min_base_height_m": 0.5, "max_tilt_rad": 0.8}})
    criterion = RobotLimits(params)
    reasons = run(criterion, [record(1, robot)])
    assert reasons[0] is not None and "critical: fall" in reasons[0]
    knee = Contact("robot", "left_knee", "floor", "base", 100.0)
    criterion = RobotLimits(RobotLimitsParams.model_validate({"fall": {}}))
    run(criterion, [record(1, contacts=(knee, Contact("robot", "left_foot", "floor", "base", 100.0)))])
    assert classes(criterion) == {"fall": 1}


joint_states = st.tuples(st.floats(-0.99, 0.99), st.floats(-1.9, 1.9), st.floats(-9.0, 9.0))
violations = st.sampled_from(
    [
        arm((1.5, 0.0)),
        arm((0.0, 0.0), (3.0, 0.0)),
        arm(tau=(0.0, 6.0)),
    ]
)


@given(states=st.lists(joint_states, max_size=15), bad=violations, at=st.integers(0, 15))
def test_adding_a_violation_never_improves_verdict_or_margin(
    states: list[tuple[float, float, float]], bad: RobotState, at: int
) -> None:
    good = [arm((q, 0.0), (v, 0.0), (t, 0.0)) for q, v, t in states]
    before, after = RobotLimits(), RobotLimits()
    run(before, [record(i + 1, r) for i, r in enumerate(good)])
    worse = [*good[:at], bad, *good[at:]]
    run(after, [record(i + 1, r) for i, r in enumerate(worse)])
    first, second = before.result(END), after.result(END)
    assert SEVERITY[second.verdict] >= SEVERITY[first.verdict] and second.verdict is Verdict.FAIL
    assert second.margin is not None and first.margin is not None and second.margin < first.margin


def _verify(tmp_path: Path, skill: str, episodes: int) -> list[dict[str, object]]:
    from harness.campaign.run import run_plan
    from harness.plan.resolve import load_plan

    plan = {
        "skill": skill,
        "scenarios": ["workstation/pick_place-v1"],
        "episodes": episodes,
        "criteria": {"task_success": {}, "robot_limits": {}},
    }
    (tmp_path / "plan.yaml").write_text(yaml.safe_dump(plan), encoding="utf-8")
    report = run_plan(load_plan(tmp_path / "plan.yaml"))
    return [{"outcome": e.outcome, **{c.name: c for c in e.criteria}} for e in report.episodes]


@pytest.mark.sim
def test_the_dropping_skill_is_caught_and_the_reference_skill_passes(tmp_path: Path) -> None:
    for episode in _verify(tmp_path, "pick_place", 3):
        result = episode["robot_limits"]
        assert result.verdict is Verdict.PASS, result.details  # type: ignore[attr-defined]
    for episode in _verify(tmp_path, "pick_place_dropping", 2):
        result = episode["robot_limits"]
        assert result.verdict is Verdict.FAIL  # type: ignore[attr-defined]
        assert set(result.details["classes"]) == {"dropped_object"}  # type: ignore[attr-defined]
