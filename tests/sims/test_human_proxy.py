"""The articulated human proxy: arms that bend at shoulder and elbow, regions that keep their names."""

from __future__ import annotations

import math

import numpy as np
import pybullet as p
import pytest

from harness.errors import UsageError
from harness.world import HUMAN_REGIONS
from scenarios.people import WalkerPose, hand_position
from sims.pybullet import PyBulletWorld
from sims.pybullet.human import REGIONS

pytestmark = pytest.mark.sim
BASE, YAW = (1.0, 0.3, -0.7), 2.0


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    world = PyBulletWorld(240)
    world.add_human("human:0", BASE, yaw=YAW)
    yield world
    world.close()


def _centre(world: PyBulletWorld, region: str) -> np.ndarray:
    body = world._ids["human:0"]
    low, high = p.getAABB(body, list(REGIONS).index(region), physicsClientId=world.client)
    return (np.array(low) + np.array(high)) / 2


def _standing(region: str) -> np.ndarray:
    *_, cx, cy, cz = REGIONS[region]
    c, s = math.cos(YAW), math.sin(YAW)
    return np.array([BASE[0] + c * cx - s * cy, BASE[1] + s * cx + c * cy, BASE[2] + cz])


def test_links_are_the_regions_and_stand_where_the_rigid_proxy_stood(world: PyBulletWorld) -> None:
    assert set(REGIONS) == set(HUMAN_REGIONS)
    body = world._ids["human:0"]
    assert p.getNumJoints(body, physicsClientId=world.client) == len(REGIONS)
    for region in REGIONS:
        np.testing.assert_allclose(_centre(world, region), _standing(region), atol=1e-12)


@pytest.mark.parametrize(
    ("side", "shoulder", "elbow"), [("left", 1.0, 0.5), ("right", 0.4, 1.2), ("left", -0.3, 0.0)]
)
def test_arm_pose_moves_the_hand_where_the_arm_geometry_says(
    world: PyBulletWorld, side: str, shoulder: float, elbow: float
) -> None:
    world.set_human_arm("human:0", side, shoulder, elbow)
    expected = hand_position(WalkerPose(BASE[0], BASE[1], YAW, 0.0, 0.0), side, shoulder, elbow, BASE[2])
    np.testing.assert_allclose(_centre(world, f"hand_{side}"), expected, atol=1e-9)
    other = "right" if side == "left" else "left"
    for region in (f"upper_arm_{other}", f"lower_arm_{other}", f"hand_{other}", "chest"):
        np.testing.assert_allclose(_centre(world, region), _standing(region), atol=1e-12)


def test_raising_the_arm_forward_lifts_the_hand_in_front_of_the_body(world: PyBulletWorld) -> None:
    hanging = _centre(world, "hand_left")
    world.set_human_arm("human:0", "left", math.pi / 2, 0.0)  # straight out in front
    raised = _centre(world, "hand_left")
    facing = np.array([math.cos(YAW), math.sin(YAW)])
    assert float(np.dot(raised[:2] - hanging[:2], facing)) == pytest.approx(0.58, abs=1e-9)
    assert raised[2] - hanging[2] == pytest.approx(0.58, abs=1e-9)


def test_stepping_does_not_move_the_arm_and_a_reset_lowers_it(world: PyBulletWorld) -> None:
    world.save_baseline()
    hanging = _centre(world, "hand_right")
    world.set_human_arm("human:0", "right", 0.9, 0.7)
    posed = _centre(world, "hand_right")
    world.step(48)
    np.testing.assert_array_equal(_centre(world, "hand_right"), posed)
    world.restore_baseline()
    np.testing.assert_array_equal(_centre(world, "hand_right"), hanging)


def test_separations_and_contacts_name_the_reaching_hand(world: PyBulletWorld) -> None:
    pose = WalkerPose(BASE[0], BASE[1], YAW, 0.0, 0.0)
    reached = hand_position(pose, "left", 1.2, 0.3, BASE[2])
    probe = np.array(reached) + 0.3 * np.array([math.cos(YAW), math.sin(YAW), 0.0])
    world.add_box("probe", (0.05, 0.05, 0.05), tuple(probe))
    world.track_separation("probe", "human:0")
    before = world.read().separations[0]
    world.set_human_arm("human:0", "left", 1.2, 0.3)
    after = world.read().separations[0]
    assert after.link_b == "hand_left" and before.link_b != "hand_left"
    assert after.distance < before.distance - 0.3
    world.add_box("block", (0.04, 0.04, 0.04), reached, mass=0.2)  # dropped into the hand
    world.step(1)
    touching = {
        c.link_b if c.body_b == "human:0" else c.link_a for c in world.read().touching("block", "human:0")
    }
    assert touching == {"hand_left"}


def test_an_arm_is_left_or_right(world: PyBulletWorld) -> None:
    with pytest.raises(UsageError, match="'left' or 'right'"):
        world.set_human_arm("human:0", "middle", 0.1, 0.1)


def test_a_swinging_hand_meets_a_body_at_its_own_speed(world: PyBulletWorld) -> None:
    """The approach speed of a contact with the hand counts the hand's motion, not only the body's."""
    pose = WalkerPose(BASE[0], BASE[1], YAW, 0.0, 0.0)
    world.set_human_arm("human:0", "left", 1.2, 0.3)
    reached = hand_position(pose, "left", 1.2, 0.3, BASE[2])
    world.add_box("block", (0.04, 0.04, 0.04), (reached[0], reached[1], reached[2] + 0.1), mass=0.2)

    def first_contact_speed() -> float:
        for _ in range(240):
            world.step(1)
            contacts = world.read().touching("block", "human:0")
            if contacts:
                return max(c.normal_speed for c in contacts)
        raise AssertionError("the block never landed in the hand")

    world.save_baseline()
    still = first_contact_speed()
    world.restore_baseline()
    world.set_link_velocity("human:0", "hand_left", (0.0, 0.0, 1.0))  # the hand swings up into it
    swinging = first_contact_speed()
    assert swinging == pytest.approx(still + 1.0, abs=0.1)
    with pytest.raises(UsageError, match="no kinematically moved body with a link 'hand'"):
        world.set_link_velocity("human:0", "hand", (0.0, 0.0, 1.0))
