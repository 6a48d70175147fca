from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scenarios.people import WalkingPath

PATH = WalkingPath(((0.0, 0.0), (4.0, 0.0), (4.0, 3.0)), speed=1.0)


def test_walks_forward_then_back() -> None:
    assert PATH.length == pytest.approx(7.0)
    start, corner, end = PATH.pose_at(0.0), PATH.pose_at(4.0), PATH.pose_at(7.0)
    assert (start.x, start.y) == (0.0, 0.0)
    assert (corner.x, corner.y) == pytest.approx((4.0, 0.0))
    assert (end.x, end.y) == pytest.approx((4.0, 3.0))
    back = PATH.pose_at(8.0)
    assert (back.x, back.y) == pytest.approx((4.0, 2.0))
    assert back.vy == pytest.approx(-1.0)


def test_needs_two_waypoints() -> None:
    with pytest.raises(ValueError, match="two waypoints"):
        WalkingPath(((0.0, 0.0),), speed=1.0)


@given(st.floats(0, 1000))
def test_stays_on_the_path_at_walking_speed(time_s: float) -> None:
    pose = PATH.pose_at(time_s)
    on_first = abs(pose.y) < 1e-9 and -1e-9 <= pose.x <= 4 + 1e-9
    on_second = abs(pose.x - 4) < 1e-9 and -1e-9 <= pose.y <= 3 + 1e-9
    assert on_first or on_second
    assert math.hypot(pose.vx, pose.vy) == pytest.approx(1.0)


def test_same_time_same_pose() -> None:
    assert PATH.pose_at(123.4) == PATH.pose_at(123.4)
