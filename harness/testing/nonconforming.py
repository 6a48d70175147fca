"""Skills that break the Skill contract on purpose, one rule each, for ``roboverify check-skill``.

Each drives the point robot of ``harness.testing.ReachScenario`` and, apart from its one flaw,
reaches the target like :class:`ConformingReach`; ``check-skill`` must fail exactly the check
named in its docstring and pass the others::

    roboverify check-skill harness.testing.nonconforming:LeakyReach --scenario reach.yaml
"""

from __future__ import annotations

import random

import numpy as np

from harness.records import FloatArray
from harness.skill import Observation, Skill, TaskInfo


class ConformingReach(Skill):
    """Keeps every rule: passes every check."""

    name = "conforming_reach"
    version = "1.0.0"
    robot = "point"
    command_kind = "ee_pose"
    observation_keys = ("target_position",)
    supports = ("testing/*",)
    maintainer = "Harness Maintainers <harness@example.org>"
    license = "Apache-2.0"

    def reset(self, task: TaskInfo, rng: np.random.Generator) -> None:
        self.rng = rng

    def act(self, observation: Observation) -> FloatArray:
        return np.array([*observation["target_position"], 0.0, 0.0])


class UndeclaredKeyReach(ConformingReach):
    """Fails ``interface.undeclared_reads``: reads ``ee_position`` without declaring it."""

    name = "undeclared_key_reach"

    def act(self, observation: Observation) -> FloatArray:
        position, target = observation["ee_position"], observation["target_position"]
        return np.array([*(position + (target - position)), 0.0, 0.0])


class WrongShapeReach(ConformingReach):
    """Fails ``commands.shape``: returns a position only, without yaw and gripper width."""

    name = "wrong_shape_reach"

    def act(self, observation: Observation) -> FloatArray:
        return super().act(observation)[:3]


class OutOfLimitsReach(ConformingReach):
    """Fails ``commands.limits``: opens the gripper wider than its 0.08 m."""

    name = "out_of_limits_reach"

    def act(self, observation: Observation) -> FloatArray:
        command = super().act(observation)
        command[4] = 0.5
        return command


class GlobalRandomReach(ConformingReach):
    """Fails ``determinism``: jitters its target with the global ``random`` module, not the rng."""

    name = "global_random_reach"

    def act(self, observation: Observation) -> FloatArray:
        command = super().act(observation)
        command[3] = random.uniform(-0.1, 0.1)  # the flaw under test
        return command


class LeakyReach(ConformingReach):
    """Fails ``state_leak``: counts its calls from construction, not from reset, and holds still
    for its first three."""

    name = "leaky_reach"

    def __init__(self) -> None:
        self.calls = 0

    def act(self, observation: Observation) -> FloatArray:
        self.calls += 1
        return np.zeros(5) if self.calls <= 3 else super().act(observation)


class RaisingCloseReach(ConformingReach):
    """Fails ``lifecycle.close``: raises when it is closed."""

    name = "raising_close_reach"

    def close(self) -> None:
        raise RuntimeError("driver handle already released")


class RaisingActReach(ConformingReach):
    """Fails ``commands.act``: raises on its third tick (and is still closed afterwards)."""

    name = "raising_act_reach"

    def reset(self, task: TaskInfo, rng: np.random.Generator) -> None:
        self.tick = 0

    def act(self, observation: Observation) -> FloatArray:
        self.tick += 1
        if self.tick == 3:
            raise RuntimeError("planner lost its map")
        return super().act(observation)
