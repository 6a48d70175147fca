"""The floor of ``warehouse/order_picking``: pick station, aisle, racks, packing station, worker.

A Franka Panda on a pedestal picks items from a shelf bay beside it into a tote welded to a
Husky's deck. The Husky then drives east along the aisle to the packing station. The aisle is
lined by a rack row to the south; a worker walks up and down a lane on its north side, so the
vehicle never has to cross the worker's path but passes within a metre of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from harness.world import World
from scenarios.people import WalkingPath

Box = tuple[tuple[float, float, float], tuple[float, float, float]]
"""(half extents, centre or offset) of a box."""


@dataclass(frozen=True)
class ItemType:
    """A kind of item, told apart by its size and colour (what a barcode would say)."""

    name: str
    edge: float  # cube edge, m
    color: tuple[float, float, float, float]


ITEM_TYPES = (
    ItemType("red", 0.04, (0.85, 0.2, 0.2, 1.0)),
    ItemType("green", 0.05, (0.2, 0.7, 0.25, 1.0)),
    ItemType("blue", 0.06, (0.2, 0.35, 0.85, 1.0)),
)


@dataclass(frozen=True)
class Layout:
    """Fixed geometry (metres, world frame; the floor is z = 0, the aisle runs along +x)."""

    shelf_z: float = 0.42  # top of the shelf bay; the arm's base stands at the same height
    arm_base: tuple[float, float] = (0.0, 0.0)
    pedestal_half: float = 0.08
    shelf_x: tuple[float, float] = (0.25, 0.75)
    shelf_y: tuple[float, float] = (-0.40, 0.03)
    deck_z: float = 0.405  # top of the Husky's chassis when it stands on the floor
    amr_start: tuple[float, float] = (0.55, 0.45)  # docked at the pick station, facing +x
    amr_half_length: float = 0.505  # chassis and wheels, from the base origin
    amr_half_width: float = 0.346
    tote_offset: float = -0.10  # tote centre ahead of the Husky's centre (negative: behind)
    tote_inner_half: float = 0.17
    tote_wall: float = 0.01
    tote_wall_height: float = 0.06
    tote_floor: float = 0.008  # thickness
    tote_gap: float = 0.003  # between the deck and the tote's underside
    station_half: tuple[float, float, float] = (0.3, 0.5, 0.45)
    station_y: float = 0.45
    dock_gap: float = 0.2  # between the docked Husky's front and the station
    dock_tolerance: float = 0.12  # of the base position, each axis
    dock_yaw_tolerance: float = 0.15
    rack_x: tuple[float, float] = (1.3, 4.9)
    rack_y: tuple[float, float] = (-0.9, -0.3)
    rack_height: float = 1.8
    walk_x: tuple[float, float] = (1.3, 5.3)
    hall_x: tuple[float, float] = (-1.0, 7.8)
    hall_y: tuple[float, float] = (-1.6, 3.6)
    wall_height: float = 1.0
    wall_thickness: float = 0.1
    scanner_range: float = 2.5  # the vehicle's people sensor
    arm_watch_range: float = 2.0  # separations beyond this read as this (S_p < 2 m at 1.5 m/s)
    rest_s: float = 0.3
    rest_speed: float = 0.05
    lift_height: float = 0.02  # above its resting height, an item counts as lifted
    release_ticks: int = 3  # ticks without finger contact before a lifted item counts as let go
    min_item_separation: float = 0.11

    @property
    def tote_floor_z(self) -> float:
        """Height of the tote's inner floor surface."""
        return self.deck_z + self.tote_gap + self.tote_floor

    def dock_pose(self, station_x: float) -> tuple[float, float, float]:
        """Where the Husky's base must stop in front of a station whose front face is at x."""
        return station_x - self.dock_gap - self.amr_half_length, self.station_y, 0.0

    def walking_path(self, lane_y: float, speed: float, offset: float) -> WalkingPath:
        return WalkingPath(((self.walk_x[0], lane_y), (self.walk_x[1], lane_y)), speed, offset)

    def fixtures(self) -> dict[str, Box]:
        """Every static body but the floor and the station (which moves per episode)."""
        z = self.shelf_z
        (x0, x1), (y0, y1) = self.shelf_x, self.shelf_y
        (rx0, rx1), (ry0, ry1) = self.rack_x, self.rack_y
        boxes: dict[str, Box] = {
            "pedestal": ((self.pedestal_half, self.pedestal_half, z / 2), (*self.arm_base, z / 2)),
            "shelf": (((x1 - x0) / 2, (y1 - y0) / 2, z / 2), ((x0 + x1) / 2, (y0 + y1) / 2, z / 2)),
            "rack:0": (
                ((rx1 - rx0) / 2, (ry1 - ry0) / 2, self.rack_height / 2),
                ((rx0 + rx1) / 2, (ry0 + ry1) / 2, self.rack_height / 2),
            ),
        }
        return boxes | self._walls()

    def _walls(self) -> dict[str, Box]:
        (x0, x1), (y0, y1), t, h = self.hall_x, self.hall_y, self.wall_thickness / 2, self.wall_height / 2
        cx, cy, hx, hy = (x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) / 2, (y1 - y0) / 2
        return {
            "wall:0": ((hx + 2 * t, t, h), (cx, y0 - t, h)),
            "wall:1": ((hx + 2 * t, t, h), (cx, y1 + t, h)),
            "wall:2": ((t, hy, h), (x0 - t, cy, h)),
            "wall:3": ((t, hy, h), (x1 + t, cy, h)),
        }

    def tote_centre(self) -> tuple[float, float, float]:
        """Centre of the tote's floor slab at the pick dock."""
        return (
            self.amr_start[0] + self.tote_offset,
            self.amr_start[1],
            self.tote_floor_z - self.tote_floor / 2,
        )

    def tote_boxes(self) -> list[Box]:
        """Floor and four walls, as (half extents, offset from the floor slab's centre)."""
        half, wall, height = self.tote_inner_half, self.tote_wall / 2, self.tote_wall_height / 2
        wall_z, outer = height - self.tote_floor / 2, half + 2 * wall
        return [
            ((half, half, self.tote_floor / 2), (0.0, 0.0, 0.0)),
            ((outer, wall, height), (0.0, half + wall, wall_z)),
            ((outer, wall, height), (0.0, -half - wall, wall_z)),
            ((wall, half, height), (half + wall, 0.0, wall_z)),
            ((wall, half, height), (-half - wall, 0.0, wall_z)),
        ]


def build_floor(world: World, layout: Layout) -> None:
    """The static part: floor, pedestal, shelf bay, rack row and hall walls."""
    (x0, x1), (y0, y1) = layout.hall_x, layout.hall_y
    floor = ((x1 - x0) / 2 + 0.5, (y1 - y0) / 2 + 0.5, 0.01)
    world.add_box("floor", floor, ((x0 + x1) / 2, (y0 + y1) / 2, -0.01), friction=0.9)
    colors = {
        "pedestal": (0.3, 0.3, 0.3, 1.0),
        "shelf": (0.55, 0.45, 0.35, 1.0),
        "rack:0": (0.9, 0.55, 0.1, 1.0),
    }
    for label, (half, centre) in layout.fixtures().items():
        world.add_box(label, half, centre, color=colors.get(label, (0.75, 0.75, 0.72, 1.0)))


def build_tote(world: World, layout: Layout, parent: str) -> None:
    """A light tote welded to the vehicle's deck: one body, so it costs one weld."""
    world.add_boxes(
        "tote",
        layout.tote_boxes(),
        layout.tote_centre(),
        mass=0.5,
        friction=0.9,
        color=(0.25, 0.3, 0.35, 1.0),
    )
    world.attach("tote", parent)
