"""Test doubles for the harness and for plugin authors: no simulator needed.

``PointWorld`` is a world whose "robot" is a point that moves towards the commanded position
at a bounded speed; ``ReachScenario`` asks it to reach a target. Together with
``ScriptedSkill``, ``RecordingCriterion`` and ``step_record`` they exercise the engine and
criteria in milliseconds.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType
from typing import Any, ClassVar, cast

import numpy as np

from harness.criterion import Criterion, EpisodeContext, EpisodeEnd
from harness.distributions import Uniform
from harness.records import (
    IDENTITY_QUATERNION,
    ZERO3,
    BodyState,
    Contact,
    FloatArray,
    RobotState,
    StepRecord,
    TaskEvent,
    TaskStatus,
    WorldState,
    frozen_array,
)
from harness.results import CriterionResult, Verdict
from harness.scenario import Conditions, Parameter, Scenario
from harness.skill import CommandSpace, Observation, Skill, TaskInfo
from harness.spec import ScenarioSpec
from harness.world import IDENTITY, Vector, World


def robot_state(
    ee_position: Vector | FloatArray = (0.0, 0.0, 0.0), ee_velocity: Vector = (0.0, 0.0, 0.0)
) -> RobotState:
    base = BodyState(ZERO3, IDENTITY_QUATERNION, ZERO3, ZERO3)
    return RobotState(
        base=base,
        joint_positions=frozen_array(()),
        joint_velocities=frozen_array(()),
        joint_torques=frozen_array(()),
        ee_position=frozen_array(ee_position),
        ee_orientation=IDENTITY_QUATERNION,
        ee_linear_velocity=frozen_array(ee_velocity),
        gripper_width=0.0,
    )


def step_record(
    tick: int,
    *,
    control_dt: float = 0.1,
    status: TaskStatus = TaskStatus.RUNNING,
    ee_position: Vector = (0.0, 0.0, 0.0),
    bodies: Mapping[str, BodyState] | None = None,
    contacts: Sequence[Contact] = (),
    events: Sequence[TaskEvent] = (),
    command: Vector = (0.0, 0.0, 0.0, 0.0, 0.0),
) -> StepRecord:
    """A hand-made record for criterion unit tests."""
    robots = MappingProxyType({"robot": robot_state(ee_position)})
    state = WorldState(robots, MappingProxyType(dict(bodies or {})), tuple(contacts))
    return StepRecord(tick, tick * control_dt, frozen_array(command), state, status, tuple(events))


class PointWorld(World):
    """A kinematic point robot: no physics, exactly reproducible, microseconds per step."""

    speed = 1.0  # metres per second

    def __init__(self, physics_rate_hz: float) -> None:
        super().__init__(physics_rate_hz)
        self.position = np.zeros(3)
        self.target = np.zeros(3)
        self.bodies: dict[str, BodyState] = {}
        self.baseline: tuple[FloatArray, dict[str, BodyState]] | None = None
        self.closed = False

    def add_robot(self, model: str, position: Vector, yaw: float = 0.0, label: str = "robot") -> None:
        self.position = np.array(position, dtype=float)

    def add_box(
        self,
        label: str,
        half_extents: Vector,
        position: Vector,
        orientation: Vector = IDENTITY,
        mass: float = 0.0,
        friction: float = 0.8,
        color: Vector = (0.6, 0.6, 0.6, 1.0),
    ) -> None:
        self.bodies[label] = BodyState(frozen_array(position), frozen_array(orientation), ZERO3, ZERO3)

    def add_asset(self, label: str, asset: str, position: Vector, *, scale: float = 1.0) -> None:
        self.add_box(label, (0.1, 0.1, 0.1), position)

    def set_pose(
        self,
        label: str,
        position: Vector,
        orientation: Vector = IDENTITY,
        linear_velocity: Vector | None = None,
    ) -> None:
        self.add_box(label, (0.1, 0.1, 0.1), position, orientation)

    def remove(self, label: str) -> None:
        del self.bodies[label]

    def has(self, label: str) -> bool:
        return label in self.bodies

    def bounds(self, label: str) -> tuple[FloatArray, FloatArray]:
        center = self.bodies[label].position
        return frozen_array(center - 0.1), frozen_array(center + 0.1)

    def save_baseline(self) -> None:
        self.baseline = (self.position.copy(), dict(self.bodies))

    def restore_baseline(self) -> None:
        assert self.baseline is not None, "save_baseline() first"
        self.position, self.bodies = self.baseline[0].copy(), dict(self.baseline[1])
        self.target = self.position.copy()

    def set_robot_joints(self, positions: Vector, robot: str = "robot") -> None:
        self.position = np.array(positions[:3], dtype=float)

    def home_robot(self, robot: str = "robot") -> None:
        self.position = np.zeros(3)
        self.target = np.zeros(3)

    def command_spaces(self, robot: str = "robot") -> Mapping[str, CommandSpace]:
        return {
            "ee_pose": CommandSpace(
                "ee_pose",
                ("x", "y", "z", "yaw", "gripper_width"),
                frozen_array([-2.0, -2.0, -2.0, -7.0, 0.0]),
                frozen_array([2.0, 2.0, 2.0, 7.0, 0.08]),
            )
        }

    def apply(self, kind: str, command: FloatArray, robot: str = "robot") -> None:
        self.target = np.array(command[:3])

    def step(self, substeps: int) -> None:
        for _ in range(substeps):
            delta = self.target - self.position
            distance = float(np.linalg.norm(delta))
            reach = self.speed / self.physics_rate_hz
            self.position = (
                self.target.copy() if distance <= reach else self.position + delta * reach / distance
            )

    def read(self) -> WorldState:
        robots = MappingProxyType({"robot": robot_state(self.position)})
        return WorldState(robots, MappingProxyType(dict(self.bodies)), ())

    def close(self) -> None:
        self.closed = True


class ReachScenario(Scenario):
    """Move the point robot to within ``tolerance`` of a randomised target."""

    parameters: ClassVar[Mapping[str, Parameter]] = {
        "target_x": Parameter(Uniform(low=0.2, high=0.5), "m"),
        "target_y": Parameter(Uniform(low=-0.3, high=0.3), "m"),
    }
    observation_keys = ("ee_position", "target_position")
    tolerance = 0.01

    def build(self, world: World) -> None:
        world.add_robot(self.spec.robot, (0.0, 0.0, 0.0))

    def reset(self, world: World, conditions: Conditions) -> None:
        world.restore_baseline()
        world.home_robot()
        self.target = frozen_array([conditions["target_x"], conditions["target_y"], 0.0])

    def next_cycle(self, world: World, conditions: Conditions) -> None:
        """A new target for the next cycle of an endurance run; the point stays where it is."""
        self.target = frozen_array([conditions["target_x"], conditions["target_y"], 0.0])

    def observation_shapes(self) -> Mapping[str, tuple[int, ...]]:
        return {"ee_position": (3,), "target_position": (3,)}

    def observe(self, state: WorldState, rng: np.random.Generator) -> Observation:
        noise = self.spec.observation_noise.get("ee_position", 0.0)
        position = state.robot.ee_position + (rng.normal(0.0, noise, 3) if noise else 0.0)
        return {"ee_position": position, "target_position": self.target}

    def status(self, state: WorldState, tick: int) -> TaskStatus:
        distance = float(np.linalg.norm(state.robot.ee_position - self.target))
        return TaskStatus.SUCCEEDED if distance <= self.tolerance else TaskStatus.RUNNING


def reach_spec(**overrides: Any) -> ScenarioSpec:
    """A valid spec for :class:`ReachScenario`, with any field overridden."""
    fields: dict[str, Any] = {
        "id": "testing/reach-v1",
        "kind": "harness.testing:ReachScenario",
        "sim": "harness.testing:PointWorld",
        "robot": "point",
        "control_rate_hz": 10,
        "physics_rate_hz": 100,
        "time_budget_s": 5,
    }
    fields.update(overrides)
    return ScenarioSpec.model_validate(fields)


class ScriptedSkill(Skill):
    """Plays a policy given as a plain function of (tick, observation); the default reaches."""

    robot = "point"
    command_kind = "ee_pose"

    def __init__(self, policy: Callable[[int, Observation], Any] | None = None) -> None:
        self.policy = policy or (lambda tick, obs: [*obs["target_position"], 0.0, 0.0])
        self.tick = 0
        self.closed = False

    def act(self, observation: Observation) -> FloatArray:
        command = cast(FloatArray, self.policy(self.tick, observation))  # the engine validates it
        self.tick += 1
        return command

    def close(self) -> None:
        self.closed = True


class RecordingCriterion(Criterion):
    """Keeps every record it is shown; optionally asks to stop at a given tick."""

    name = "recording"

    def __init__(self, stop_at_tick: int | None = None, verdict: Verdict = Verdict.PASS) -> None:
        super().__init__()
        self.stop_at_tick, self.verdict = stop_at_tick, verdict
        self.records: list[StepRecord] = []
        self.contexts: list[EpisodeContext] = []

    def reset(self, context: EpisodeContext) -> None:
        self.contexts.append(context)

    def fold(self, record: StepRecord) -> str | None:
        self.records.append(record)
        return "stop requested" if record.tick == self.stop_at_tick else None

    def result(self, end: EpisodeEnd) -> CriterionResult:
        return CriterionResult(name=self.name, verdict=self.verdict, measured=float(len(self.records)))


class RandomSkill(Skill):
    """Uniformly random commands within the declared limits: the skill that tries everything."""

    robot = "any"
    command_kind = "any"

    def reset(self, task: TaskInfo, rng: np.random.Generator) -> None:
        self.space, self.rng = task.command_space, rng

    def act(self, observation: Observation) -> FloatArray:
        return self.rng.uniform(self.space.low, self.space.high)


class ObservingSkill(Skill):
    """Wraps another skill and keeps every observation it was shown."""

    robot = "any"
    command_kind = "any"

    def __init__(self, inner: Skill) -> None:
        self.inner = inner
        self.observations: list[Observation] = []

    def reset(self, task: TaskInfo, rng: np.random.Generator) -> None:
        self.inner.reset(task, rng)

    def act(self, observation: Observation) -> FloatArray:
        self.observations.append(observation)
        return self.inner.act(observation)

    def close(self) -> None:
        self.inner.close()
