"""``warehouse/order_picking``: pick an order into a tote on a mobile robot and deliver it.

A Franka Panda (label ``robot``) picks the ordered items from a shelf bay into a tote welded to
a Husky (label ``amr``) docked beside it; the Husky then drives along an aisle shared with a
walking worker to the packing station and docks there. One command drives both robots.

Success: the Husky rests in the packing station's docking zone with exactly the ordered items
lying in the tote, within the time budget. Failure: an item dropped outside the tote or onto the
floor, a wrong, extra or missing item when docked, or a robot touching a fixture or the worker.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np

from harness.distributions import Choice, Uniform
from harness.faults import ArmedFault
from harness.records import FloatArray, TaskEvent, TaskStatus, WorldState
from harness.scenario import Conditions, Parameter, Scenario
from harness.skill import CommandSpace, Observation
from harness.spec import ScenarioSpec
from harness.world import World
from scenarios.corridors import Corridor
from scenarios.path_faults import FAULT_KINDS, OBSTACLE, PERSON_RADIUS, PathFaults
from scenarios.people import place_walker
from scenarios.placement import spread_apart
from scenarios.warehouse.layout import ITEM_TYPES, Layout, build_floor, build_tote
from scenarios.warehouse.orders import item_types, stock_shelf, take_order
from scenarios.warehouse.rules import AMR, OrderJudge, OrderTask, yaw
from scenarios.warehouse.scanner import scan_people, scan_worker

COMMAND = "pick_and_transport"
AMR_MODEL = "husky"
WORKER = "human:0"
VISITOR = "human:1"  # steps into the aisle when a spec declares person_steps_in
ARM_KEYS = ("joint_positions", "joint_velocities", "gripper_width", "ee_position", "ee_orientation")


TYPE_DOC = "item type: 0 red 4 cm, 1 green 5 cm, 2 blue 6 cm cube"
ORDER_DOC = "ordered items: the types of the first n items on the shelf (at most the item count)"


def _item(low: float, high: float, units: str, doc: str) -> Parameter:
    return Parameter(Uniform(low=low, high=high), units, doc, per_object=True)


def _scalar(low: float, high: float, units: str, doc: str) -> Parameter:
    return Parameter(Uniform(low=low, high=high), units, doc)


class OrderPickingScenario(Scenario):
    """Pick an order from a shelf into a tote on an AMR, then deliver it past a worker."""

    parameters: ClassVar[Mapping[str, Parameter]] = {
        "item_x": _item(0.32, 0.66, "m", "item centre on the shelf, x"),
        "item_y": _item(-0.32, 0.0, "m", "item centre on the shelf, y"),
        "item_yaw": _item(-math.pi, math.pi, "rad", "item rotation about z"),
        "item_type": Parameter(Choice(options=[0, 1, 2]), "", TYPE_DOC, per_object=True),
        "item_mass": _item(0.05, 0.30, "kg", "item mass"),
        "item_friction": _item(0.6, 1.2, "", "lateral friction coefficient"),
        "order_size": Parameter(Choice(options=[1, 2, 3]), "items", ORDER_DOC),
        "station_x": _scalar(6.2, 6.6, "m", "packing station's front face, x"),
        "worker_lane_y": _scalar(1.8, 2.2, "m", "the worker's lane along the aisle, y"),
        "worker_speed": _scalar(0.8, 1.4, "m/s", "the worker's walking speed"),
        "worker_phase": _scalar(0.0, 1.0, "", "where on the round trip the worker is at t=0"),
    }
    observation_keys = (
        *ARM_KEYS,
        "item_positions",
        "item_orientations",
        "item_sizes",
        "item_types",
        "order",
        "tote_position",
        "amr_pose",
        "amr_velocity",
        "dock_pose",
        "worker_positions",
        "worker_velocities",
        "worker_distances",
        "worker_visible",
        "obstacle_distance",
    )
    builtin_specs: ClassVar[Mapping[str, str]] = {"warehouse/order_picking-v1": "order_picking-v1.yaml"}
    reference_skill: ClassVar[str | None] = "order_picking"
    fault_kinds: ClassVar[frozenset[str]] = FAULT_KINDS
    task_events: ClassVar[tuple[str, ...]] = ("grasped", "placed", "dropped", "departed")
    layout = Layout()

    def __init__(self, spec: ScenarioSpec) -> None:
        super().__init__(spec)
        layout = self.layout
        half_extents = (layout.amr_half_length, layout.amr_half_width)
        self._faults = PathFaults(spec, AMR, half_extents, VISITOR, (-30.0, 0.0))
        # the vehicle's scanner reports the worker, and the visitor too when one may step in
        self._people = (WORKER, VISITOR) if self._faults.has_person else (WORKER,)

    # building and resetting -------------------------------------------------------------------
    def build(self, world: World) -> None:
        layout = self.layout
        build_floor(world, layout)
        station = layout.station_half
        world.add_box("station", station, (6.5, layout.station_y, station[2]), color=(0.4, 0.55, 0.7, 1.0))
        world.add_robot(self.spec.robot, (*layout.arm_base, layout.shelf_z))
        world.add_robot(AMR_MODEL, (*layout.amr_start, 0.0), label=AMR)
        build_tote(world, layout, AMR)
        world.add_human(WORKER, (layout.walk_x[0], 2.0, 0.0))
        world.track_separation(AMR, WORKER, layout.scanner_range)
        world.track_separation("robot", WORKER, layout.arm_watch_range)
        self._faults.build(world, [(AMR, layout.scanner_range), ("robot", layout.arm_watch_range)])
        obstacles = {OBSTACLE} if self._faults.has_obstacle else set()
        self._fixtures = frozenset({*layout.fixtures(), "station", *obstacles})
        self._items = [f"item:{i}" for i in range(self.spec.objects.count)]
        self._world = world

    def sample_conditions(self, rng: np.random.Generator) -> Conditions:
        conditions = super().sample_conditions(rng)
        separation = self.layout.min_item_separation
        return spread_apart(conditions, self.distributions(), rng, ("item_x", "item_y"), separation, "items")

    def reset(self, world: World, conditions: Conditions) -> None:
        layout = self.layout
        world.restore_baseline()
        station_x = float(conditions["station_x"])
        half = layout.station_half
        world.set_pose("station", (station_x + half[0], layout.station_y, half[2]))
        self._start_order(world, conditions, station_x, away=False)

    def next_cycle(self, world: World, conditions: Conditions) -> None:
        """The next order from wherever the last one ended: the delivered items leave with the
        tote's contents at the packing station and the shelf is restocked from ``conditions``
        with a new order; the station stays where it is and the worker walks a new path. The
        vehicle starts wherever it stopped, so it must come back to the pick dock first."""
        for label in reversed(self._items):
            world.remove(label)
        self._start_order(world, conditions, self._station_x, away=True)

    def _start_order(self, world: World, conditions: Conditions, station_x: float, away: bool) -> None:
        layout, self._station_x, self._world = self.layout, station_x, world
        types = item_types(conditions)
        stock_shelf(world, layout, self._items, types, conditions)
        order = take_order(conditions, self._items, types)
        self._walk_worker(world, conditions)
        dock = layout.dock_pose(station_x)
        self._judge = OrderJudge(layout, self._task(types, order, dock, away), self._fixtures)
        self._sizes = np.array([[ITEM_TYPES[t].edge] * 3 for t in types])
        self._types = np.array(types, dtype=float)
        self._order = np.array(order, dtype=float)
        self._dock = np.array(dock)
        self._last: WorldState | None = None
        # the aisle from the pick station to the packing station's front, along the vehicle's
        # lane; a person steps in from the worker's side (the rack row is on the other)
        aisle = Corridor(0, layout.amr_start[1], layout.hall_x[0], station_x, 0.75, sides=(1,))
        self._faults.reset(world, [aisle])

    def _walk_worker(self, world: World, conditions: Conditions) -> None:
        """The worker's path for this order, and the worker at its start."""
        layout = self.layout
        round_trip = 2 * (layout.walk_x[1] - layout.walk_x[0])
        self._path = layout.walking_path(
            float(conditions["worker_lane_y"]),
            float(conditions["worker_speed"]),
            float(conditions["worker_phase"]) * round_trip,
        )
        place_walker(world, WORKER, self._path, 0.0)

    def _task(
        self, types: list[int], order: list[int], dock: tuple[float, float, float], away: bool
    ) -> OrderTask:
        layout = self.layout
        return OrderTask(
            self._items,
            types,
            [ITEM_TYPES[t].edge / 2 for t in types],
            order,
            dock,
            math.ceil(layout.rest_s * self.spec.control_rate_hz),
            self.spec.control_dt,
            pick_dock=layout.amr_start if away else None,
        )

    def goal(self) -> Mapping[str, Any]:
        layout = self.layout
        return {
            "shelf_height": layout.shelf_z,
            "tote_floor_height": layout.tote_floor_z,
            "tote_inner_half_extent": layout.tote_inner_half,
            "item_types": [t.name for t in ITEM_TYPES],
            "dock_tolerance": layout.dock_tolerance,
            "amr_half_extents": (layout.amr_half_length, layout.amr_half_width),
            "scanner_range": layout.scanner_range,
            "pick_dock_pose": (*layout.amr_start, 0.0),
        }

    # commands ---------------------------------------------------------------------------------
    def command_spaces(self, world: World) -> Mapping[str, CommandSpace]:
        """One command for both robots: the arm's ``ee_pose`` then the vehicle's ``base_velocity``."""
        arm, base = world.command_spaces()["ee_pose"], world.command_spaces(AMR)["base_velocity"]
        return {
            COMMAND: CommandSpace(
                COMMAND,
                (*arm.names, *base.names),
                np.concatenate([arm.low, base.low]),
                np.concatenate([arm.high, base.high]),
            )
        }

    def apply(self, world: World, kind: str, command: FloatArray) -> None:
        world.apply("ee_pose", command[:5])
        world.apply("base_velocity", command[5:], robot=AMR)

    # observing --------------------------------------------------------------------------------
    def observation_shapes(self) -> Mapping[str, tuple[int, ...]]:
        n = self.spec.objects.count
        return {
            "joint_positions": (7,),
            "joint_velocities": (7,),
            "gripper_width": (1,),
            "ee_position": (3,),
            "ee_orientation": (4,),
            "item_positions": (n, 3),
            "item_orientations": (n, 4),
            "item_sizes": (n, 3),
            "item_types": (n,),
            "order": (len(ITEM_TYPES),),
            "tote_position": (3,),
            "amr_pose": (3,),
            "amr_velocity": (2,),
            "dock_pose": (3,),
            "worker_positions": (len(self._people), 2),
            "worker_velocities": (len(self._people), 2),
            "worker_distances": (len(self._people),),
            "worker_visible": (len(self._people),),
            "obstacle_distance": (1,),
        }

    def observe(self, state: WorldState, rng: np.random.Generator) -> Observation:
        robot, bodies, base = state.robot, state.bodies, state.robots[AMR].base
        heading = yaw(base)
        vx, vy, _ = base.linear_velocity.tolist()
        observation = {
            "joint_positions": robot.joint_positions,
            "joint_velocities": robot.joint_velocities,
            "gripper_width": np.array([robot.gripper_width]),
            "ee_position": robot.ee_position,
            "ee_orientation": robot.ee_orientation,
            "item_positions": np.array([bodies[label].position for label in self._items]),
            "item_orientations": np.array([bodies[label].orientation for label in self._items]),
            "item_sizes": self._sizes,
            "item_types": self._types,
            "order": self._order,
            "tote_position": bodies["tote"].position,
            "amr_pose": np.array([base.position[0], base.position[1], heading]),
            "amr_velocity": np.array(
                [vx * math.cos(heading) + vy * math.sin(heading), float(base.angular_velocity[2])]
            ),
            "dock_pose": self._dock,
            **self._scan(state),
            "obstacle_distance": self._faults.obstacle_distance(self._world, base),
        }
        for key, std in self.spec.observation_noise.items():
            if std > 0:
                observation[key] = observation[key] + rng.normal(0.0, std, observation[key].shape)
        return observation

    def _scan(self, state: WorldState) -> dict[str, FloatArray]:
        if len(self._people) == 1:
            return scan_worker(state, WORKER, self.layout.scanner_range)
        return scan_people(state, self._people, self.layout.scanner_range)

    # judging ------------------------------------------------------------------------------------
    def events(self, state: WorldState, tick: int) -> tuple[TaskEvent, ...]:
        # the worker's pose for the coming tick, a pure function of the tick
        place_walker(self._world, WORKER, self._path, tick * self.spec.control_dt)
        return self._judge.update(state, tick)

    def status(self, state: WorldState, tick: int) -> TaskStatus:
        self._judge.update(state, tick)
        self._faults.update(self._world, tick)
        self._last = state
        return self._judge.status

    def inject_fault(self, world: World, fault: ArmedFault, state: WorldState) -> str | None:
        x, y = state.bodies[WORKER].position.tolist()[:2]
        return self._faults.inject(world, fault, state, [(x, y, PERSON_RADIUS)])

    def clear_fault(self, world: World, fault: ArmedFault) -> None:
        self._faults.clear(world, fault)

    def failure_reason(self) -> str:
        return self._judge.failure

    def episode_metrics(self) -> dict[str, float]:
        return self._judge.metrics(self._last)
