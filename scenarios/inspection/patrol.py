"""``inspection/patrol``: a Husky patrols a facility, reads every gauge and reports anomalies.

The skill drives the base and reports through one command, ``patrol``: forward speed, yaw rate,
the checkpoint it reports on (-1: none), the reading, whether it is anomalous, and whether the
patrol is over. A gauge's reading and anomaly score are observed only while the robot is within
range of it and facing it. Success: the skill ends the patrol with every checkpoint reported,
within tolerance and with the right anomaly flag, inside the time budget. Failure: a wrong or
blind report, a checkpoint left out, or the robot touching anything but the floor.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np

from harness.distributions import Choice, Uniform
from harness.faults import ArmedFault
from harness.records import FloatArray, TaskStatus, WorldState, frozen_array
from harness.scenario import Conditions, Parameter, Scenario
from harness.skill import CommandSpace, Observation
from harness.spec import ScenarioSpec
from harness.world import World
from scenarios.corridors import Corridor
from scenarios.inspection.conditions import (
    PER_PERSON,
    condition_index,
    spread_checkpoints,
    spread_people,
    walking_paths,
)
from scenarios.inspection.layout import Layout, build_checkpoints, build_hall, place_checkpoint
from scenarios.inspection.rules import Checkpoint, PatrolLog
from scenarios.inspection.sensing import in_view, people_seen
from scenarios.path_faults import FAULT_KINDS, PERSON_RADIUS, PathFaults
from scenarios.people import place_walker

COMMAND = "patrol"
COMMAND_NAMES = (
    "forward_speed",
    "yaw_rate",
    "report_checkpoint",
    "report_value",
    "report_anomaly",
    "end_patrol",
)
MASKED = {"checkpoint_readings": "checkpoint_visible", "checkpoint_anomaly_scores": "checkpoint_visible",
          "people_positions": "people_visible"}  # fmt: skip
SEPARATION_CAP = 4.0  # separations are measured up to this distance (beyond it is cheap and safe)


def _per_checkpoint(default: Any, units: str, doc: str) -> Parameter:
    return Parameter(default, units, doc, per_object=True)


class PatrolScenario(Scenario):
    """Patrol a facility with a Husky: read every gauge, report anomalies, keep clear of people."""

    reference_skill: ClassVar[str] = "patrol"
    parameters: ClassVar[Mapping[str, Parameter]] = {
        "checkpoint_face": _per_checkpoint(
            Choice(options=[0, 1, 2, 3, 4, 5]),
            "",
            "face a gauge hangs on, south to north: 0 south wall, 1-2 south rack row, "
            "3-4 north rack row, 5 north wall",
        ),
        "checkpoint_x": _per_checkpoint(Uniform(low=3.0, high=7.5), "m", "gauge position along its face"),
        "checkpoint_reading": _per_checkpoint(Uniform(low=0.0, high=10.0), "bar", "the gauge's true reading"),
        "checkpoint_anomalous": _per_checkpoint(
            Choice(options=[0, 0, 0, 1]), "", "1 if the gauge shows an anomaly (a leak, a hot spot)"
        ),
        "people_count": Parameter(Choice(options=[1, 2]), "", "people walking in the aisles"),
        "person_aisle": Parameter(Choice(options=[0, 1, 2]), "", "per person: aisle walked, south to north"),
        "person_side": Parameter(Choice(options=[-1, 1]), "", "per person: lane right (-1) or left (1)"),
        "person_speed": Parameter(Uniform(low=0.8, high=1.4), "m/s", "per person: walking speed"),
        "person_phase": Parameter(
            Uniform(low=0.0, high=1.0), "", "per person: start, fraction of a round trip"
        ),
    }
    observation_keys = (
        "base_pose",
        "base_velocity",
        "checkpoint_poses",
        "checkpoint_visible",
        "checkpoint_readings",
        "checkpoint_anomaly_scores",
        "people_positions",
        "people_visible",
        "obstacle_distance",
    )
    builtin_specs: ClassVar[Mapping[str, str]] = {"inspection/patrol-v1": "patrol-v1.yaml"}
    fault_kinds: ClassVar[frozenset[str]] = FAULT_KINDS
    layout = Layout()

    def __init__(self, spec: ScenarioSpec) -> None:
        super().__init__(spec)
        layout = self.layout
        # a person stepping into the path (a declared fault) takes the scanner's last slot
        self._faults = PathFaults(
            spec, "robot", (layout.robot_half_length, layout.robot_half_width),
            f"human:{layout.max_people}", layout.parked,
        )  # fmt: skip
        self._slots = layout.max_people + self._faults.has_person

    # building and resetting -------------------------------------------------------------------
    def build(self, world: World) -> None:
        layout = self.layout
        build_hall(world, layout)
        build_checkpoints(world, layout, self.spec.objects.count)
        x, y, yaw = layout.dock
        world.add_robot(self.spec.robot, (x, y, 0.0), yaw)
        self._people = [f"human:{i}" for i in range(layout.max_people)]
        for index, label in enumerate(self._people):
            world.add_human(label, self._parked(index))
            world.track_separation("robot", label, SEPARATION_CAP)
        self._faults.build(world, [("robot", SEPARATION_CAP)])
        world.step(round(world.physics_rate_hz / 4))  # let the base settle on its wheels

    def command_spaces(self, world: World) -> Mapping[str, CommandSpace]:
        base = world.command_spaces()["base_velocity"]
        last = self.spec.objects.count - 1
        low = [*base.low.tolist(), -1.0, -1e6, 0.0, 0.0]
        high = [*base.high.tolist(), float(last), 1e6, 1.0, 1.0]
        return {COMMAND: CommandSpace(COMMAND, COMMAND_NAMES, frozen_array(low), frozen_array(high))}

    def sample_conditions(self, rng: np.random.Generator) -> Conditions:
        conditions: Conditions = {}
        count, distributions = self.spec.objects.count, self.distributions()
        for name, distribution in distributions.items():
            repeat = count if self.parameters[name].per_object else self.layout.max_people
            if self.parameters[name].per_object or name in PER_PERSON:
                conditions[name] = [distribution.sample(rng) for _ in range(repeat)]
            else:
                conditions[name] = distribution.sample(rng)
        spread_checkpoints(conditions, distributions, self.layout.min_checkpoint_spacing, rng)
        spread_people(conditions, distributions, rng)
        return conditions

    def reset(self, world: World, conditions: Conditions) -> None:
        world.restore_baseline()
        self._world = world  # walkers are moved from status(), which gets no world
        layout, count = self.layout, self.spec.objects.count
        faces = [condition_index(conditions, "checkpoint_face", i, 6) for i in range(count)]
        xs = [float(x) for x in conditions["checkpoint_x"]]
        for index, (face, x) in enumerate(zip(faces, xs, strict=True)):
            place_checkpoint(world, layout, index, face, x)
        self._poses = [layout.checkpoint_pose(face, x) for face, x in zip(faces, xs, strict=True)]
        self._poses_array = frozen_array(self._poses)
        self._start_patrol(world, conditions)
        self._last_xy = layout.dock[:2]
        self._faults.reset(world, self._corridors())

    def next_cycle(self, world: World, conditions: Conditions) -> None:
        """Another round from wherever the last one ended: the gauges stay where they hang and
        show new readings; people walk new paths."""
        self._start_patrol(world, conditions)

    def _start_patrol(self, world: World, conditions: Conditions) -> None:
        checkpoints = [
            Checkpoint(f"checkpoint:{i}", float(conditions["checkpoint_reading"][i]),
                       bool(conditions["checkpoint_anomalous"][i]))
            for i in range(self.spec.objects.count)
        ]  # fmt: skip
        self._log = PatrolLog(checkpoints, self.layout.reading_tolerance)
        self._paths = walking_paths(conditions, self.layout)
        for label, path in zip(self._people, self._paths, strict=False):
            place_walker(world, label, path, 0.0)
        for index in range(len(self._paths), len(self._people)):
            world.set_pose(self._people[index], self._parked(index))
        self._visible = [False] * self.spec.objects.count

    def _parked(self, index: int) -> tuple[float, float, float]:
        """Where walker ``index`` waits, out of the hall, while nobody needs it."""
        x, y = self.layout.parked[:2]
        return (x, y + 2 * index, 0.0)

    def _corridors(self) -> list[Corridor]:
        """Free floor: the aisles (along x, wall to wall) and the cross aisles (along y)."""
        layout = self.layout
        (x0, x1), (y0, y1) = layout.hall_x, layout.hall_y
        aisles = [Corridor(0, y, x0, x1, layout.aisle_half_width) for y in layout.aisle_y]
        half = (layout.rack_x[0] - x0) / 2
        return [*aisles, *(Corridor(1, x, y0, y1, half) for x in layout.cross_aisle_x)]

    def goal(self) -> Mapping[str, Any]:
        layout = self.layout
        return {
            "checkpoint_count": self.spec.objects.count,
            "aisle_y": layout.aisle_y,
            "aisle_half_width": layout.aisle_half_width,
            "cross_aisle_x": layout.cross_aisle_x,
            "dock": layout.dock,
            "read_range": layout.read_range,
            "read_half_angle": layout.read_half_angle,
            "reading_tolerance": layout.reading_tolerance,
            "max_people": self._slots,
            "people_range": layout.people_range,
            "robot_half_extents": (layout.robot_half_length, layout.robot_half_width),
        }

    # observing --------------------------------------------------------------------------------
    def observation_shapes(self) -> Mapping[str, tuple[int, ...]]:
        n, people = self.spec.objects.count, self._slots
        return {
            "base_pose": (3,), "base_velocity": (2,), "checkpoint_poses": (n, 3), "checkpoint_visible": (n,),
            "checkpoint_readings": (n,), "checkpoint_anomaly_scores": (n,),
            "people_positions": (people, 2), "people_visible": (people,), "obstacle_distance": (1,),
        }  # fmt: skip

    def observe(self, state: WorldState, rng: np.random.Generator) -> Observation:
        base = state.robot.base
        x, y, _ = base.position.tolist()
        qx, qy, qz, qw = base.orientation.tolist()
        yaw = math.atan2(2 * (qw * qz + qx * qy), 1 - 2 * (qy * qy + qz * qz))
        vx, vy, _ = base.linear_velocity.tolist()
        self._visible = visible = [in_view(self.layout, pose, x, y, yaw) for pose in self._poses]
        log = self._log.checkpoints
        people, seen = people_seen(state, self._watched(), self._slots, self.layout.people_range, x, y)
        shown = [c.reading if v else 0.0 for c, v in zip(log, visible, strict=True)]
        scores = [float(c.anomalous) if v else 0.0 for c, v in zip(log, visible, strict=True)]
        forward = vx * math.cos(yaw) + vy * math.sin(yaw)
        observation: dict[str, FloatArray] = {
            "base_pose": np.array([x, y, yaw]),
            "base_velocity": np.array([forward, float(base.angular_velocity[2])]),
            "checkpoint_poses": self._poses_array,
            "checkpoint_visible": np.array(visible, dtype=np.float64),
            "checkpoint_readings": np.array(shown),
            "checkpoint_anomaly_scores": np.array(scores),
            "people_positions": np.array(people).reshape(self._slots, 2),
            "people_visible": np.array(seen, dtype=np.float64),
            "obstacle_distance": self._faults.obstacle_distance(self._world, base),
        }
        for key, std in self.spec.observation_noise.items():
            if std > 0:
                noisy = observation[key] + rng.normal(0.0, std, observation[key].shape)
                mask = MASKED.get(key)
                if mask is not None:  # a sensor that sees nothing reports zeros, not noise
                    noisy *= observation[mask].reshape(-1, *([1] * (noisy.ndim - 1)))
                observation[key] = noisy
        return observation

    def _watched(self) -> list[tuple[int, str]]:
        """The scanner's (slot, person) pairs: the walkers out, then a person stepping in."""
        watched = [(index, self._people[index]) for index in range(len(self._paths))]
        if self._faults.has_person:
            watched.append((self.layout.max_people, self._faults.person))
        return watched

    # acting and judging -------------------------------------------------------------------------
    def apply(self, world: World, kind: str, command: FloatArray) -> None:
        world.apply("base_velocity", command[:2])
        _, _, which, value, anomaly, end = command.tolist()
        tick = self._log.ticks + 1  # the record this command ends up in
        index = math.floor(which + 0.5)
        if index >= 0:
            self._log.report(index, value, anomaly >= 0.5, self._visible[index], tick)
        if end >= 0.5:
            self._log.end_patrol(tick)

    def status(self, state: WorldState, tick: int) -> TaskStatus:
        log = self._log
        log.ticks = tick
        x, y, _ = state.robot.base.position.tolist()
        log.track(math.hypot(x - self._last_xy[0], y - self._last_xy[1]), state.separations)
        self._last_xy = (x, y)
        log.check_contacts(state.contacts, "robot", tick)
        time_s = tick * self.spec.control_dt  # from the integer tick: walkers never drift
        for label, path in zip(self._people, self._paths, strict=False):
            place_walker(self._world, label, path, time_s)
        self._faults.update(self._world, tick)
        if log.failure:
            return TaskStatus.FAILED
        return TaskStatus.SUCCEEDED if log.succeeded else TaskStatus.RUNNING

    def inject_fault(self, world: World, fault: ArmedFault, state: WorldState) -> str | None:
        walkers = [
            (*state.bodies[label].position.tolist()[:2], PERSON_RADIUS)
            for label, _ in zip(self._people, self._paths, strict=False)
        ]
        return self._faults.inject(world, fault, state, walkers)

    def clear_fault(self, world: World, fault: ArmedFault) -> None:
        self._faults.clear(world, fault)

    def failure_reason(self) -> str:
        return self._log.failure

    def episode_metrics(self) -> dict[str, float]:
        return self._log.metrics(self.spec.control_dt, SEPARATION_CAP)
