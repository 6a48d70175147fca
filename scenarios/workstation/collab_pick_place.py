"""``workstation/collab_pick_place``: pick and place while an operator steps up to the table.

The operator (a human proxy with ISO/TS 15066 body regions) walks back and forth between the
far end of the cell and the table edge opposite the robot, so the shared workspace is entered
again and again. Separations robot-operator and operator-table are tracked every tick for
the safety criteria (speed and separation monitoring, clamping against the table).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import ClassVar

import numpy as np

from harness.distributions import Uniform
from harness.records import TaskStatus, WorldState
from harness.scenario import Conditions, Parameter
from harness.skill import Observation
from harness.world import World
from scenarios.people import WalkingPath, place_walker
from scenarios.workstation.pick_place import PickPlaceScenario

OPERATOR = "human:0"


class CollabPickPlaceScenario(PickPlaceScenario):
    """Pick cubes into a tray while an operator keeps stepping up to the table."""

    parameters: ClassVar[Mapping[str, Parameter]] = {
        **PickPlaceScenario.parameters,
        "operator_y": Parameter(
            Uniform(low=-0.2, high=0.6), "m", "where along the table the operator steps up"
        ),
        "operator_speed": Parameter(Uniform(low=0.25, high=0.45), "m/s", "operator walking speed"),
        "operator_phase": Parameter(Uniform(low=0.0, high=1.0), "", "share of the walk done at the start"),
    }
    observation_keys = (*PickPlaceScenario.observation_keys, "person_position", "person_velocity")
    builtin_specs: ClassVar[Mapping[str, str]] = {
        "workstation/collab_pick_place-v1": "collab_pick_place-v1.yaml"
    }
    reference_skill: ClassVar[str | None] = "collab_pick_place"
    far_x = 3.0  # where the operator turns back, metres from the robot base
    near_x = 1.12  # standing at the table edge (the table ends at x = 0.95)

    def build(self, world: World) -> None:
        super().build(world)
        world.add_human(OPERATOR, (self.far_x, 0.0, self.layout.floor_z), yaw=math.pi)
        world.track_separation("robot", OPERATOR)
        world.track_separation(OPERATOR, "table")  # for clamping against the table

    def reset(self, world: World, conditions: Conditions) -> None:
        super().reset(world, conditions)
        y, speed = float(conditions["operator_y"]), float(conditions["operator_speed"])
        path = WalkingPath(((self.far_x, y), (self.near_x, y)), speed)
        self._path = WalkingPath(
            path.waypoints, speed, start_offset=float(conditions["operator_phase"]) * path.length
        )
        self._world = world
        place_walker(world, OPERATOR, self._path, 0.0, self.layout.floor_z)

    def observation_shapes(self) -> Mapping[str, tuple[int, ...]]:
        return {**super().observation_shapes(), "person_position": (3,), "person_velocity": (3,)}

    def observe(self, state: WorldState, rng: np.random.Generator) -> Observation:
        observation = dict(super().observe(state, rng))
        person = state.bodies[OPERATOR]
        observation["person_position"] = person.position
        observation["person_velocity"] = person.linear_velocity
        return observation

    def status(self, state: WorldState, tick: int) -> TaskStatus:
        touched = [c for c in state.touching("robot", OPERATOR)]
        if touched and not self._failure:
            region = touched[0].link_b if touched[0].body_b == OPERATOR else touched[0].link_a
            self._failure = f"robot touched {OPERATOR} ({region}) at tick {tick}"
        # where the operator stands for the next tick: a pure function of the tick
        place_walker(self._world, OPERATOR, self._path, tick * self.spec.control_dt, self.layout.floor_z)
        return super().status(state, tick)
