"""``workstation/collab_pick_place``: pick and place while an operator works at the same table.

The operator (an articulated human proxy with ISO/TS 15066 body regions) walks back and forth
between the far end of the cell and the table edge opposite the robot. At the table they
stand, reach into the shared workspace with one arm (to place or inspect a part at a spot
drawn per episode), withdraw and walk back, so the shared workspace is entered again and
again. Separations robot-operator and operator-table are tracked every tick for the safety
criteria (speed and separation monitoring, clamping against the table); the hands are
observed as a hand-tracking safety sensor would report them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import ClassVar

import numpy as np

from harness.distributions import Choice, Uniform
from harness.records import TaskStatus, WorldState
from harness.scenario import Conditions, Parameter
from harness.skill import Observation
from harness.world import World
from scenarios.people import (
    SHOULDER,
    Reach,
    ReachingVisit,
    WalkingPath,
    arm_angles,
    hand_position,
    place_visitor,
)
from scenarios.workstation.pick_place import PickPlaceScenario

OPERATOR = "human:0"
SIDES = ("left", "right")


class CollabPickPlaceScenario(PickPlaceScenario):
    """Pick cubes into a tray while an operator keeps stepping up and reaching in."""

    parameters: ClassVar[Mapping[str, Parameter]] = {
        **PickPlaceScenario.parameters,
        "operator_y": Parameter(
            Uniform(low=-0.2, high=0.6), "m", "where along the table the operator steps up"
        ),
        "operator_speed": Parameter(Uniform(low=0.25, high=0.45), "m/s", "operator walking speed"),
        "operator_phase": Parameter(
            Uniform(low=0.0, high=1.0), "", "share of the walk up to the table done at the start"
        ),
        "reach_side": Parameter(Choice(options=list(SIDES)), "", "the arm the operator reaches in with"),
        "reach_depth": Parameter(
            Uniform(low=0.05, high=0.25), "m", "how far past the table edge the hand's centre reaches"
        ),
        "reach_height": Parameter(
            Uniform(low=0.3, high=0.45), "m", "height of the hand's centre above the table top, reached in"
        ),
        "reach_delay": Parameter(Uniform(low=0.3, high=1.5), "s", "standing at the table before reaching in"),
        "reach_duration": Parameter(Uniform(low=1.0, high=4.0), "s", "the hand held in the shared workspace"),
        "reach_move_s": Parameter(Uniform(low=0.6, high=1.0), "s", "moving the arm in, and again out"),
    }
    observation_keys = (
        *PickPlaceScenario.observation_keys,
        "person_position",
        "person_velocity",
        "person_hand_positions",
    )
    builtin_specs: ClassVar[Mapping[str, str]] = {
        "workstation/collab_pick_place-v1": "collab_pick_place-v1.yaml"
    }
    reference_skill: ClassVar[str | None] = "collab_pick_place"
    far_x = 3.0  # where the operator turns back, metres from the robot base
    near_x = 1.12  # standing at the table edge, facing the robot

    def build(self, world: World) -> None:
        super().build(world)
        world.add_human(OPERATOR, (self.far_x, 0.0, self.layout.floor_z), yaw=math.pi)
        world.track_separation("robot", OPERATOR)
        world.track_separation(OPERATOR, "table")  # for clamping against the table

    def reset(self, world: World, conditions: Conditions) -> None:
        super().reset(world, conditions)
        layout = self.layout
        y, speed = float(conditions["operator_y"]), float(conditions["operator_speed"])
        path = WalkingPath(((self.far_x, y), (self.near_x, y)), speed)
        table_edge = layout.table_center[0] + layout.table_half_extents[0]
        forward = self.near_x - (table_edge - float(conditions["reach_depth"]))  # from the shoulder
        drop = SHOULDER[2] + layout.floor_z - float(conditions["reach_height"])  # the table top is z = 0
        shoulder, elbow = arm_angles(forward, drop)
        self._visit = ReachingVisit(
            path,
            Reach(str(conditions["reach_side"]), shoulder, elbow),
            delay_s=float(conditions["reach_delay"]),
            move_s=float(conditions["reach_move_s"]),
            hold_s=float(conditions["reach_duration"]),
            start_s=float(conditions["operator_phase"]) * path.length / speed,
        )
        self._world = world
        self._placed = self._hands = self._place(0)
        self._swing_arms(self._placed, self._placed)

    def _place(self, tick: int) -> np.ndarray:
        """Put the operator where they are at ``tick``; returns their hands' centres (left, right)."""
        floor_z = self.layout.floor_z
        pose, shoulder, elbow = place_visitor(
            self._world, OPERATOR, self._visit, tick * self.spec.control_dt, floor_z
        )
        reaching = self._visit.reach.side
        arms = {side: (shoulder, elbow) if side == reaching else (0.0, 0.0) for side in SIDES}
        return np.array([hand_position(pose, side, *arms[side], floor_z) for side in SIDES])

    def observation_shapes(self) -> Mapping[str, tuple[int, ...]]:
        return {
            **super().observation_shapes(),
            "person_position": (3,),
            "person_velocity": (3,),
            "person_hand_positions": (2, 3),
        }

    def observe(self, state: WorldState, rng: np.random.Generator) -> Observation:
        observation = dict(super().observe(state, rng))
        person = state.bodies[OPERATOR]
        observation["person_position"] = person.position
        observation["person_velocity"] = person.linear_velocity
        observation["person_hand_positions"] = self._hands
        return observation

    def status(self, state: WorldState, tick: int) -> TaskStatus:
        touched = [c for c in state.touching("robot", OPERATOR)]
        if touched and not self._failure:
            region = touched[0].link_b if touched[0].body_b == OPERATOR else touched[0].link_a
            self._failure = f"robot touched {OPERATOR} ({region}) at tick {tick}"
        # where the operator is for the next tick, a pure function of the tick; the hands
        # observed next are those of this state
        self._hands, self._placed = self._placed, self._place(tick)
        self._swing_arms(self._hands, self._placed)
        return super().status(state, tick)

    def _swing_arms(self, before: np.ndarray, after: np.ndarray) -> None:
        """A reaching hand moves faster than the body carrying it: contacts with the hand and
        forearm are judged at the hand's own speed (the forearm's is at most that)."""
        velocities = (after - before) / self.spec.control_dt
        for side, velocity in zip(SIDES, velocities, strict=True):
            for link in (f"hand_{side}", f"lower_arm_{side}"):
                self._world.set_link_velocity(OPERATOR, link, velocity.tolist())
