"""The rules of an order-picking episode: grasps, drops, collisions, docking, the order's contents.

Runs every tick on plain floats; contacts are scanned once per tick for everything at once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from harness.records import BodyState, TaskEvent, TaskStatus, WorldState
from scenarios.warehouse.layout import ITEM_TYPES, Layout

ARM, AMR = "robot", "amr"
FINGERS = ("panda_leftfinger", "panda_rightfinger")


@dataclass
class OrderTask:
    """One episode's order and items, fixed at reset."""

    items: list[str]
    types: list[int]
    halves: list[float]
    order: list[int]  # count per item type
    dock: tuple[float, float, float]
    rest_ticks: int
    control_dt: float
    # where the vehicle is loaded, when it starts elsewhere (the next cycle of an endurance
    # run): it must come back and stand there before it can leave again or dock; None when it
    # starts there
    pick_dock: tuple[float, float] | None = None


@dataclass
class Tally:
    grasps: int = 0
    placed: int = 0
    dropped: int = 0
    departed_tick: int | None = None
    docked_tick: int | None = None
    distance: float = 0.0
    min_separation: float = math.inf
    last_tick: int = 0
    contents: list[int] = field(default_factory=list)


class OrderJudge:
    """Decides the episode: drops and collisions fail at once; docking checks the order."""

    def __init__(self, layout: Layout, task: OrderTask, fixtures: frozenset[str]) -> None:
        self.layout, self.task = layout, task
        self.fixtures = fixtures
        self.arm_may_touch = frozenset({"shelf"})  # the work surface the fingers brush when grasping
        count = len(task.items)
        self.index = {label: i for i, label in enumerate(task.items)}
        self.lifted, self.untouched = [False] * count, [0] * count
        self.resting = 0
        self.failure = ""
        self.status = TaskStatus.RUNNING
        self.tally = Tally()
        self._start = task.dock[:2]  # replaced by the first position seen at the pick dock
        self._previous: tuple[float, float] | None = None
        self._at_pick_dock = task.pick_dock is None
        self._updated = -1

    # per tick ---------------------------------------------------------------------------------
    def update(self, state: WorldState, tick: int) -> tuple[TaskEvent, ...]:
        if tick == self._updated:
            return ()
        self._updated, self.tally.last_tick = tick, tick
        fingers = self._scan_contacts(state, tick)
        events = self._grips(state, fingers, tick)
        if self._track_vehicle(state, tick):
            events += (TaskEvent("departed", AMR),)
        for separation in state.separations:
            self.tally.min_separation = min(self.tally.min_separation, separation.distance)
        if self.failure:
            self.status = TaskStatus.FAILED
        elif self.status is TaskStatus.RUNNING and self._at_pick_dock:
            self._check_docking(state, tick)
        return events

    def _scan_contacts(self, state: WorldState, tick: int) -> list[int]:
        """Finger contacts per item; a robot touching a fixture or a person fails the task."""
        fingers = [0] * len(self.task.items)
        for contact in state.contacts:
            for mine, link, other, other_link in (
                (contact.body_a, contact.link_a, contact.body_b, contact.link_b),
                (contact.body_b, contact.link_b, contact.body_a, contact.link_a),
            ):
                if mine == ARM and link in FINGERS and other in self.index:
                    fingers[self.index[other]] |= 1 << FINGERS.index(link)
                robot = AMR if mine.startswith("tote") else mine
                if robot in (ARM, AMR) and not self.failure:
                    self._collision(robot, other, other_link, tick)
        return [bin(bits).count("1") for bits in fingers]

    def _collision(self, robot: str, other: str, other_link: str, tick: int) -> None:
        if other.startswith("human"):
            self.failure = f"{robot} touched {other} ({other_link}) at tick {tick}"
        elif other in self.fixtures and not (robot == ARM and other in self.arm_may_touch):
            self.failure = f"{robot} hit {other} at tick {tick}"
        elif robot == ARM and other == AMR:
            self.failure = f"robot hit amr at tick {tick}"

    def _grips(self, state: WorldState, fingers: list[int], tick: int) -> tuple[TaskEvent, ...]:
        events = []
        floor_z = self.layout.shelf_z - 0.1
        for i, label in enumerate(self.task.items):
            body = state.bodies[label]
            z = float(body.position[2])
            if (
                fingers[i] == len(FINGERS)
                and z > self.layout.shelf_z + self.task.halves[i] + self.layout.lift_height
            ):
                if not self.lifted[i]:
                    events.append(TaskEvent("grasped", label))
                    self.tally.grasps += 1
                self.lifted[i], self.untouched[i] = True, 0
            elif self.lifted[i] and fingers[i] == 0:
                self.untouched[i] += 1  # a few ticks, so a finger slipping for a moment is no drop
                if self.untouched[i] >= self.layout.release_ticks:
                    self.lifted[i] = False
                    events.append(self._release(state, i, tick))
            else:
                self.untouched[i] = 0
            if z < floor_z and not self.failure:
                self.tally.dropped += 1
                self.failure = f"{label} fell to the floor at tick {tick}"
        return tuple(events)

    def _release(self, state: WorldState, index: int, tick: int) -> TaskEvent:
        label = self.task.items[index]
        if self._in_tote(state, index):
            self.tally.placed += 1
            return TaskEvent("placed", label)
        self.tally.dropped += 1
        self.failure = self.failure or f"{label} dropped outside the tote at tick {tick}"
        return TaskEvent("dropped", label)

    def _track_vehicle(self, state: WorldState, tick: int) -> bool:
        """Path length and departure; True on the tick the vehicle leaves the pick dock."""
        base = state.robots[AMR].base
        x, y = base.position.tolist()[:2]
        if self._previous is None:
            self._start = (x, y)
        else:
            self.tally.distance += math.hypot(x - self._previous[0], y - self._previous[1])
        self._previous = (x, y)
        if not self._at_pick_dock:
            self._at_pick_dock = self._resting_at_pick_dock(base)
            self._start = (x, y)
            return False
        if self.tally.departed_tick is None and math.hypot(x - self._start[0], y - self._start[1]) > 0.1:
            self.tally.departed_tick = tick
            return True
        return False

    def _resting_at_pick_dock(self, base: BodyState) -> bool:
        assert self.task.pick_dock is not None
        layout, (px, py) = self.layout, self.task.pick_dock
        x, y = base.position.tolist()[:2]
        vx, vy, _ = base.linear_velocity.tolist()
        return bool(
            abs(x - px) <= layout.dock_tolerance
            and abs(y - py) <= layout.dock_tolerance
            and vx * vx + vy * vy < layout.rest_speed**2
        )

    def _check_docking(self, state: WorldState, tick: int) -> None:
        layout, base = self.layout, state.robots[AMR].base
        x, y = base.position.tolist()[:2]
        vx, vy, _ = base.linear_velocity.tolist()
        dx, dy, dyaw = x - self.task.dock[0], y - self.task.dock[1], yaw(base) - self.task.dock[2]
        docked = (
            abs(dx) <= layout.dock_tolerance
            and abs(dy) <= layout.dock_tolerance
            and abs(math.remainder(dyaw, math.tau)) <= layout.dock_yaw_tolerance
            and vx * vx + vy * vy < layout.rest_speed**2
        )
        self.resting = self.resting + 1 if docked else 0
        if self.resting < self.task.rest_ticks:
            return
        self.tally.docked_tick = tick
        problems = self.order_problems(state)
        if problems:
            self.failure = f"order wrong at the packing station at tick {tick}: {problems}"
            self.status = TaskStatus.FAILED
        else:
            self.status = TaskStatus.SUCCEEDED

    # the outcome ------------------------------------------------------------------------------
    def metrics(self, last: WorldState | None) -> dict[str, float]:
        """The episode's metrics, with the order's contents as they were in ``last`` (None:
        no tick ran)."""
        tally, dt = self.tally, self.task.control_dt
        wrong, extra, missing = self.counts(last) if last is not None else (0, 0, 0)
        elapsed = tally.last_tick * dt
        transport = 0.0
        if tally.departed_tick is not None:
            transport = ((tally.docked_tick or tally.last_tick) - tally.departed_tick) * dt
        separation = (
            tally.min_separation if math.isfinite(tally.min_separation) else self.layout.scanner_range
        )
        return {
            "order_correct": float(wrong == extra == missing == 0),
            "wrong_items": float(wrong),
            "extra_items": float(extra),
            "missing_items": float(missing),
            "items_picked": float(tally.placed),
            "items_dropped": float(tally.dropped),
            "picks_per_hour": tally.placed / elapsed * 3600 if elapsed > 0 else 0.0,
            "transport_time_s": transport,
            "min_worker_separation_m": separation,
            "distance_travelled_m": tally.distance,
        }

    # the order --------------------------------------------------------------------------------
    def _in_tote(self, state: WorldState, index: int) -> bool:
        """Inside the tote's walls, from its floor up to a hand's breadth above them (stacked too)."""
        tote, item = state.bodies["tote"], state.bodies[self.task.items[index]]
        tx, ty, tz = tote.position.tolist()
        x, y, z = item.position.tolist()
        heading = yaw(tote)
        c, s = math.cos(heading), math.sin(heading)
        lx, ly = c * (x - tx) + s * (y - ty), -s * (x - tx) + c * (y - ty)
        limit = self.layout.tote_inner_half
        bottom = z - self.task.halves[index] - tz  # the item's underside above the floor slab's centre
        return bool(abs(lx) <= limit and abs(ly) <= limit and -0.02 <= bottom <= 0.3)

    def contents(self, state: WorldState) -> list[int]:
        """Items in the tote."""
        return [i for i in range(len(self.task.items)) if self._in_tote(state, i)]

    def counts(self, state: WorldState) -> tuple[int, int, int]:
        """(wrong, extra, missing) items against the order."""
        held = [0] * len(ITEM_TYPES)
        for i in self.contents(state):
            held[self.task.types[i]] += 1
        wrong = sum(h for h, n in zip(held, self.task.order, strict=True) if n == 0)
        extra = sum(max(0, h - n) for h, n in zip(held, self.task.order, strict=True) if n > 0)
        missing = sum(max(0, n - h) for h, n in zip(held, self.task.order, strict=True))
        return wrong, extra, missing

    def order_problems(self, state: WorldState) -> str:
        held = [0] * len(ITEM_TYPES)
        for i in self.contents(state):
            held[self.task.types[i]] += 1
        parts = []
        for kind, (h, n) in enumerate(zip(held, self.task.order, strict=True)):
            name = ITEM_TYPES[kind].name
            if n == 0 and h:
                parts.append(f"{h} wrong {name}")
            elif h > n:
                parts.append(f"{h - n} extra {name}")
            elif h < n:
                parts.append(f"{n - h} {name} missing")
        return ", ".join(parts)


def yaw(body: BodyState) -> float:
    x, y, z, w = body.orientation.tolist()
    return math.atan2(2 * (w * z + x * y), 1 - 2 * (y * y + z * z))
