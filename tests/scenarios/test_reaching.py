"""A visitor walks up, reaches in with one arm, withdraws and walks back: pure functions of time."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scenarios.people import (
    FOREARM_M,
    SHOULDER,
    UPPER_ARM_M,
    Reach,
    ReachingVisit,
    WalkerPose,
    WalkingPath,
    arm_angles,
    hand_position,
)

ORIGIN = WalkerPose(0.0, 0.0, 0.0, 0.0, 0.0)
VISIT = ReachingVisit(
    WalkingPath(((3.0, 0.2), (1.0, 0.2)), speed=0.5),  # 4 s to walk up
    Reach("left", 1.0, 0.4),
    delay_s=1.0,
    move_s=0.5,
    hold_s=2.0,
)  # stands 4 s; a cycle takes 12 s


@given(st.floats(0.05, 0.55), st.floats(0.0, 1.0))
def test_arm_angles_put_the_hand_where_asked(forward: float, share: float) -> None:
    drop = share * math.sqrt(max((UPPER_ARM_M + FOREARM_M) ** 2 - forward**2, 0.0)) * 0.99
    shoulder, elbow = arm_angles(forward, drop)
    assert elbow >= 0.0  # bent the way a person's elbow bends
    x, y, z = hand_position(ORIGIN, "right", shoulder, elbow)
    assert (x, y, z) == pytest.approx((forward, -SHOULDER[1], SHOULDER[2] - drop), abs=1e-9)


def test_out_of_reach_the_arm_is_stretched_towards_the_point() -> None:
    shoulder, elbow = arm_angles(1.0, 1.0)
    assert (shoulder, elbow) == pytest.approx((math.pi / 4, 0.0))


def test_hand_position_turns_with_the_body() -> None:
    facing_west = WalkerPose(2.0, 1.0, math.pi, 0.0, 0.0)
    x, y, z = hand_position(facing_west, "left", math.pi / 2, 0.0, floor_z=-0.7)
    assert (x, y, z) == pytest.approx((2.0 - UPPER_ARM_M - FOREARM_M, 1.0 - SHOULDER[1], SHOULDER[2] - 0.7))


def test_walks_up_stands_reaches_in_holds_withdraws_and_walks_back() -> None:
    walking, _ = VISIT.at(2.0)
    assert (walking.x, walking.vx) == pytest.approx((2.0, -0.5))
    for time_s, extension in ((4.5, 0.0), (5.25, 0.5), (5.5, 1.0), (7.0, 1.0), (7.75, 0.5), (8.0, 0.0)):
        pose, out = VISIT.at(time_s)
        assert (pose.x, pose.y, pose.vx, pose.vy) == pytest.approx((1.0, 0.2, 0.0, 0.0))
        assert math.cos(pose.yaw) == pytest.approx(-1.0)  # facing the way it came: the table
        assert out == pytest.approx(extension)
    leaving, out = VISIT.at(10.0)
    assert (leaving.x, leaving.vx, out) == pytest.approx((2.0, 0.5, 0.0))
    assert VISIT.at(14.0) == VISIT.at(2.0)  # and again


@given(st.floats(0.0, 100.0))
def test_the_arm_moves_smoothly(time_s: float) -> None:
    step = 1e-4
    (_, now), (_, later) = VISIT.at(time_s), VISIT.at(time_s + step)
    assert 0.0 <= now <= 1.0
    assert abs(later - now) <= math.pi / 2 / VISIT.move_s * step + 1e-9  # peak rate of the cosine ramp


def test_start_shifts_the_cycle() -> None:
    shifted = ReachingVisit(VISIT.path, VISIT.reach, 1.0, 0.5, 2.0, start_s=3.0)
    assert shifted.at(2.5) == VISIT.at(5.5)
