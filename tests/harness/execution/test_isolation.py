"""Isolated workers against hostile skills and a crashing harness: each fault costs one episode,
recorded with the right outcome, tick and reason, while the other episodes finish."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from harness.campaign.run import run_plan
from harness.execution.pool import LocalBackend, WorkerError
from harness.execution.runner import InProcessBackend
from harness.plan.resolve import load_plan
from harness.report.model import Report
from harness.results import Outcome
from harness.testing.hostile import hostile_episode

PlanWriter = Callable[..., Path]

TICK1 = "at tick 1 (in skill act)"
HOSTILE = [
    # behaviour, limits, what the reason says
    ("raise", {}, "skill raised RuntimeError: hostile skill raised on purpose"),
    ("nan", {}, "invalid command: x is nan (not finite)"),
    ("garbage", {}, "invalid command: expected a numeric 'ee_pose' vector"),
    ("sys_exit", {}, "SkillExit: the skill raised SystemExit(3)"),
    ("hang", {"episode_wall_s": 1.5}, f"exceeded the 1.5 s wall-clock limit (limits.episode_wall_s) {TICK1}"),
    (
        "sleep",
        {"episode_wall_s": 1.5},
        f"exceeded the 1.5 s wall-clock limit (limits.episode_wall_s) {TICK1}",
    ),
    ("memory", {"worker_memory_mb": 300}, f"went over the 300 MB limit (limits.worker_memory_mb) {TICK1}"),
    ("segfault", {}, f"the worker died with SIGSEGV {TICK1}; last Python frame: "),
    ("abort", {}, f"the worker died with SIGABRT {TICK1}; last Python frame: "),
    ("exit", {}, f"the worker exited with status 3 {TICK1}"),
]


def run_local(plan: Path, workers: int = 2) -> Report:
    return run_plan(load_plan(plan), backend=LocalBackend(workers))


@pytest.mark.parametrize(("behaviour", "limits", "reason"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_a_hostile_skill_costs_only_its_own_episodes(
    reach_plan: PlanWriter, behaviour: str, limits: dict[str, Any], reason: str
) -> None:
    report = run_local(reach_plan({"behaviour": behaviour, "rate": 0.5}, limits=limits))
    hostile = [e for e in report.episodes if hostile_episode(e.seed, 0.5)]
    assert 0 < len(hostile) < len(report.episodes), "the seed must give both kinds of episode"
    for episode in report.episodes:
        if episode in hostile:
            assert episode.outcome is Outcome.SKILL_ERROR, episode
            assert episode.ended_by == "tick 1"
            assert reason in episode.reason
            assert episode.timing.ticks == 1
            assert episode.attempts == 1, "the skill's fault is never retried"
            assert episode.conditions, "a killed episode keeps its conditions, to reproduce it"
        else:
            assert episode.outcome is Outcome.SUCCESS, episode
    (summary,) = report.scenarios
    assert summary.attempted == summary.scored == 6, "a skill error is scored against the skill"


def test_a_crash_in_the_skill_names_the_skills_line(reach_plan: PlanWriter) -> None:
    report = run_local(reach_plan({"behaviour": "segfault"}, episodes=1), workers=1)
    (episode,) = report.episodes
    assert "harness/testing/hostile.py:" in episode.reason
    assert episode.reason.endswith(" in _misbehave")


@pytest.mark.parametrize(
    ("phase", "behaviour", "ended_by", "where"),
    [
        ("reset", "exit", "reset", "the worker exited with status 3 before the first tick (in skill reset)"),
        ("close", "abort", "close", "the worker died with SIGABRT at tick "),
        ("close", "hang", "close", "(in skill close); the worker was killed"),
        ("reset", "raise", "reset", "skill reset raised RuntimeError: hostile skill raised on purpose"),
    ],
)
def test_faults_outside_act_name_the_phase(
    reach_plan: PlanWriter, phase: str, behaviour: str, ended_by: str, where: str
) -> None:
    plan = reach_plan({"behaviour": behaviour, "phase": phase}, episodes=2, limits={"episode_wall_s": 1})
    report = run_local(plan)
    for episode in report.episodes:
        assert episode.outcome is Outcome.SKILL_ERROR
        assert episode.ended_by == ended_by
        assert where in episode.reason


def test_a_harness_crash_is_a_harness_error_retried_on_fresh_workers(reach_plan: PlanWriter) -> None:
    report = run_local(reach_plan(kind="harness.testing.hostile:AbortingScenario"))
    crashed = [e for e in report.episodes if e.conditions["target_y"] > 0]
    assert 0 < len(crashed) < len(report.episodes)
    for episode in report.episodes:
        if episode in crashed:
            assert episode.outcome is Outcome.HARNESS_ERROR
            assert episode.attempts == 3
            assert "the worker died with SIGABRT at tick 1 (outside the skill: harness or simulator)" in (
                episode.reason
            )
            assert "hostile.py" in episode.reason and " in status" in episode.reason
        else:
            assert episode.outcome is Outcome.SUCCESS
    assert report.verdict.value == "invalid", "unscored episodes make the run invalid, never smaller"


def test_a_hanging_harness_is_a_harness_error(reach_plan: PlanWriter) -> None:
    plan = reach_plan(
        kind="harness.testing.hostile:HangingScenario", episodes=3, limits={"episode_wall_s": 0.5}
    )
    report = run_local(plan, workers=2)
    hung = [e for e in report.episodes if e.conditions["target_y"] > 0]
    assert hung, "the seed must give a hanging episode"
    for episode in hung:
        assert episode.outcome is Outcome.HARNESS_ERROR
        assert episode.attempts == 3
        assert "exceeded the 0.5 s wall-clock limit" in episode.reason
        assert "(outside the skill: harness or simulator)" in episode.reason


def test_results_do_not_depend_on_the_number_of_workers(reach_plan: PlanWriter) -> None:
    plan = reach_plan({"behaviour": "hang", "rate": 0.3}, episodes=10, limits={"episode_wall_s": 1.0})
    one, two = run_local(plan, workers=1), run_local(plan, workers=3)
    assert [e.deterministic_json() for e in one.episodes] == [e.deterministic_json() for e in two.episodes]
    assert {e.outcome for e in one.episodes} == {Outcome.SUCCESS, Outcome.SKILL_ERROR}
    assert one.scenarios == two.scenarios
    assert one.gates == two.gates


def test_workers_give_the_same_results_as_this_process(reach_plan: PlanWriter) -> None:
    plan = load_plan(reach_plan({"behaviour": "raise", "rate": 0.3}, episodes=12))
    here = run_plan(plan, backend=InProcessBackend())
    there = run_plan(plan, backend=LocalBackend(2))
    assert [e.deterministic_json() for e in here.episodes] == [e.deterministic_json() for e in there.episodes]


def test_a_usage_problem_found_in_a_worker_stops_the_run_as_it_would_here(reach_plan: PlanWriter) -> None:
    plan = load_plan(reach_plan(skill={"name": "harness.testing.hostile:WrongKindSkill"}))
    with pytest.raises(WorkerError) as info:
        run_plan(plan, backend=LocalBackend(2))
    assert info.value.exit_code == 2
    assert "the skill emits 'joint_positions' commands but robot 'point' accepts ee_pose" in str(info.value)


def test_workers_that_cannot_start_stop_the_run_with_their_error(
    reach_plan: PlanWriter, tmp_path: Path
) -> None:
    plan = load_plan(reach_plan())
    with pytest.raises(WorkerError) as info:
        run_plan(plan, backend=LocalBackend(2, log=tmp_path / "missing" / "workers.log"))
    assert "a worker process could not start" in str(info.value)
    assert "No such file or directory" in str(info.value)


def test_worker_output_goes_to_the_log(reach_plan: PlanWriter, tmp_path: Path) -> None:
    log = tmp_path / "workers.log"
    run_plan(load_plan(reach_plan({"behaviour": "segfault"}, episodes=1)), backend=LocalBackend(1, log=log))
    text = log.read_text()
    assert "Fatal Python error: Segmentation fault" in text  # the dump also stays for debugging


def test_limits_default_to_the_scenarios_budget_and_are_checked(reach_plan: PlanWriter) -> None:
    from harness.errors import SpecError

    plan = load_plan(reach_plan())
    (entry,) = plan.scenarios
    assert plan.plan.limits.episode_wall_s_for(entry.spec) == 60 + 4 * 5  # 5 s time budget
    assert plan.plan.limits.worker_memory_mb == 4096
    with pytest.raises(SpecError) as info:
        load_plan(reach_plan(limits={"worker_memory_mb": 10, "episode_wall": 3}))
    problems = "\n".join(info.value.problems)
    assert "field 'limits.worker_memory_mb': Input should be greater than or equal to 128" in problems
    assert "field 'limits.episode_wall': unknown key; did you mean 'episode_wall_s'?" in problems
