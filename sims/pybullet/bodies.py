"""Making bodies in one PyBullet client: boxes, compounds of boxes, assets, and welds between them.

Each maker returns the new body's id; the world registers it under its label.
"""

from __future__ import annotations

from collections.abc import Sequence

from harness.errors import UsageError, unknown_name_message
from harness.world import IDENTITY, Vector
from sims.pybullet.bullet import p

ASSETS = {"tray": "tray/traybox.urdf", "plane": "plane.urdf", "shelf": "kiva_shelf/model.sdf"}


def create_box(
    client: int,
    half_extents: Vector,
    position: Vector,
    orientation: Vector,
    mass: float,
    friction: float,
    color: Vector,
) -> int:
    shape = p.createCollisionShape(p.GEOM_BOX, halfExtents=half_extents, physicsClientId=client)
    visual = p.createVisualShape(
        p.GEOM_BOX, halfExtents=half_extents, rgbaColor=color, physicsClientId=client
    )
    body = int(p.createMultiBody(mass, shape, visual, position, orientation, physicsClientId=client))
    p.changeDynamics(body, -1, lateralFriction=friction, physicsClientId=client)
    return body


def create_boxes(
    client: int,
    boxes: Sequence[tuple[Vector, Vector]],
    position: Vector,
    mass: float,
    friction: float,
    color: Vector,
) -> int:
    """One body of several boxes, each given as (half extents, offset from ``position``)."""
    count = len(boxes)
    halves, offsets = [list(half) for half, _ in boxes], [list(offset) for _, offset in boxes]
    shape = p.createCollisionShapeArray(
        [p.GEOM_BOX] * count, halfExtents=halves, collisionFramePositions=offsets, physicsClientId=client
    )
    visual = p.createVisualShapeArray(
        [p.GEOM_BOX] * count, halfExtents=halves, visualFramePositions=offsets,
        rgbaColors=[list(color)] * count, physicsClientId=client,
    )  # fmt: skip
    body = int(p.createMultiBody(mass, shape, visual, position, physicsClientId=client))
    p.changeDynamics(body, -1, lateralFriction=friction, physicsClientId=client)
    return body


def load_asset(client: int, asset: str, position: Vector, scale: float) -> int:
    """A fixed body from ``pybullet_data``, by its name in ``ASSETS``."""
    if asset not in ASSETS:
        raise UsageError(unknown_name_message("asset", asset, list(ASSETS)))
    path = ASSETS[asset]
    if not path.endswith(".sdf"):
        return int(p.loadURDF(path, position, useFixedBase=True, globalScaling=scale, physicsClientId=client))
    (body,) = p.loadSDF(path, globalScaling=scale, physicsClientId=client)
    p.resetBasePositionAndOrientation(body, position, IDENTITY, physicsClientId=client)
    p.changeDynamics(body, -1, mass=0.0, physicsClientId=client)
    return int(body)


def weld(client: int, parent: int, child: int, siblings: Sequence[int]) -> None:
    """Fix ``child`` to ``parent`` where it stands; it no longer collides with ``parent`` or with
    the ``siblings`` welded to it before."""
    # constraint frames are relative to each body's centre of mass, which is what
    # getBasePositionAndOrientation reports
    parent_pose = p.getBasePositionAndOrientation(parent, physicsClientId=client)
    child_pose = p.getBasePositionAndOrientation(child, physicsClientId=client)
    inverse = p.invertTransform(*parent_pose, physicsClientId=client)
    position, orientation = p.multiplyTransforms(*inverse, *child_pose, physicsClientId=client)
    for other in (parent, *siblings):
        for link in range(-1, p.getNumJoints(other, physicsClientId=client)):
            p.setCollisionFilterPair(other, child, link, -1, 0, physicsClientId=client)
    constraint = p.createConstraint(
        parent, -1, child, -1, p.JOINT_FIXED, (0.0, 0.0, 0.0), position, (0.0, 0.0, 0.0),
        orientation, physicsClientId=client,
    )  # fmt: skip
    p.changeConstraint(constraint, maxForce=1e5, physicsClientId=client)
