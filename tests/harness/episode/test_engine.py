"""The episode protocol on the point-robot test doubles: outcomes, phases, validation, seeds."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pytest

from criteria.cycle_time import CycleTime, CycleTimeParams
from criteria.task_success import TaskSuccess
from harness.criterion import Criterion
from harness.episode.engine import BuiltScenario, run_episode
from harness.results import EpisodeResult, Outcome, Verdict
from harness.skill import Observation
from harness.testing import PointWorld, ReachScenario, RecordingCriterion, ScriptedSkill, reach_spec

Policy = Callable[[int, Observation], Any]


def built(**spec_fields: Any) -> BuiltScenario:
    spec = reach_spec(**spec_fields)
    return BuiltScenario.build(ReachScenario(spec), PointWorld(spec.physics_rate_hz), "ee_pose")


def run(
    policy: Policy | None = None,
    criteria: Sequence[Criterion] = (),
    seed: int = 7,
    scene: BuiltScenario | None = None,
) -> EpisodeResult:
    scene = scene or built()
    return run_episode(scene, lambda: ScriptedSkill(policy), lambda: [TaskSuccess(), *criteria], 0, seed)


def test_reaching_skill_succeeds_with_task_success_passing() -> None:
    result = run()
    assert result.outcome is Outcome.SUCCESS
    assert result.ended_by == "task_succeeded"
    assert result.criteria[0].verdict is Verdict.PASS
    assert result.timing.ticks * 10 == result.timing.physics_steps


def test_idle_skill_times_out_at_the_budget() -> None:
    result = run(lambda tick, obs: [0.0, 0.0, 0.0, 0.0, 0.0])
    assert result.outcome is Outcome.TIMEOUT
    assert result.timing.ticks == 50  # 5 s at 10 Hz
    assert result.timing.sim_s == pytest.approx(5.0)
    assert result.criteria[0].verdict is Verdict.FAIL
    assert result.criteria[0].details["truncated"] is True


def test_skill_exception_is_a_skill_error_with_the_tick() -> None:
    def explode(tick: int, obs: Observation) -> Any:
        if tick == 3:
            raise ValueError("boom")
        return [0.1, 0.0, 0.0, 0.0, 0.0]

    result = run(explode)
    assert result.outcome is Outcome.SKILL_ERROR
    assert result.ended_by == "tick 3"
    assert "ValueError: boom" in result.reason
    assert result.outcome.scored


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ([0.1, 0.0, math.nan, 0.0, 0.0], "z is nan (not finite)"),
        ([0.1, 0.0, math.inf, 0.0, 0.0], "z is inf (not finite)"),
        ([0.1, 0.0, 0.0], "of shape (5,)"),
        ([[0.1, 0.0, 0.0, 0.0, 0.0]], "got shape (1, 5)"),
        ([0.1, 5.0, 0.0, 0.0, 0.0], "y=5 is outside its limits [-2, 2]"),
        ([0.1, 0.0, 0.0, 0.0, -0.01], "gripper_width=-0.01 is outside its limits"),
        ("forward", "expected a numeric 'ee_pose' vector"),
        (None, "(x, y, z, yaw, gripper_width)"),
    ],
)
def test_invalid_commands_never_reach_the_world(command: Any, expected: str) -> None:
    scene = built()
    applied: list[Any] = []
    original = scene.world.apply
    scene.world.apply = lambda kind, cmd: (applied.append(cmd), original(kind, cmd))  # type: ignore[method-assign]
    result = run(lambda tick, obs: command if tick == 2 else [0.0, 0.0, 0.0, 0.0, 0.0], scene=scene)
    assert result.outcome is Outcome.SKILL_ERROR
    assert result.ended_by == "tick 2"
    assert expected in result.reason
    assert len(applied) == 2


def test_criterion_stop_request_is_a_safety_stop() -> None:
    recorder = RecordingCriterion(stop_at_tick=4)
    result = run(lambda tick, obs: [0.0, 0.0, 0.0, 0.0, 0.0], criteria=[recorder])
    assert result.outcome is Outcome.SAFETY_STOP
    assert result.ended_by == "criterion:recording"
    assert [r.tick for r in recorder.records] == [1, 2, 3, 4]


def test_failed_required_criterion_turns_success_into_failure() -> None:
    slow = CycleTime(CycleTimeParams(max_s=0.1), required=True)
    result = run(criteria=[slow])
    assert result.outcome is Outcome.FAILURE
    assert result.ended_by == "criterion:cycle_time"
    optional = CycleTime(CycleTimeParams(max_s=0.1), required=False)
    assert run(criteria=[optional]).outcome is Outcome.SUCCESS


def test_records_have_integer_ticks_and_exact_times() -> None:
    recorder = RecordingCriterion()
    run(lambda tick, obs: [0.0, 0.0, 0.0, 0.0, 0.0], criteria=[recorder])
    ticks = [r.tick for r in recorder.records]
    assert ticks == list(range(1, 51))
    assert [r.time_s for r in recorder.records] == [t * 0.1 for t in ticks]
    with pytest.raises(AttributeError):
        recorder.records[0].tick = 3  # type: ignore[misc]
    with pytest.raises(ValueError):
        recorder.records[0].command[0] = 1.0


def test_scenario_bug_is_a_harness_error_not_the_skills_fault() -> None:
    scene = built()

    def broken_status(state: Any, tick: int) -> Any:
        raise KeyError("scenario bug")

    scene.scenario.status = broken_status  # type: ignore[method-assign]
    result = run(scene=scene)
    assert result.outcome is Outcome.HARNESS_ERROR
    assert not result.outcome.scored
    assert "KeyError" in result.reason


def test_sim_failure_is_a_sim_error() -> None:
    scene = built()

    def broken_step(substeps: int) -> None:
        raise RuntimeError("solver exploded")

    scene.world.step = broken_step  # type: ignore[method-assign]
    result = run(scene=scene)
    assert result.outcome is Outcome.SIM_ERROR
    assert result.ended_by == "tick 0"


def test_skill_is_closed_even_when_it_raises() -> None:
    skills: list[ScriptedSkill] = []

    def make() -> ScriptedSkill:
        skills.append(ScriptedSkill(lambda tick, obs: 1 / 0))
        return skills[-1]

    result = run_episode(built(), make, lambda: [TaskSuccess()], 0, 1)
    assert result.outcome is Outcome.SKILL_ERROR
    assert skills[0].closed


def test_same_seed_same_result_different_seed_different_conditions() -> None:
    scene = built(observation_noise={"ee_position": 0.001})
    first, again, other = (run(seed=s, scene=scene).deterministic_json() for s in (11, 11, 12))
    assert first == again
    assert first != other


def test_given_conditions_replace_sampling() -> None:
    conditions = {"target_x": 0.3, "target_y": 0.0}
    result = run_episode(built(), ScriptedSkill, lambda: [TaskSuccess()], 0, 5, conditions=conditions)
    assert result.conditions == conditions
    assert result.outcome is Outcome.SUCCESS


def test_streams_are_independent_of_what_the_skill_draws() -> None:
    """A skill consuming random numbers must not change the scene or the observation noise."""
    scene = built(observation_noise={"ee_position": 0.01})
    seen: list[list[np.ndarray]] = [[], []]

    def make(greedy: bool, log: list[np.ndarray]) -> ScriptedSkill:
        def policy(tick: int, obs: Observation) -> Any:
            log.append(np.array(obs["ee_position"]))
            return [*obs["target_position"], 0.0, 0.0]

        skill = ScriptedSkill(policy)
        if greedy:
            skill.reset = lambda task, rng: rng.random(1000)  # type: ignore[method-assign]
        return skill

    for greedy, log in ((False, seen[0]), (True, seen[1])):
        run_episode(scene, lambda g=greedy, lg=log: make(g, lg), lambda: [], 0, 3)
    assert all(np.array_equal(a, b) for a, b in zip(*seen, strict=True))
