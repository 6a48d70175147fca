"""Faults in a mobile robot's path: a pallet left in the aisle, a person stepping in front of it.

A scenario that declares ``blocked_path`` or ``person_steps_in`` (``harness.faults``) gets
the body it needs built once, parked far outside the hall, and moved in when the fault fires:
cheaper than adding a body mid-episode, and the world stays the same from episode to episode.

Both land ``distance_m`` ahead of the base on the centreline of the corridor it is heading down
(an aisle, or a cross aisle), so they stand on free floor whatever the base is doing: a spot
past the corridor's end is pulled back into it, but never so near that the base, at the speed it
has, could not stop ``MIN_GAP`` short of a pallet, or would already be inside the protective
separation distance of a person (docs/standards.md §2, the ``speed_separation`` defaults); nor
within ``MIN_GAP`` of its turning circle. A spot that would crowd a person or the other fault's
body slides along the corridor to the nearest free one. If no spot is left, the fault waits: the
harness tries again every tick until the episode ends. The pallet is simply there, then gone;
the person steps in from the side at walking pace, stands, and steps back out when the fault
ends. Where someone stands and walks is a pure function of the tick.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from harness.faults import ArmedFault
from harness.records import BodyState, FloatArray, WorldState
from harness.spec import ScenarioSpec
from harness.world import World
from scenarios.corridors import Corridor, Disc, Spot, spot_ahead

FAULT_KINDS = frozenset({"blocked_path", "person_steps_in"})
OBSTACLE = "obstacle"
PALLET_HALF = (0.4, 0.6, 0.5)  # along the corridor, across it, up: a loaded 0.8 m x 1.2 m pallet
PERSON_RADIUS = 0.3  # half a person's width, arms included
STEP_SIDE = 0.7  # the person steps in from this far to the side of the centreline
STEP_SPEED = 1.0  # m/s, stepping in and out
MIN_GAP = 0.3  # kept between where the base can stop (or turn) and anything the fault puts down
BRAKING = 1.0  # m/s^2, the bases' deceleration limit
REACTION_S = 0.1  # two control ticks: a body put down now is sensed a tick later
HUMAN_SPEED, HUMAN_TIME_S, UNCERTAINTY = 1.6, 0.4, 0.06  # S_p's v_h, T_r + T_s, C + Z_d + Z_r
# the range sensor: parallel horizontal rays from just ahead of the front bumper, across the
# base's width and a little more either side
RAY_COUNT = 7
RAY_HEIGHT = 0.25
RAY_SIDE_MARGIN = 0.1
RAY_START = 0.02
OBSTACLE_RANGE = 4.0


def pallet_radius() -> float:
    return math.hypot(PALLET_HALF[0], PALLET_HALF[1])


@dataclass
class StepIn:
    """A person stepping from ``side`` to ``spot`` at ``STEP_SPEED`` from ``start_tick``, standing
    there, and stepping back out from ``leave_tick`` (None: not yet)."""

    side: tuple[float, float]
    spot: tuple[float, float]
    start_tick: int
    dt: float
    leave_tick: int | None = None

    def pose(self, tick: int) -> tuple[float, float, float, float, float] | None:
        """x, y, yaw, vx, vy at ``tick``; None once the person has stepped back out."""
        (sx, sy), (tx, ty) = self.side, self.spot
        length = math.hypot(tx - sx, ty - sy)
        walk_ticks = max(1, math.ceil(length / STEP_SPEED / self.dt - 1e-9))
        inward = math.atan2(ty - sy, tx - sx)
        if self.leave_tick is None or tick < self.leave_tick:
            done = min(tick - self.start_tick, walk_ticks)
            fraction, moving, yaw = done / walk_ticks, done < walk_ticks, inward
        else:
            done = tick - self.leave_tick
            if done > walk_ticks:
                return None
            fraction, moving, yaw = 1.0 - done / walk_ticks, done < walk_ticks, inward + math.pi
        speed = length / (walk_ticks * self.dt) if moving else 0.0
        x, y = sx + fraction * (tx - sx), sy + fraction * (ty - sy)
        return x, y, yaw, speed * math.cos(yaw), speed * math.sin(yaw)


def yaw_of(body: BodyState) -> float:
    qx, qy, qz, qw = body.orientation.tolist()
    return math.atan2(2 * (qw * qz + qx * qy), 1 - 2 * (qy * qy + qz * qz))


class PathFaults:
    """The pallet and the person of one scenario's declared path faults, for one robot base.

    ``robot`` is the base's label; ``half_extents`` its footprint (half length, half width);
    ``person`` the label the stepping person gets; ``parked`` where unused bodies wait.
    """

    def __init__(
        self,
        spec: ScenarioSpec,
        robot: str,
        half_extents: tuple[float, float],
        person: str,
        parked: tuple[float, float],
    ) -> None:
        kinds = {fault.kind for fault in spec.faults}
        self.has_obstacle, self.has_person = "blocked_path" in kinds, "person_steps_in" in kinds
        self.robot, self.person, self.parked = robot, person, parked
        self.half_length, self.half_width = half_extents
        self.turn_radius = math.hypot(*half_extents)
        self.dt = spec.control_dt
        across = half_extents[1] + RAY_SIDE_MARGIN
        self._ray_offsets = [
            (half_extents[0] + RAY_START, across * (2 * i / (RAY_COUNT - 1) - 1)) for i in range(RAY_COUNT)
        ]
        self.corridors: tuple[Corridor, ...] = ()
        self._obstacle_at: Spot | None = None
        self._step: StepIn | None = None

    # building and resetting -------------------------------------------------------------------
    def build(self, world: World, separations: Sequence[tuple[str, float]]) -> None:
        """Add the bodies the declared faults need, parked; ``separations``: (robot, range) pairs
        tracked against the person."""
        px, py = self.parked
        if self.has_obstacle:
            world.add_box(OBSTACLE, PALLET_HALF, (px, py - 4.0, PALLET_HALF[2]), color=(0.6, 0.45, 0.25, 1.0))
        if self.has_person:
            world.add_human(self.person, (px, py + 4.0, 0.0))
            for robot, cap in separations:
                world.track_separation(robot, self.person, cap)

    def reset(self, world: World, corridors: Sequence[Corridor]) -> None:
        self.corridors = tuple(corridors)
        self._obstacle_at, self._step = None, None
        self._park(world)

    def _park(self, world: World) -> None:
        px, py = self.parked
        if self.has_obstacle:
            world.set_pose(OBSTACLE, (px, py - 4.0, PALLET_HALF[2]))
        if self.has_person:
            world.set_pose(self.person, (px, py + 4.0, 0.0))

    # injecting --------------------------------------------------------------------------------
    def inject(
        self, world: World, fault: ArmedFault, state: WorldState, people: Sequence[Disc]
    ) -> str | None:
        """Bring the fault's body in ahead of the base; ``people`` are where others stand now."""
        base, kind = state.robots[self.robot].base, fault.spec.kind
        x, y = float(base.position[0]), float(base.position[1])
        pallet = kind == "blocked_path"
        half_depth, radius = (PALLET_HALF[0], pallet_radius()) if pallet else (PERSON_RADIUS, PERSON_RADIUS)
        distance = float(getattr(fault.spec, "distance_m", 2.0))
        occupied = [*people, *self._others(kind)]
        reach = self._reach(kind, base)
        spot = spot_ahead(self.corridors, (x, y, yaw_of(base)), distance, half_depth, reach, occupied, radius)
        if spot is None:
            return None  # no free floor ahead (e.g. facing a wall): try again next tick
        if pallet:
            self._put_pallet(world, spot)
            fault.subject, what = OBSTACLE, "pallet"
        else:
            assert fault.fired_tick is not None
            self._step_in(world, spot, people, fault.fired_tick)
            fault.subject, what = self.person, f"{self.person} steps in"
        away = math.hypot(spot.x - x, spot.y - y)
        return f"{what} at ({spot.x:.2f}, {spot.y:.2f}), {away:.2f} m from {self.robot}"

    def _reach(self, kind: str, base: BodyState) -> float:
        """How near the base's centre the fault's body may come: clear of its turning circle,
        and beyond where it could stop short of a pallet or, for a person, beyond the
        protective separation distance at the speed it has."""
        speed = math.hypot(float(base.linear_velocity[0]), float(base.linear_velocity[1]))
        stopping = speed * REACTION_S + speed**2 / (2 * BRAKING)
        turning = self.turn_radius + MIN_GAP
        if kind == "blocked_path":
            return max(turning, self.half_length + stopping + MIN_GAP)
        protective = HUMAN_SPEED * HUMAN_TIME_S + stopping + UNCERTAINTY
        return max(turning, self.half_length + protective + MIN_GAP)

    def _put_pallet(self, world: World, spot: Spot) -> None:
        half = spot.yaw / 2
        world.set_pose(OBSTACLE, (spot.x, spot.y, PALLET_HALF[2]), (0.0, 0.0, math.sin(half), math.cos(half)))
        self._obstacle_at = spot

    def _step_in(self, world: World, spot: Spot, people: Sequence[Disc], tick: int) -> None:
        self._step = StepIn(self._side(spot, people), (spot.x, spot.y), tick, self.dt)
        self.update(world, tick)

    def _others(self, kind: str) -> list[Disc]:
        """The other fault's body, if it is in: the two never overlap."""
        if kind == "person_steps_in" and self._obstacle_at is not None:
            return [(self._obstacle_at.x, self._obstacle_at.y, pallet_radius())]
        if kind == "blocked_path" and self._step is not None:
            sx, sy = self._step.spot
            return [(sx, sy, PERSON_RADIUS), (*self._step.side, PERSON_RADIUS)]
        return []

    def _side(self, spot: Spot, people: Sequence[Disc]) -> tuple[float, float]:
        """The allowed side of the corridor farthest from anyone, to step in from."""
        corridor = spot.corridor
        along = spot.x if corridor.axis == 0 else spot.y
        candidates = [corridor.point(along, side * STEP_SIDE) for side in corridor.sides]
        return max(
            candidates,
            key=lambda p: min(
                (math.hypot(p[0] - ox, p[1] - oy) - r for ox, oy, r in people), default=math.inf
            ),
        )

    def clear(self, world: World, fault: ArmedFault) -> None:
        """The pallet goes at once; the person steps back out (or leaves at once if the episode
        is over)."""
        px, py = self.parked
        if fault.spec.kind == "blocked_path":
            if self._obstacle_at is not None:
                world.set_pose(OBSTACLE, (px, py - 4.0, PALLET_HALF[2]))
                self._obstacle_at = None
        elif self._step is not None:
            if fault.cleared_tick is None:
                world.set_pose(self.person, (px, py + 4.0, 0.0))
                self._step = None
            else:
                self._step.leave_tick = fault.cleared_tick

    def update(self, world: World, tick: int) -> None:
        """Move the stepping person to where they are at ``tick``."""
        if self._step is None:
            return
        pose = self._step.pose(tick)
        if pose is None:
            px, py = self.parked
            world.set_pose(self.person, (px, py + 4.0, 0.0))
            self._step = None
            return
        x, y, yaw, vx, vy = pose
        world.set_pose(
            self.person, (x, y, 0.0), (0.0, 0.0, math.sin(yaw / 2), math.cos(yaw / 2)), (vx, vy, 0.0)
        )

    @property
    def person_in(self) -> bool:
        return self._step is not None

    # sensing ----------------------------------------------------------------------------------
    def obstacle_distance(self, world: World, base: BodyState) -> FloatArray:
        """Free distance ahead of the front bumper across the base's width (plus a margin either
        side), from ``RAY_COUNT`` horizontal rays ``RAY_HEIGHT`` above the floor, capped at
        ``OBSTACLE_RANGE``."""
        x, y = float(base.position[0]), float(base.position[1])
        heading = yaw_of(base)
        cos, sin = math.cos(heading), math.sin(heading)
        origins = [(x + cos * a - sin * b, y + sin * a + cos * b, RAY_HEIGHT) for a, b in self._ray_offsets]
        distances = world.ray_distances(origins, [(cos, sin, 0.0)] * RAY_COUNT, OBSTACLE_RANGE)
        return np.array([min(float(distances.min()) + RAY_START, OBSTACLE_RANGE)])
