"""A human proxy: one kinematic multibody whose links are the body regions of ISO/TS 15066.

Scenarios walk it along paths by teleporting it every tick (it is kinematic: a robot cannot
push it, as a person would brace). Every contact and closest-point query names the region.
Each arm is a chain upper arm -> lower arm -> hand with a revolute shoulder (pitch) and elbow
joint; everything else is rigidly fixed to the base. With both joints at zero the arms hang
at the sides, exactly where the standing proxy has always held them.
"""

from __future__ import annotations

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


def _pivot(region: str) -> tuple[float, float, float]:
    _, _, hz, cx, cy, cz = REGIONS[region]
    return (cx, cy, cz + hz)


def build_human(client: int, position: tuple[float, float, float], orientation: tuple[float, ...]) -> int:
    """Create the proxy; link ``i`` is region ``list(REGIONS)[i]``, joint ``i`` moves it."""
    shapes, visuals, frames, parents, joints = [], [], [], [], []
    for region, (hx, hy, hz, cx, cy, cz) in REGIONS.items():
        extents, arm = (hx, hy, hz), _arm_part(region)
        if arm is None:  # fixed to the base at its centre, as a plain box
            shape_offset: dict[str, tuple[float, float, float]] = {}
            visual_offset: dict[str, tuple[float, float, float]] = {}
            frames.append((cx, cy, cz))
            parents.append(0)
            joints.append(p.JOINT_FIXED)
        else:  # framed at its joint, the box hanging below it
            part, side = arm
            parent, pivot = ARM_PARENTS[part], _pivot(region)
            origin = (0.0, 0.0, 0.0) if parent is None else _pivot(f"{parent}_{side}")
            frames.append((pivot[0] - origin[0], pivot[1] - origin[1], pivot[2] - origin[2]))
            parents.append(0 if parent is None else _INDEX[f"{parent}_{side}"] + 1)
            joints.append(p.JOINT_REVOLUTE if part in REVOLUTE else p.JOINT_FIXED)
            shape_offset = {"collisionFramePosition": (0.0, 0.0, -hz)}
            visual_offset = {"visualFramePosition": (0.0, 0.0, -hz)}
        shapes.append(
            p.createCollisionShape(p.GEOM_BOX, halfExtents=extents, **shape_offset, physicsClientId=client)
        )
        visuals.append(
            p.createVisualShape(
                p.GEOM_BOX, halfExtents=extents, rgbaColor=SKIN, **visual_offset, physicsClientId=client
            )
        )
    count = len(REGIONS)
    body = int(
        p.createMultiBody(
            baseMass=0.0,
            baseCollisionShapeIndex=-1,
            baseVisualShapeIndex=-1,
            basePosition=position,
            baseOrientation=orientation,
            linkMasses=[0.0] * count,  # massless: stepping never moves a joint, only resets do
            linkCollisionShapeIndices=shapes,
            linkVisualShapeIndices=visuals,
            linkPositions=frames,
            linkOrientations=[(0.0, 0.0, 0.0, 1.0)] * count,
            linkInertialFramePositions=[(0.0, 0.0, 0.0)] * count,
            linkInertialFrameOrientations=[(0.0, 0.0, 0.0, 1.0)] * count,
            linkParentIndices=parents,
            linkJointTypes=joints,
            linkJointAxis=[FORWARD_PITCH] * count,
            physicsClientId=client,
        )
    )
    # PyBullet renumbers links depth first and names joint i+1 after the i-th link given: the
    # regions must come out in the order they went in, or contacts would name the wrong region
    for index in range(count):
        name = p.getJointInfo(body, index, physicsClientId=client)[1].decode()
        if name != f"joint{index + 1}":
            raise RuntimeError(f"human proxy link {index} is {name}: REGIONS is not in depth-first order")
    return body


def pose_arm(client: int, body: int, side: str, shoulder: float, elbow: float) -> None:
    """Set one arm's shoulder pitch and elbow flexion (radians, 0 hanging, positive forward)."""
    if side not in ARM_JOINTS:
        raise UsageError(f"a human proxy's arm is 'left' or 'right', not {side!r}")
    for joint, angle in zip(ARM_JOINTS[side], (shoulder, elbow), strict=True):
        p.resetJointState(body, joint, float(angle), 0.0, physicsClientId=client)
