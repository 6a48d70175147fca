"""Endurance runs on the point-robot doubles: cycles without reset, interventions, restarts."""

from __future__ import annotations

from typing import Any

import numpy as np

from criteria.task_success import TaskSuccess
from harness.episode.endurance import run_endurance
from harness.episode.engine import BuiltScenario
from harness.results import EpisodeResult, Outcome
from harness.testing import ObservingSkill, PointWorld, ReachScenario, ScriptedSkill, reach_spec


def endure(policy: Any = None, cycles: int = 5, seed: int = 2) -> tuple[EpisodeResult, ObservingSkill]:
    spec = reach_spec()
    built = BuiltScenario.build(ReachScenario(spec), PointWorld(spec.physics_rate_hz), "ee_pose")
    skill = ObservingSkill(ScriptedSkill(policy))
    result = run_endurance(built, lambda: skill, lambda: [TaskSuccess()], 0, seed, cycles, spec.max_ticks)
    return result, skill


def test_cycles_follow_each_other_without_a_reset() -> None:
    result, skill = endure(cycles=4)
    assert result.outcome is Outcome.SUCCESS and result.ended_by == "cycles_done"
    assert [c.cycle for c in result.cycles] == [0, 1, 2, 3]
    assert all(c.outcome is Outcome.SUCCESS for c in result.cycles)
    starts = np.cumsum([0] + [c.ticks for c in result.cycles])  # observation index of each cycle's start
    targets = [tuple(skill.observations[i]["target_position"]) for i in starts[:-1]]
    assert len(set(targets)) == 4  # every cycle brought new work
    for cycle in range(1, 4):
        where = skill.observations[starts[cycle]]["ee_position"]
        assert np.linalg.norm(where - np.array(targets[cycle - 1])) <= 0.01  # it starts where it stopped
    assert result.timing.ticks == starts[-1] == len(skill.observations)
    assert result.metrics == {"cycles": 4.0, "interventions": 0.0}


def test_a_failed_cycle_is_an_intervention_that_resets_the_cell_and_the_run_goes_on() -> None:
    def idle_in_cycle_two(tick: int, observation: Any) -> list[float]:
        nonlocal cycle, last_target
        if not np.array_equal(observation["target_position"], last_target):
            cycle, last_target = cycle + 1, observation["target_position"]
        if cycle == 2:  # the third cycle: reach for the wrong place
            return [0.9, 0.9, 0.0, 0.0, 0.0]
        return [*observation["target_position"], 0.0, 0.0]

    cycle, last_target = -1, None
    result, skill = endure(idle_in_cycle_two, cycles=4)
    outcomes = [c.outcome for c in result.cycles]
    assert outcomes == [Outcome.SUCCESS, Outcome.SUCCESS, Outcome.TIMEOUT, Outcome.SUCCESS]
    assert result.cycles[2].ticks == 50  # the spec's budget, per cycle
    assert result.outcome is Outcome.FAILURE and result.metrics["interventions"] == 1.0
    assert "first in cycle 2: timeout" in result.reason
    after_intervention = sum(c.ticks for c in result.cycles[:3])
    assert np.allclose(skill.observations[after_intervention]["ee_position"], 0.0)  # homed by the operator


def test_a_crashing_skill_is_restarted_and_its_cycle_counts_as_an_intervention() -> None:
    spec = reach_spec()
    built = BuiltScenario.build(ReachScenario(spec), PointWorld(spec.physics_rate_hz), "ee_pose")
    made: list[ScriptedSkill] = []

    def crash_in_third_cycle(tick: int, observation: Any) -> list[float]:
        if len(made) == 1 and tick > 0 and made[0].cycles == 3:
            raise RuntimeError("leaked state")
        return [*observation["target_position"], 0.0, 0.0]

    class CountingSkill(ScriptedSkill):
        def __init__(self) -> None:
            super().__init__(crash_in_third_cycle)
            self.cycles = 0
            made.append(self)

        def reset(self, task: Any, rng: Any) -> None:
            self.cycles += 1
            self.tick = 0

    result = run_endurance(built, CountingSkill, lambda: [TaskSuccess()], 0, 2, 6, spec.max_ticks)
    outcomes = [c.outcome for c in result.cycles]
    assert outcomes == [Outcome.SUCCESS] * 2 + [Outcome.SKILL_ERROR] + [Outcome.SUCCESS] * 3
    assert "leaked state" in result.cycles[2].reason
    assert len(made) == 2 and made[0].closed  # the crashed controller was closed and replaced
    assert result.outcome is Outcome.FAILURE and result.metrics["interventions"] == 1.0


def test_a_skill_that_cannot_even_be_built_fails_every_cycle() -> None:
    spec = reach_spec()
    built = BuiltScenario.build(ReachScenario(spec), PointWorld(spec.physics_rate_hz), "ee_pose")

    def broken() -> ScriptedSkill:
        raise ImportError("missing model file")

    result = run_endurance(built, broken, lambda: [TaskSuccess()], 0, 2, 4, spec.max_ticks)
    assert [c.outcome for c in result.cycles] == [Outcome.SKILL_ERROR] * 4
    assert result.metrics["interventions"] == 4.0


def test_the_skill_is_told_the_budget_of_one_cycle() -> None:
    budgets: list[int] = []

    class Telling(ScriptedSkill):
        def reset(self, task: Any, rng: Any) -> None:
            budgets.append(task.max_ticks)

    spec = reach_spec()
    built = BuiltScenario.build(ReachScenario(spec), PointWorld(spec.physics_rate_hz), "ee_pose")
    run_endurance(built, Telling, lambda: [TaskSuccess()], 0, 2, 3, 17)
    assert budgets == [17, 17, 17]


def test_the_same_seed_gives_the_same_run() -> None:
    assert endure(seed=4)[0].deterministic_json() == endure(seed=4)[0].deterministic_json()
    assert endure(seed=4)[0].deterministic_json() != endure(seed=5)[0].deterministic_json()


def test_given_first_cycle_conditions_repeat_the_run_exactly() -> None:
    spec = reach_spec()

    def once(conditions: Any) -> EpisodeResult:
        built = BuiltScenario.build(ReachScenario(spec), PointWorld(spec.physics_rate_hz), "ee_pose")
        return run_endurance(built, ScriptedSkill, lambda: [TaskSuccess()], 0, 9, 5, 50, conditions)

    free = once(None)
    assert once(dict(free.conditions)).deterministic_json() == free.deterministic_json()
