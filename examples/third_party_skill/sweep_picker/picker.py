"""``sweep_picker``: pick the cube on the table and place it in the tray, one waypoint at a time.

The controller keeps a Cartesian set-point and moves it at a bounded speed through the phases
approach, descend, grip, lift, carry, lower, release and retreat; the robot's Cartesian
interface tracks it. If the gripper closes on nothing while the cube is carried, it goes back
for it. It reads observations only and knows nothing of the simulator.
"""

from __future__ import annotations

import enum
from typing import Any, ClassVar

import numpy as np
from harness import FloatArray, Observation, Skill, TaskInfo
from pydantic import BaseModel, ConfigDict, Field

from sweep_picker.motion import Vector, grasp_yaw, release_height, step_towards, turn_towards, yaw_of


class Phase(enum.Enum):
    APPROACH = "approach"
    DESCEND = "descend"
    GRIP = "grip"
    LIFT = "lift"
    CARRY = "carry"
    LOWER = "lower"
    RELEASE = "release"
    RETREAT = "retreat"
    DONE = "done"


class SweepPickerParams(BaseModel):
    """What a plan may tune (metres, seconds, radians)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    speed: float = Field(0.6, gt=0, le=1.5, description="Set-point speed in free motion, m/s.")
    slow_speed: float = Field(0.3, gt=0, le=1.5, description="Set-point speed near the cube, m/s.")
    yaw_rate: float = Field(2.5, gt=0, le=6.0, description="Wrist turn rate, rad/s.")
    approach_height: float = Field(0.10, gt=0, le=0.4, description="Descent starts this high, m.")
    carry_height: float = Field(0.22, gt=0.05, le=0.6, description="End-effector height while carrying, m.")
    min_grasp_z: float = Field(0.018, ge=0, description="Lowest grasp height above the table, m.")
    release_gap: float = Field(0.012, ge=0, description="Cube's height above the tray floor when let go, m.")
    open_width: float = Field(0.08, gt=0, le=0.08, description="Gripper opening, m.")
    grip_s: float = Field(0.3, ge=0, description="Time to close the gripper, s.")
    release_s: float = Field(0.2, ge=0, description="Time to open it, s.")
    tolerance: float = Field(0.012, gt=0, description="Tracking error that counts as arrived, m.")
    phase_timeout_s: float = Field(2.0, gt=0, description="Move on after this long in a phase, s.")
    min_hold_width: float = Field(0.025, ge=0, description="A narrower grip holds nothing, m.")
    max_retries: int = Field(2, ge=0, description="Attempts after a lost grip.")


class SweepPicker(Skill):
    """Waypoint pick-and-place: one cube from the table into the tray (Franka Panda)."""

    name = "sweep_picker"
    version = "0.3.0"
    robot = "franka_panda"
    command_kind = "ee_pose"
    observation_keys: ClassVar[tuple[str, ...]] = (
        "ee_position",
        "ee_orientation",
        "gripper_width",
        "object_positions",
        "object_orientations",
        "object_sizes",
        "tray_position",
    )
    supports: ClassVar[tuple[str, ...]] = ("workstation/pick_place*",)
    maintainer = "Sweep Robotics <skills@sweep-robotics.example>"
    license = "MIT"
    Params = SweepPickerParams

    def __init__(self, **params: Any) -> None:
        super().__init__()
        self.params = SweepPickerParams.model_validate(params)

    def reset(self, task: TaskInfo, rng: np.random.Generator) -> None:
        self.dt = task.control_dt
        self.table_z = float(task.goal.get("table_height", 0.0))
        self.tray_floor_z = self.table_z + float(task.goal.get("tray_floor_height", 0.015))
        self.setpoint: Vector | None = None
        self.yaw = 0.0
        self.width = self.params.open_width
        self.tick = 0
        self.retries = 0
        self.phase, self.phase_tick = Phase.APPROACH, 0

    def act(self, observation: Observation) -> FloatArray:
        if self.setpoint is None:
            self.setpoint = np.array(observation["ee_position"], dtype=float)
            self.yaw = self.home_yaw = yaw_of(observation["ee_orientation"])
        self.tick += 1
        if self.phase is not Phase.DONE:
            getattr(self, f"_{self.phase.value}")(observation)
        return np.array([*self.setpoint, self.yaw, self.width])

    # phases -----------------------------------------------------------------------------------
    def _approach(self, observation: Observation) -> None:
        p = self.params
        cube, cube_yaw = observation["object_positions"][0], yaw_of(observation["object_orientations"][0])
        self.width = p.open_width
        self.grasp_yaw = grasp_yaw(cube_yaw, self.home_yaw)
        self.grasp = np.array([cube[0], cube[1], max(float(cube[2]), self.table_z + p.min_grasp_z)])
        if self._reach(observation, self.grasp + np.array([0.0, 0.0, p.approach_height]), p.speed):
            self._enter(Phase.DESCEND)

    def _descend(self, observation: Observation) -> None:
        if self._reach(observation, self.grasp, self.params.slow_speed):
            self._enter(Phase.GRIP)

    def _grip(self, observation: Observation) -> None:
        self.width = 0.0
        if self._waited(self.params.grip_s):
            cube, size = observation["object_positions"][0], observation["object_sizes"][0]
            tray = observation["tray_position"]
            p = self.params
            ee_z = float(observation["ee_position"][2])
            low = release_height(ee_z, float(cube[2]), self.tray_floor_z, float(size[2]) / 2, p.release_gap)
            self.lift = np.array([self.grasp[0], self.grasp[1], p.carry_height])
            self.carry = np.array([tray[0], tray[1], p.carry_height])
            self.drop = np.array([tray[0], tray[1], low])
            self._enter(Phase.LIFT)

    def _lift(self, observation: Observation) -> None:
        if self._lost_grip(observation):
            self._retry()
        elif self._reach(observation, self.lift, self.params.speed):
            self._enter(Phase.CARRY)

    def _carry(self, observation: Observation) -> None:
        if self._lost_grip(observation):
            self._retry()
        elif self._reach(observation, self.carry, self.params.speed):
            self._enter(Phase.LOWER)

    def _lower(self, observation: Observation) -> None:
        if self._reach(observation, self.drop, self.params.slow_speed):
            self._enter(Phase.RELEASE)

    def _release(self, observation: Observation) -> None:
        self.width = self.params.open_width
        if self._waited(self.params.release_s):
            self._enter(Phase.RETREAT)

    def _retreat(self, observation: Observation) -> None:
        if self._reach(observation, self.carry, self.params.speed):
            self._enter(Phase.DONE)

    # helpers ----------------------------------------------------------------------------------
    def _enter(self, phase: Phase) -> None:
        self.phase, self.phase_tick = phase, self.tick

    def _waited(self, seconds: float) -> bool:
        return (self.tick - self.phase_tick) * self.dt >= seconds

    def _lost_grip(self, observation: Observation) -> bool:
        closed = float(observation["gripper_width"][0]) < self.params.min_hold_width
        return closed and self.tick - self.phase_tick > 3

    def _retry(self) -> None:
        self.width = self.params.open_width
        self.retries += 1
        self._enter(Phase.APPROACH if self.retries <= self.params.max_retries else Phase.DONE)

    def _reach(self, observation: Observation, goal: Vector, speed: float) -> bool:
        """Move the set-point towards ``goal``; True once it is there and the arm has followed."""
        assert self.setpoint is not None
        self.setpoint, arrived = step_towards(self.setpoint, goal, speed * self.dt)
        self.yaw, turned = turn_towards(self.yaw, self.grasp_yaw, self.params.yaw_rate * self.dt)
        tracked = float(np.linalg.norm(observation["ee_position"] - goal)) < self.params.tolerance
        timed_out = self._waited(self.params.phase_timeout_s)
        return arrived and turned and (tracked or timed_out)
