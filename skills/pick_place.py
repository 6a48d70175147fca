"""Scripted pick-and-place for the Franka Panda, and faulty variants that tests must catch.

The controller moves a Cartesian set-point at a bounded speed through the phases approach,
descend, close, lift, transport, lower, open and retreat; the robot's Cartesian interface
(inverse kinematics) tracks it. It knows nothing of the simulator.
"""

from __future__ import annotations

import enum
import math
from typing import Any, ClassVar

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from harness.records import FloatArray
from harness.skill import Observation, Skill, TaskInfo


class Phase(enum.Enum):
    APPROACH = "approach"
    DESCEND = "descend"
    CLOSE = "close"
    LIFT = "lift"
    TRANSPORT = "transport"
    LOWER = "lower"
    OPEN = "open"
    RETREAT = "retreat"
    DONE = "done"


class Tuning(BaseModel):
    """Motion settings (metres, seconds, radians); any of them can be set in the plan."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    max_speed: float = Field(0.5, gt=0, le=2.0)
    slow_speed: float = Field(0.25, gt=0, le=2.0)
    max_yaw_rate: float = Field(2.0, gt=0)
    approach_height: float = Field(0.12, gt=0)
    transport_z: float = Field(0.25, gt=0)
    min_grasp_z: float = Field(0.018, ge=0)
    release_gap: float = Field(0.015, ge=0)
    open_width: float = Field(0.08, gt=0, le=0.08)
    position_tolerance: float = Field(0.01, gt=0)
    phase_timeout_s: float = Field(2.0, gt=0)
    close_s: float = Field(0.3, ge=0)
    open_s: float = Field(0.2, ge=0)
    min_hold_width: float = Field(0.025, ge=0)
    max_retries: int = Field(2, ge=0)
    slot_spacing: float = Field(0.09, ge=0)
    hand_half_length: float = Field(0.105, gt=0)  # the gripper, along the fingers' axis
    hand_half_width: float = Field(0.035, gt=0)  # and across it
    rim_overlap: float = Field(0.02, ge=0)  # the rim is low at its outer edge: the hand may reach over it


def ee_yaw(orientation: FloatArray) -> float:
    """Yaw of a gripper pointing down: angle of the end effector's x axis in the table plane."""
    x, y, z, w = orientation
    return math.atan2(2 * (x * y + w * z), 1 - 2 * (y * y + z * z))


def nearest_grasp_yaw(object_yaw: float, reference: float) -> float:
    """A cube looks the same every quarter turn: pick the equivalent yaw nearest the wrist's."""
    return reference + (object_yaw - reference + math.pi / 4) % (math.pi / 2) - math.pi / 4


class PickPlaceSkill(Skill):
    """Reference controller: picks every cube, nearest first, and places it in the tray."""

    name = "pick_place"
    version = "1.0.0"
    robot = "franka_panda"
    command_kind = "ee_pose"
    supports = ("workstation/*",)
    maintainer = "roboverify maintainers <maintainers@roboverify.org>"
    license = "Apache-2.0"
    observation_keys: ClassVar[tuple[str, ...]] = (
        "ee_position",
        "ee_orientation",
        "gripper_width",
        "object_positions",
        "object_orientations",
        "object_sizes",
        "tray_position",
    )

    Params = Tuning

    def __init__(self, **params: Any) -> None:
        super().__init__()
        self.tuning = Tuning.model_validate(params)
        # grasps are chosen near this wrist yaw, taken once at the very first start: measured
        # afresh at every start, it would wind the wrist up to its limit over many cycles
        self.home_yaw: float | None = None

    def reset(self, task: TaskInfo, rng: np.random.Generator) -> None:
        self.dt = task.control_dt
        self.table_z = float(task.goal.get("table_height", 0.0))
        self.tray_floor = float(task.goal.get("tray_floor_height", 0.015))
        self.tray_inner_half = float(task.goal.get("tray_inner_half_extent", 0.209))
        self.tray_outer_half = float(task.goal.get("tray_outer_half_extent", 0.301))
        self.tick = 0
        self.setpoint: FloatArray | None = None
        self.queue: list[int] | None = None
        self.slot = 0
        self.retries = 0
        self.width = self.tuning.open_width
        self.speed_scale = 1.0  # a collaborative variant slows the set-point down near people

    # the loop ---------------------------------------------------------------------------------
    def act(self, observation: Observation) -> FloatArray:
        if self.setpoint is None:
            self._start(observation)
        self.tick += 1
        if self.phase is not Phase.DONE:
            getattr(self, f"_{self.phase.value}")(observation)
        return self._command()

    def _start(self, observation: Observation) -> None:
        self.setpoint = np.array(observation["ee_position"], dtype=float)
        self.yaw = ee_yaw(observation["ee_orientation"])
        if self.home_yaw is None:
            self.home_yaw = self.yaw
        self.reference_yaw = self.home_yaw
        distances = np.linalg.norm(observation["object_positions"][:, :2], axis=1)
        self.queue = [int(i) for i in np.argsort(distances, kind="stable")]
        self._next_object()

    def _next_object(self) -> None:
        assert self.queue is not None
        self._enter(Phase.APPROACH if self.queue else Phase.DONE)

    def _enter(self, phase: Phase) -> None:
        self.phase, self.phase_tick = phase, self.tick

    def _command(self) -> FloatArray:
        assert self.setpoint is not None
        return np.array([*self.setpoint, self.yaw, self.width])

    # phases -----------------------------------------------------------------------------------
    def _approach(self, observation: Observation) -> None:
        position, object_yaw = self._target(observation)
        self.width = self.tuning.open_width
        self.grasp_yaw = self._clear_of_tray(
            nearest_grasp_yaw(object_yaw, self.reference_yaw), position, observation
        )
        self.grasp = np.array([position[0], position[1], self._grasp_z(position)])
        above = self.grasp + np.array([0.0, 0.0, self.tuning.approach_height])
        assert self.setpoint is not None
        if self.setpoint[2] < above[2] - 0.02 and np.linalg.norm(self.setpoint[:2] - above[:2]) > 0.02:
            self._move(np.array([*self.setpoint[:2], above[2]]), self.yaw, self.tuning.max_speed)
            return
        if self._reach(observation, above, self.grasp_yaw, self.tuning.max_speed):
            self._enter(Phase.DESCEND)

    def _descend(self, observation: Observation) -> None:
        if self._reach(observation, self.grasp, self.grasp_yaw, self.tuning.slow_speed):
            self._enter(Phase.CLOSE)

    def _close(self, observation: Observation) -> None:
        self.width = 0.0
        if self._waited(self.tuning.close_s):
            position, _ = self._target(observation)
            self.hold_offset = position[2] - observation["ee_position"][2]
            self.half_height = max(position[2] - self.table_z, 0.01)
            assert self.setpoint is not None
            self.lift = np.array([*self.setpoint[:2], self.tuning.transport_z])
            self._enter(Phase.LIFT)

    def _lift(self, observation: Observation) -> None:
        if self._lost_grip(observation, grace_ticks=3):
            return self._retry()
        if self._reach(observation, self.lift, self.grasp_yaw, self.tuning.max_speed):
            tray = observation["tray_position"]
            offset = (self.slot % 3 - 1) * self.tuning.slot_spacing if self._object_count > 1 else 0.0
            self.place = np.array([tray[0] + offset, tray[1]])
            self.carry = np.array([*self.place, self.tuning.transport_z])
            self._enter(Phase.TRANSPORT)
        return None

    def _transport(self, observation: Observation) -> None:
        if self._lost_grip(observation, grace_ticks=0):
            return self._retry()
        if self._reach(observation, self.carry, self.grasp_yaw, self.tuning.max_speed):
            bottom = self.table_z + self.tray_floor + self.tuning.release_gap
            self.release = np.array([*self.place, bottom + self.half_height - self.hold_offset])
            self._enter(Phase.LOWER)
        return None

    def _lower(self, observation: Observation) -> None:
        if self._reach(observation, self.release, self.grasp_yaw, self.tuning.max_speed):
            self._enter(Phase.OPEN)

    def _open(self, observation: Observation) -> None:
        self.width = self.tuning.open_width
        if self._waited(self.tuning.open_s):
            assert self.setpoint is not None
            self.retreat = np.array([*self.setpoint[:2], self.tuning.transport_z])
            self._enter(Phase.RETREAT)

    def _retreat(self, observation: Observation) -> None:
        if self._reach(observation, self.retreat, self.grasp_yaw, self.tuning.max_speed):
            assert self.queue is not None
            self.queue.pop(0)
            self.slot += 1
            self.retries = 0
            self._next_object()

    # helpers ----------------------------------------------------------------------------------
    @property
    def _object_count(self) -> int:
        assert self.queue is not None
        return self.slot + len(self.queue)

    def _target(self, observation: Observation) -> tuple[FloatArray, float]:
        assert self.queue is not None
        index = self.queue[0]
        return observation["object_positions"][index], ee_yaw(observation["object_orientations"][index])

    def _clear_of_tray(self, yaw: float, position: FloatArray, observation: Observation) -> float:
        """Beside the tray (a cube that fell there), turn the hand so it does not land on the rim.

        The hand is long along the fingers' axis (yaw + 90 degrees) and thin across it; a cube
        looks the same every quarter turn, so the quarter turn that reaches least towards the
        tray wins whenever the grasp yaw nearest the wrist's would reach over the rim.
        """
        tray, tuning = observation["tray_position"], self.tuning
        offsets = (abs(float(position[0] - tray[0])), abs(float(position[1] - tray[1])))
        if max(offsets) <= self.tray_inner_half:
            return yaw  # on the tray's floor: nothing in the way
        wall = 0 if offsets[0] > offsets[1] else 1  # the axis the tray wall faces the cube along
        gap = offsets[wall] - self.tray_outer_half + tuning.rim_overlap

        def reach(candidate: float) -> float:
            fingers = candidate + math.pi / 2
            along, across = abs(math.cos(fingers)), abs(math.sin(fingers))
            return (
                tuning.hand_half_length * (along, across)[wall]
                + tuning.hand_half_width * (across, along)[wall]
            )

        if reach(yaw) <= gap:
            return yaw
        candidates = (yaw, yaw + math.pi / 2, yaw - math.pi / 2)
        return min(candidates, key=lambda c: (round(reach(c), 6), abs(c - yaw)))

    def _grasp_z(self, position: FloatArray) -> float:
        return max(float(position[2]), self.table_z + self.tuning.min_grasp_z)

    def _lost_grip(self, observation: Observation, grace_ticks: int) -> bool:
        closed = float(observation["gripper_width"][0]) < self.tuning.min_hold_width
        return closed and self.tick - self.phase_tick > grace_ticks

    def _retry(self) -> None:
        self.width = self.tuning.open_width
        self.retries += 1
        if self.retries > self.tuning.max_retries:
            assert self.queue is not None
            self.queue.pop(0)
            self.retries = 0
            self._next_object()
        else:
            self._enter(Phase.APPROACH)

    def _waited(self, seconds: float) -> bool:
        return (self.tick - self.phase_tick) * self.dt >= seconds

    def _reach(self, observation: Observation, goal: FloatArray, yaw: float, speed: float) -> bool:
        """Move the set-point towards ``goal``; True once it is there and the arm has followed."""
        arrived = self._move(goal, yaw, speed)
        tracked = float(np.linalg.norm(observation["ee_position"] - goal)) < self.tuning.position_tolerance
        timed_out = (self.tick - self.phase_tick) * self.dt > self.tuning.phase_timeout_s
        return arrived and (tracked or timed_out)

    def _move(self, goal: FloatArray, yaw: float, speed: float) -> bool:
        assert self.setpoint is not None
        delta = goal - self.setpoint
        distance = float(np.linalg.norm(delta))
        step = speed * self.dt * self.speed_scale
        self.setpoint = goal.copy() if distance <= step else self.setpoint + delta * (step / distance)
        turn = yaw - self.yaw
        max_turn = self.tuning.max_yaw_rate * self.dt * self.speed_scale
        self.yaw = yaw if abs(turn) <= max_turn else self.yaw + math.copysign(max_turn, turn)
        return distance <= step and abs(turn) <= max_turn
