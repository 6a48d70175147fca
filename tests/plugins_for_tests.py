"""Plugins that exist only for the tests, referenced from plans and specs as ``module:Attr``.

Tests put this directory on ``sys.path`` (``monkeypatch.syspath_prepend``) and then refer to
``plugins_for_tests:OtherRobotSkill`` and so on, exactly as a third-party package would.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from harness.records import FloatArray
from harness.scenario import Scenario
from harness.skill import Observation, Skill
from harness.testing import ReachScenario
from harness.world import World
from scenarios.workstation.pick_place import PickPlaceScenario
from sims.pybullet import PyBulletWorld

BUILD_FAILURE = "scenario build exploded on purpose (tests/plugins_for_tests.py)"


class OtherRobotSkill(Skill):
    """A skill for a robot the built-in scenario does not use."""

    robot = "ur5"
    command_kind = "joint_positions"

    def act(self, observation: Observation) -> FloatArray:
        return np.zeros(6)


class BrokenBuildScenario(PickPlaceScenario):
    """The pick-and-place scenario, except that building its world always fails."""

    def build(self, world: World) -> None:
        raise RuntimeError(BUILD_FAILURE)


class TrackingPyBulletWorld(PyBulletWorld):
    """PyBullet world that remembers every instance, so tests can check all were closed."""

    instances: ClassVar[list[TrackingPyBulletWorld]] = []

    def __init__(self, physics_rate_hz: float) -> None:
        super().__init__(physics_rate_hz)
        TrackingPyBulletWorld.instances.append(self)


NOT_A_CLASS = 42


class ReachWithoutCycles(ReachScenario):
    """The reach task without a next cycle: it cannot run endurance."""

    next_cycle = Scenario.next_cycle  # type: ignore[assignment]
