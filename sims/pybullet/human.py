"""A human proxy: one kinematic multibody whose links are the body regions of ISO/TS 15066.

Scenarios walk it along paths by teleporting it every tick (it is kinematic: a robot cannot
push it, as a person would brace). Every contact and closest-point query names the region.
Each arm is a chain upper arm -> lower arm -> hand with a revolute shoulder (pitch) and elbow
joint; everything else is rigidly fixed to the base. With both joints at zero the arms hang
at the sides, exactly where the standing proxy has always held them.
"""

from __future__ import annotations

from typing import NamedTuple

from harness.errors import UsageError
from sims.pybullet.bullet import p

# region: (half extents x, y, z, centre x, y, z) in metres, for a 1.75 m adult facing +x,
# feet on the floor at the body's origin
REGIONS: dict[str, tuple[float, float, float, float, float, float]] = {
    "lower_leg_left": (0.055, 0.055, 0.22, 0.0, 0.09, 0.24),
    "lower_leg_right": (0.055, 0.055, 0.22, 0.0, -0.09, 0.24),
    "thigh_left": (0.07, 0.07, 0.2, 0.0, 0.09, 0.66),
    "thigh_right": (0.07, 0.07, 0.2, 0.0, -0.09, 0.66),
    "pelvis": (0.1, 0.17, 0.08, 0.0, 0.0, 0.94),
    "abdomen": (0.09, 0.15, 0.08, 0.0, 0.0, 1.1),
    "chest": (0.045, 0.17, 0.11, 0.045, 0.0, 1.29),
    "back": (0.045, 0.17, 0.11, -0.045, 0.0, 1.29),
    "neck": (0.05, 0.05, 0.05, 0.0, 0.0, 1.45),
    "skull": (0.09, 0.08, 0.09, -0.01, 0.0, 1.61),
    "face": (0.02, 0.07, 0.07, 0.09, 0.0, 1.58),
    # each arm's chain in order, parent first: PyBullet numbers the links depth first
    "upper_arm_left": (0.045, 0.045, 0.14, 0.0, 0.22, 1.25),
    "lower_arm_left": (0.04, 0.04, 0.12, 0.0, 0.22, 0.99),
    "hand_left": (0.03, 0.05, 0.06, 0.0, 0.22, 0.81),
    "upper_arm_right": (0.045, 0.045, 0.14, 0.0, -0.22, 1.25),
    "lower_arm_right": (0.04, 0.04, 0.12, 0.0, -0.22, 0.99),
    "hand_right": (0.03, 0.05, 0.06, 0.0, -0.22, 0.81),
}
SKIN = (0.95, 0.75, 0.6, 1.0)
Point = tuple[float, float, float]

# arm links: the region each hangs from; the joint sits at the top of the link's box
ARM_PARENTS = {"upper_arm": None, "lower_arm": "upper_arm", "hand": "lower_arm"}
REVOLUTE = ("upper_arm", "lower_arm")  # shoulder pitch, elbow; the wrist is rigid
FORWARD_PITCH = (0.0, -1.0, 0.0)  # positive angles swing the arm forward, towards +x
SIDES = ("left", "right")
_INDEX = {region: index for index, region in enumerate(REGIONS)}
ARM_JOINTS = {side: tuple(_INDEX[f"{part}_{side}"] for part in REVOLUTE) for side in SIDES}
"""Joint (= link) indices of the shoulder and the elbow of each arm."""


def _arm_part(region: str) -> tuple[str, str] | None:
    part, _, side = region.rpartition("_")
    return (part, side) if part in ARM_PARENTS and side in SIDES else None


def _pivot(region: str) -> Point:
    _, _, hz, cx, cy, cz = REGIONS[region]
    return (cx, cy, cz + hz)


class _Link(NamedTuple):
    """How one region hangs in the proxy's tree of links."""

    frame: Point  # the link's frame, relative to its parent's
    parent: int  # the parent link's index + 1; 0 is the base
    joint: int  # PyBullet's joint type
    box_offset: Point | None  # the box's centre in the link's frame; None: at its origin


def _link(region: str) -> _Link:
    """A plain box fixed to the base at its centre; or, for an arm's part, a link framed at its
    joint with the box hanging below it."""
    hz, cx, cy, cz = REGIONS[region][2:]
    arm = _arm_part(region)
    if arm is None:
        return _Link((cx, cy, cz), 0, p.JOINT_FIXED, None)
    part, side = arm
    parent, pivot = ARM_PARENTS[part], _pivot(region)
    origin = (0.0, 0.0, 0.0) if parent is None else _pivot(f"{parent}_{side}")
    frame = (pivot[0] - origin[0], pivot[1] - origin[1], pivot[2] - origin[2])
    parent_index = 0 if parent is None else _INDEX[f"{parent}_{side}"] + 1
    joint = p.JOINT_REVOLUTE if part in REVOLUTE else p.JOINT_FIXED
    return _Link(frame, parent_index, joint, (0.0, 0.0, -hz))


def _shapes(client: int, region: str, box_offset: Point | None) -> tuple[int, int]:
    """The collision and the visual shape of a region's box."""
    extents = REGIONS[region][:3]
    collision_offset = {} if box_offset is None else {"collisionFramePosition": box_offset}
    visual_offset = {} if box_offset is None else {"visualFramePosition": box_offset}
    collision = p.createCollisionShape(
        p.GEOM_BOX, halfExtents=extents, **collision_offset, physicsClientId=client
    )
    visual = p.createVisualShape(
        p.GEOM_BOX, halfExtents=extents, rgbaColor=SKIN, **visual_offset, physicsClientId=client
    )
    return collision, visual


def build_human(client: int, position: Point, orientation: tuple[float, ...]) -> int:
    """Create the proxy; link ``i`` is region ``list(REGIONS)[i]``, joint ``i`` moves it."""
    links = [_link(region) for region in REGIONS]
    shapes = [_shapes(client, region, link.box_offset) for region, link in zip(REGIONS, links, strict=True)]
    count = len(links)
    body = int(
        p.createMultiBody(
            baseMass=0.0,
            baseCollisionShapeIndex=-1,
            baseVisualShapeIndex=-1,
            basePosition=position,
            baseOrientation=orientation,
            linkMasses=[0.0] * count,  # massless: stepping never moves a joint, only resets do
            linkCollisionShapeIndices=[collision for collision, _ in shapes],
            linkVisualShapeIndices=[visual for _, visual in shapes],
            linkPositions=[link.frame for link in links],
            linkOrientations=[(0.0, 0.0, 0.0, 1.0)] * count,
            linkInertialFramePositions=[(0.0, 0.0, 0.0)] * count,
            linkInertialFrameOrientations=[(0.0, 0.0, 0.0, 1.0)] * count,
            linkParentIndices=[link.parent for link in links],
            linkJointTypes=[link.joint for link in links],
            linkJointAxis=[FORWARD_PITCH] * count,
            physicsClientId=client,
        )
    )
    _check_link_order(client, body, count)
    return body


def _check_link_order(client: int, body: int, count: int) -> None:
    # PyBullet renumbers links depth first and names joint i+1 after the i-th link given: the
    # regions must come out in the order they went in, or contacts would name the wrong region
    for index in range(count):
        name = p.getJointInfo(body, index, physicsClientId=client)[1].decode()
        if name != f"joint{index + 1}":
            raise RuntimeError(f"human proxy link {index} is {name}: REGIONS is not in depth-first order")


def pose_arm(client: int, body: int, side: str, shoulder: float, elbow: float) -> None:
    """Set one arm's shoulder pitch and elbow flexion (radians, 0 hanging, positive forward)."""
    if side not in ARM_JOINTS:
        raise UsageError(f"a human proxy's arm is 'left' or 'right', not {side!r}")
    for joint, angle in zip(ARM_JOINTS[side], (shoulder, elbow), strict=True):
        p.resetJointState(body, joint, float(angle), 0.0, physicsClientId=client)
