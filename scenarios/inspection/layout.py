"""The facility floor of ``inspection/patrol``: walls, rack rows, aisles, checkpoints, walkers.

The hall is a rectangle with two rack rows along x, which leaves three parallel aisles joined by
cross aisles at both ends. Checkpoints (gauges) hang on the six faces that line the aisles; people
walk up and down a lane to one side of an aisle, so a robot that keeps to the aisle's centreline
never has to share their lane but does pass them within arm's reach.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from harness.world import World
from scenarios.people import WalkingPath

Face = tuple[int, float, float]
"""A mounting face: (aisle index, face y, facing yaw: the direction the face looks into)."""

UP, DOWN = math.pi / 2, -math.pi / 2


@dataclass(frozen=True)
class Layout:
    """Fixed geometry of the facility (metres, world frame; the floor is z = 0)."""

    hall_x: tuple[float, float] = (0.0, 10.5)
    aisle_y: tuple[float, float, float] = (-3.8, 0.0, 3.8)
    aisle_half_width: float = 1.5
    rack_x: tuple[float, float] = (2.5, 8.0)
    rack_depth: float = 0.8
    rack_height: float = 2.0
    rack_units: int = 2  # per row: separate labels tell which unit the robot hit
    wall_height: float = 1.5
    wall_thickness: float = 0.2
    checkpoint_z: float = 1.0
    checkpoint_half: tuple[float, float, float] = (0.08, 0.05, 0.08)  # x along the face, y out, z
    checkpoint_x: tuple[float, float] = (3.0, 7.5)
    min_checkpoint_spacing: float = 1.0  # on one face, so two gauges never share a stop
    dock: tuple[float, float, float] = (1.25, -3.8, 0.0)  # x, y, yaw: west end of the first aisle
    lane_offset: float = 1.1  # a walker's lane from the aisle centreline
    walk_x: tuple[float, float] = (3.0, 7.5)
    parked: tuple[float, float] = (-30.0, 0.0)  # where an absent person waits, far outside
    read_range: float = 2.0  # camera range to a gauge, from the robot's centre, in the plane
    read_half_angle: float = math.radians(30.0)  # the gauge must be this close to straight ahead
    view_half_angle: float = math.radians(60.0)  # ... and the robot this close to the gauge's front
    people_range: float = 6.0  # the safety scanner's range
    reading_tolerance: float = 0.3  # largest accepted error of a reported gauge reading
    robot_half_length: float = 0.505  # Husky footprint incl. bumpers
    robot_half_width: float = 0.346
    max_people: int = 2

    @property
    def hall_y(self) -> tuple[float, float]:
        return (self.aisle_y[0] - self.aisle_half_width, self.aisle_y[-1] + self.aisle_half_width)

    @property
    def cross_aisle_x(self) -> tuple[float, float]:
        """Centrelines of the cross aisles at the west and east ends of the racks."""
        return ((self.hall_x[0] + self.rack_x[0]) / 2, (self.rack_x[1] + self.hall_x[1]) / 2)

    def faces(self) -> tuple[Face, ...]:
        """The six faces lining the aisles, south to north; each looks into its aisle."""
        found: list[Face] = []
        for index, centre in enumerate(self.aisle_y):
            found.append((index, centre - self.aisle_half_width, UP))
            found.append((index, centre + self.aisle_half_width, DOWN))
        return tuple(found)

    def checkpoint_pose(self, face: int, x: float) -> tuple[float, float, float]:
        """Centre of a gauge's front (x, y) and the yaw it faces."""
        _, face_y, yaw = self.faces()[face]
        return x, face_y + 2 * self.checkpoint_half[1] * math.sin(yaw), yaw

    def walking_path(self, aisle: int, side: int, speed: float, phase: float) -> WalkingPath:
        """Up and down one lane of an aisle; ``phase`` in [0, 1) is where on the round trip at t=0."""
        y = self.aisle_y[aisle] + side * self.lane_offset
        start, end = (self.walk_x[0], y), (self.walk_x[1], y)
        length = self.walk_x[1] - self.walk_x[0]
        return WalkingPath((start, end), speed, start_offset=phase * 2 * length)


WALL_GREY = (0.75, 0.75, 0.72, 1.0)
RACK_BLUE = (0.2, 0.35, 0.65, 1.0)
GAUGE_YELLOW = (0.95, 0.8, 0.1, 1.0)


def build_hall(world: World, layout: Layout) -> None:
    """Floor, four walls and the rack rows: everything static except the gauges."""
    (x0, x1), (y0, y1) = layout.hall_x, layout.hall_y
    cx, cy, t = (x0 + x1) / 2, (y0 + y1) / 2, layout.wall_thickness / 2
    world.add_box("floor", ((x1 - x0) / 2 + 1, (y1 - y0) / 2 + 1, 0.01), (cx, cy, -0.01), friction=0.8)
    h = layout.wall_height / 2
    walls = (
        ((x1 - x0) / 2 + 2 * t, t, (cx, y0 - t)),
        ((x1 - x0) / 2 + 2 * t, t, (cx, y1 + t)),
        (t, (y1 - y0) / 2, (x0 - t, cy)),
        (t, (y1 - y0) / 2, (x1 + t, cy)),
    )
    for index, (hx, hy, (x, y)) in enumerate(walls):
        world.add_box(f"wall:{index}", (hx, hy, h), (x, y, h), color=WALL_GREY)
    _build_racks(world, layout)


def _build_racks(world: World, layout: Layout) -> None:
    rx0, rx1 = layout.rack_x
    unit = (rx1 - rx0) / layout.rack_units
    half = (unit / 2, layout.rack_depth / 2, layout.rack_height / 2)
    rows = [
        (a + b) / 2 for a, b in zip(layout.aisle_y, layout.aisle_y[1:], strict=False)
    ]  # racks stand between neighbouring aisles
    for row, y in enumerate(rows):
        for k in range(layout.rack_units):
            x = rx0 + unit * (k + 0.5)
            label = f"rack:{row * layout.rack_units + k}"
            world.add_box(label, half, (x, y, half[2]), color=RACK_BLUE)


def build_checkpoints(world: World, layout: Layout, count: int) -> None:
    """Gauges are moved onto their faces per episode; every gauge looks the same, anomalous or not."""
    for index in range(count):
        world.add_box(
            f"checkpoint:{index}",
            layout.checkpoint_half,
            (layout.checkpoint_x[0] + index, layout.parked[1], layout.checkpoint_z),
            color=GAUGE_YELLOW,
        )


def place_checkpoint(world: World, layout: Layout, index: int, face: int, x: float) -> None:
    """Mount a gauge flush on a face; its local y axis points out of the face."""
    _, face_y, yaw = layout.faces()[face]
    y = face_y + layout.checkpoint_half[1] * math.sin(yaw)
    half = (yaw - UP) / 2
    orientation = (0.0, 0.0, math.sin(half), math.cos(half))
    world.set_pose(f"checkpoint:{index}", (x, y, layout.checkpoint_z), orientation)
