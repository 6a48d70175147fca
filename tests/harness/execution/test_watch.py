"""The beacon and the watched skill: whose code runs, at which tick, and SystemExit as a skill error."""

from __future__ import annotations

import sys
from typing import Any

import numpy as np
import pytest

from harness.episode.engine import BuiltScenario, run_episode
from harness.execution.beacon import Beacon, Phase, Position, SkillExit, watch
from harness.results import Outcome
from harness.skill import Observation, Skill
from harness.testing import PointWorld, ReachScenario, ScriptedSkill, reach_spec


class Spy(Skill):
    """Records the beacon's phase from inside each call."""

    robot, command_kind = "point", "ee_pose"

    def __init__(self, beacon: Beacon) -> None:
        self.beacon = beacon
        self.seen: list[tuple[str, Position]] = []
        self.seen.append(("constructor", beacon.read()))

    def reset(self, task: Any, rng: np.random.Generator) -> None:
        self.seen.append(("reset", self.beacon.read()))

    def act(self, observation: Observation) -> Any:
        self.seen.append(("act", self.beacon.read()))
        return [*observation["target_position"], 0.0, 0.0]

    def close(self) -> None:
        self.seen.append(("close", self.beacon.read()))


def scene() -> BuiltScenario:
    spec = reach_spec()
    return BuiltScenario.build(ReachScenario(spec), PointWorld(spec.physics_rate_hz), "ee_pose")


def test_the_beacon_says_whose_code_runs_and_the_tick() -> None:
    beacon = Beacon()
    beacon.start(7)
    spies: list[Spy] = []
    make = watch(lambda: spies.append(Spy(beacon)) or spies[-1], beacon, catch_interrupts=True)
    result = run_episode(scene(), make, lambda: [], 0, seed=3)
    assert result.outcome is Outcome.SUCCESS
    (spy,) = spies
    phases = [(name, position.phase, position.tick) for name, position in spy.seen]
    assert phases[:2] == [("constructor", Phase.SKILL_CONSTRUCTOR, -1), ("reset", Phase.SKILL_RESET, -1)]
    acts = [(phase, tick) for name, phase, tick in phases if name == "act"]
    assert acts == [(Phase.SKILL_ACT, tick) for tick in range(result.timing.ticks)]
    assert phases[-1][:2] == ("close", Phase.SKILL_CLOSE)
    assert all(position.job == 7 and position.skill_seen for _, position in spy.seen)
    assert beacon.read().phase is Phase.HARNESS, "back in the harness once the skill returns"


def test_positions_read_like_the_engine() -> None:
    assert Position(1, 12, Phase.SKILL_ACT, True).ended_by == "tick 12"
    assert Position(1, 12, Phase.SKILL_ACT, True).where == "at tick 12 (in skill act)"
    assert Position(1, -1, Phase.SKILL_RESET, True).ended_by == "reset"
    assert Position(1, -1, Phase.HARNESS, False).ended_by == "setup"
    assert (
        Position(1, -1, Phase.HARNESS, False).where
        == "before the first tick (outside the skill: harness or simulator)"
    )
    assert Position(1, 4, Phase.SKILL_CLOSE, True).ended_by == "close"


def exiting(tick: int, observation: Observation) -> Any:
    if tick == 2:
        sys.exit(5)
    return [0.1, 0.0, 0.0, 0.0, 0.0]


@pytest.mark.parametrize("catch_interrupts", [True, False])
def test_a_skill_calling_sys_exit_is_a_skill_error_at_its_tick(catch_interrupts: bool) -> None:
    make = watch(lambda: ScriptedSkill(exiting), Beacon(), catch_interrupts=catch_interrupts)
    result = run_episode(scene(), make, lambda: [], 0, seed=3)
    assert result.outcome is Outcome.SKILL_ERROR
    assert result.ended_by == "tick 2"
    assert "SkillExit: the skill raised SystemExit(5)" in result.reason
    assert "test_watch.py" in result.reason, "the reason points at the skill's own line"


def interrupting(tick: int, observation: Observation) -> Any:
    raise KeyboardInterrupt


def test_ctrl_c_in_this_process_still_stops_the_caller() -> None:
    make = watch(lambda: ScriptedSkill(interrupting), Beacon(), catch_interrupts=False)
    with pytest.raises(KeyboardInterrupt):
        run_episode(scene(), make, lambda: [], 0, seed=3)


def test_in_a_worker_a_keyboard_interrupt_can_only_be_the_skills() -> None:
    make = watch(lambda: ScriptedSkill(interrupting), Beacon(), catch_interrupts=True)
    result = run_episode(scene(), make, lambda: [], 0, seed=3)
    assert result.outcome is Outcome.SKILL_ERROR
    assert "the skill raised KeyboardInterrupt()" in result.reason
    assert issubclass(SkillExit, Exception)
