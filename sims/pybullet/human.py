"""A human proxy: one static multibody whose links are the body regions of ISO/TS 15066.

Scenarios walk it along paths by teleporting it every tick (it is kinematic: a robot cannot
push it, as a person would brace). Every contact and closest-point query names the region.
"""

from __future__ import annotations

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
    "upper_arm_left": (0.045, 0.045, 0.14, 0.0, 0.22, 1.25),
    "upper_arm_right": (0.045, 0.045, 0.14, 0.0, -0.22, 1.25),
    "lower_arm_left": (0.04, 0.04, 0.12, 0.0, 0.22, 0.99),
    "lower_arm_right": (0.04, 0.04, 0.12, 0.0, -0.22, 0.99),
    "hand_left": (0.03, 0.05, 0.06, 0.0, 0.22, 0.81),
    "hand_right": (0.03, 0.05, 0.06, 0.0, -0.22, 0.81),
}
SKIN = (0.95, 0.75, 0.6, 1.0)


def build_human(client: int, position: tuple[float, float, float], orientation: tuple[float, ...]) -> int:
    """Create the proxy; link ``i`` is region ``list(REGIONS)[i]``."""
    shapes, visuals, centres = [], [], []
    for hx, hy, hz, cx, cy, cz in REGIONS.values():
        extents = (hx, hy, hz)
        shapes.append(p.createCollisionShape(p.GEOM_BOX, halfExtents=extents, physicsClientId=client))
        visuals.append(
            p.createVisualShape(p.GEOM_BOX, halfExtents=extents, rgbaColor=SKIN, physicsClientId=client)
        )
        centres.append((cx, cy, cz))
    count = len(REGIONS)
    return int(
        p.createMultiBody(
            baseMass=0.0,
            baseCollisionShapeIndex=-1,
            baseVisualShapeIndex=-1,
            basePosition=position,
            baseOrientation=orientation,
            linkMasses=[0.0] * count,
            linkCollisionShapeIndices=shapes,
            linkVisualShapeIndices=visuals,
            linkPositions=centres,
            linkOrientations=[(0.0, 0.0, 0.0, 1.0)] * count,
            linkInertialFramePositions=[(0.0, 0.0, 0.0)] * count,
            linkInertialFrameOrientations=[(0.0, 0.0, 0.0, 1.0)] * count,
            linkParentIndices=[0] * count,
            linkJointTypes=[p.JOINT_FIXED] * count,
            linkJointAxis=[(0.0, 0.0, 1.0)] * count,
            physicsClientId=client,
        )
    )
