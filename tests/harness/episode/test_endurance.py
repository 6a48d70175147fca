"""Endurance runs on the point-robot doubles: cycles without reset, interventions, statistics."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from criteria.task_success import TaskSuccess
from harness.campaign.run import run_plan
from harness.episode.endurance import run_endurance
from harness.episode.engine import BuiltScenario
from harness.errors import SpecError
from harness.execution.runner import InProcessBackend
from harness.plan.gates import InterventionsGate
from harness.plan.jobs import rerun_jobs
from harness.plan.resolve import load_plan
from harness.results import CycleRecord, EpisodeResult, Outcome, Timing
from harness.testing import ObservingSkill, PointWorld, ReachScenario, ScriptedSkill, reach_spec
from harness.verdicts.endurance import summarise_endurance
from harness.verdicts.gates import evaluate_gates
from harness.verdicts.statistics import GateVerdict


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


# summaries and gates ------------------------------------------------------------------------------
def run_of(index: int, times: list[float | None]) -> EpisodeResult:
    """A synthetic run: a time per cycle, None for an intervention (a timeout)."""
    cycles = [
        CycleRecord(cycle=i, outcome=Outcome.SUCCESS if t is not None else Outcome.TIMEOUT,
                    ticks=int((t or 15.0) * 10), sim_s=t or 15.0, ended_by="")
        for i, t in enumerate(times)
    ]  # fmt: skip
    failed = any(t is None for t in times)
    return EpisodeResult(
        scenario="s/x-v1@endurance", index=index, seed=index,
        outcome=Outcome.FAILURE if failed else Outcome.SUCCESS, ended_by="", conditions={}, criteria=[],
        cycles=cycles, timing=Timing(sim_s=0.0, ticks=0, physics_steps=0, wall_s=0.0),
    )  # fmt: skip


def test_the_summary_counts_interventions_per_1000_cycles_and_finds_a_slowdown() -> None:
    slowing = [4.0 + 0.02 * i for i in range(100)]
    runs = [run_of(0, slowing), run_of(1, [*slowing[:50], None, *slowing[51:]])]
    summary = summarise_endurance("s/x-v1@endurance", runs)
    assert (summary.runs, summary.cycles, summary.interventions) == (2, 200, 1)
    assert summary.interventions_per_1000_cycles == pytest.approx(5.0)
    assert summary.interventions_per_1000_low < 5.0 < summary.interventions_per_1000_high
    assert summary.mean_cycles_between_interventions == pytest.approx(200.0)
    assert summary.longest_run_without_intervention == 100  # within one run: run 0, all 100 cycles
    assert summary.cycle_time_first_tenth_s == pytest.approx(4.09)
    assert summary.cycle_time_last_tenth_s == pytest.approx(5.89)
    trend = summary.cycle_time_trend
    assert trend is not None and trend.slope_s_per_100_cycles == pytest.approx(2.0)
    steady = summarise_endurance("s/x-v1@endurance", [run_of(0, [4.0, 4.2, 3.8, 4.1, 3.9] * 20)])
    assert steady.cycle_time_trend is not None
    assert steady.cycle_time_trend.low < 0 < steady.cycle_time_trend.high


def test_the_interventions_gate_passes_a_steady_skill_and_fails_a_fragile_one() -> None:
    gate = InterventionsGate(metric="interventions_per_1000_cycles", max=20)
    steady = [run_of(0, [4.0] * 400)]
    fragile = [run_of(0, [None if i % 10 == 0 else 4.0 for i in range(400)])]
    scenarios = ["s/x-v1", "s/x-v1@endurance"]
    (passed,) = evaluate_gates([gate], scenarios, steady, "wilson")
    assert passed.verdict is GateVerdict.PASS and passed.scenario == "s/x-v1@endurance"
    (failed,) = evaluate_gates([gate], scenarios, fragile, "wilson")
    assert failed.verdict is GateVerdict.FAIL and "40 intervention(s) in 400 cycles" in failed.note
    assert (
        evaluate_gates([gate], scenarios, [run_of(0, [4.0] * 20)], "wilson")[0].verdict
        is GateVerdict.INCONCLUSIVE
    )


# plans --------------------------------------------------------------------------------------------
def write_plan(tmp_path: Path, kind: str = "harness.testing:ReachScenario", **fields: Any) -> Path:
    spec = reach_spec(kind=kind).model_dump(mode="json", exclude_defaults=True)
    (tmp_path / "reach.yaml").write_text(yaml.safe_dump({**spec, "kind": kind}), encoding="utf-8")
    plan = {
        "skill": "harness.testing:ScriptedSkill",
        "scenarios": [{"spec": "reach.yaml", "endurance": {"cycles": 20, "runs": 2}}],
        "episodes": 3,
        "criteria": {"task_success": {}},
        "gates": [{"min": 0.5}, {"metric": "interventions_per_1000_cycles", "max": 400}],
        **fields,
    }
    (tmp_path / "plan.yaml").write_text(yaml.safe_dump(plan), encoding="utf-8")
    return tmp_path / "plan.yaml"


def test_a_plan_runs_episodes_then_endurance_runs_with_their_own_gates(tmp_path: Path) -> None:
    report = run_plan(load_plan(write_plan(tmp_path)))
    assert [s.scenario for s in report.scenarios] == ["testing/reach-v1", "testing/reach-v1@endurance"]
    assert [(g.scenario, g.metric) for g in report.gates] == [
        ("testing/reach-v1", "success_rate"),
        ("testing/reach-v1@endurance", "interventions_per_1000_cycles"),
    ]
    (endurance,) = report.endurance
    assert (endurance.runs, endurance.cycles, endurance.interventions) == (2, 40, 0)
    assert all(not e.cycles for e in report.episodes if e.scenario == "testing/reach-v1")


@pytest.mark.usefixtures("importable_test_plugins")
def test_endurance_on_a_scenario_without_next_cycles_is_a_spec_error(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as info:
        load_plan(write_plan(tmp_path, kind="plugins_for_tests:ReachWithoutCycles"))
    (problem,) = info.value.problems
    assert "field 'scenarios[0].endurance'" in problem and "has no endurance mode" in problem


@pytest.mark.parametrize(
    ("endurance", "message"), [({"cycles": 0}, "greater than 0"), ({"cycle": 5}, "did you mean 'cycles'")]
)
def test_malformed_endurance_settings_are_named(
    tmp_path: Path, endurance: dict[str, Any], message: str
) -> None:
    path = write_plan(tmp_path)
    plan = yaml.safe_load(path.read_text(encoding="utf-8"))
    plan["scenarios"][0]["endurance"] = endurance
    path.write_text(yaml.safe_dump(plan), encoding="utf-8")
    with pytest.raises(SpecError, match=message):
        load_plan(path)


def test_endurance_runs_sit_outside_a_sequential_test(tmp_path: Path) -> None:
    sequential = {"mode": "sequential", "max": 60}
    path = write_plan(tmp_path, episodes=sequential, gates=[{"min": 0.5, "scenario": "testing/reach-v1"}])
    report = run_plan(load_plan(path))
    assert [g.scenario for g in report.gates] == ["testing/reach-v1"]
    assert report.gates[0].note.startswith("decided by")
    assert report.endurance[0].runs == 2 and report.endurance[0].cycles == 40


# properties -----------------------------------------------------------------------------------------
@settings(max_examples=60, deadline=None)
@given(st.lists(st.booleans(), min_size=1, max_size=120), st.data())
def test_one_more_intervention_never_makes_the_summary_or_the_gate_look_better(
    succeeded: list[bool], data: st.DataObject
) -> None:
    if all(not s for s in succeeded):
        return
    flip = data.draw(st.sampled_from([i for i, s in enumerate(succeeded) if s]))
    worse = [s and i != flip for i, s in enumerate(succeeded)]

    def run(outcomes: list[bool]) -> EpisodeResult:
        return run_of(0, [4.0 if ok else None for ok in outcomes])

    before = summarise_endurance("s/x-v1@endurance", [run(succeeded)])
    after = summarise_endurance("s/x-v1@endurance", [run(worse)])
    assert after.interventions == before.interventions + 1
    assert after.interventions_per_1000_high >= before.interventions_per_1000_high
    assert after.longest_run_without_intervention <= before.longest_run_without_intervention
    gate = InterventionsGate(metric="interventions_per_1000_cycles", max=100)
    order = [GateVerdict.PASS, GateVerdict.INCONCLUSIVE, GateVerdict.FAIL]
    verdicts = [
        evaluate_gates([gate], ["s/x-v1@endurance"], [run(o)], "wilson")[0].verdict
        for o in (succeeded, worse)
    ]
    assert order.index(verdicts[1]) >= order.index(verdicts[0])


# what a review found --------------------------------------------------------------------------------
def test_a_run_cut_short_fails_the_interventions_gate() -> None:
    killed = run_of(1, [4.0] * 3).model_copy(
        update={"outcome": Outcome.SKILL_ERROR, "reason": "exceeded the 60 s wall-clock limit"}
    )
    gate = InterventionsGate(metric="interventions_per_1000_cycles", max=100)
    (result,) = evaluate_gates([gate], ["s/x-v1@endurance"], [run_of(0, [4.0] * 400), killed], "wilson")
    assert result.verdict is GateVerdict.FAIL and "1 run(s) cut short" in result.note


def test_given_first_cycle_conditions_repeat_the_run_exactly() -> None:
    spec = reach_spec()

    def once(conditions: Any) -> EpisodeResult:
        built = BuiltScenario.build(ReachScenario(spec), PointWorld(spec.physics_rate_hz), "ee_pose")
        return run_endurance(built, ScriptedSkill, lambda: [TaskSuccess()], 0, 9, 5, 50, conditions)

    free = once(None)
    assert once(dict(free.conditions)).deterministic_json() == free.deterministic_json()


def test_endurance_keeps_its_runs_and_scales_an_explicit_wall_limit(tmp_path: Path) -> None:
    from harness.plan.jobs import with_overrides

    resolved = with_overrides(load_plan(write_plan(tmp_path, limits={"episode_wall_s": 3})), 7, None)
    assert [s.episodes for s in resolved.scenarios] == [7, 2]  # --episodes: not the endurance runs
    ordinary, endurance = resolved.scenarios
    limits = resolved.plan.limits
    assert limits.episode_wall_s_for(ordinary.spec, ordinary.cycles) == 3
    assert limits.episode_wall_s_for(endurance.spec, endurance.cycles) == 60  # 20 cycles of 3 s
    assert endurance.cycle_ticks == ordinary.spec.max_ticks == 50


@pytest.mark.parametrize(
    ("gates", "field", "message"),
    [
        ([{"min": 0.5, "scenario": "testing/reach-v1@endurance"}], "gates[0].scenario",
         "takes only the interventions"),
        ([{"metric": "interventions_per_1000_cycles", "max": 10, "scenario": "other/x-v1"}],
         "gates[0].metric", "no endurance runs to gate"),
    ],
)  # fmt: skip
def test_gates_that_would_cover_nothing_are_spec_errors(
    tmp_path: Path, gates: list[dict[str, Any]], field: str, message: str
) -> None:
    with pytest.raises(SpecError) as info:
        load_plan(write_plan(tmp_path, gates=gates))
    (problem,) = info.value.problems
    assert f"field '{field}'" in problem and message in problem


def test_an_interventions_gate_needs_endurance_runs(tmp_path: Path) -> None:
    path = write_plan(tmp_path)
    plan = yaml.safe_load(path.read_text(encoding="utf-8"))
    del plan["scenarios"][0]["endurance"]
    path.write_text(yaml.safe_dump(plan), encoding="utf-8")
    with pytest.raises(SpecError, match="no endurance runs to gate"):
        load_plan(path)


def test_faults_hit_endurance_cycles_and_recovery_is_counted_per_cycle(tmp_path: Path) -> None:
    spec = reach_spec().model_dump(mode="json", exclude_defaults=True)
    fault = {"kind": "sensor_dropout", "keys": ["target_position"], "at_s": 0.2, "duration_s": 30}
    (tmp_path / "reach.yaml").write_text(yaml.safe_dump({**spec, "faults": [fault]}), encoding="utf-8")
    plan = {
        "skill": "harness.testing:ScriptedSkill",
        "scenarios": [{"spec": "reach.yaml", "episodes": 2, "endurance": {"cycles": 6}}],
        "gates": [{"metric": "recovery_rate", "fault": "sensor_dropout", "min": 0.5}],
    }
    (tmp_path / "plan.yaml").write_text(yaml.safe_dump(plan), encoding="utf-8")
    report = run_plan(load_plan(tmp_path / "plan.yaml"))
    (run,) = [e for e in report.episodes if e.cycles]
    assert {f.cycle for f in run.faults} <= set(range(6)) and run.faults
    rows = {s.scenario: s.recovery[0] for s in report.scenarios}
    assert rows["testing/reach-v1@endurance"].injected == len(run.faults)
    assert rows["testing/reach-v1@endurance"].injected + rows["testing/reach-v1@endurance"].not_fired == 6


def test_reruns_of_endurance_runs_repeat_exactly(tmp_path: Path) -> None:
    report = run_plan(load_plan(write_plan(tmp_path, reliability={"rerun_episodes": 1})))
    (run,) = [e for e in report.episodes if e.cycles and e.index == 0]
    again: list[EpisodeResult] = []
    InProcessBackend().run(load_plan(write_plan(tmp_path)), rerun_jobs([run], 1), again.append)
    assert again[0].deterministic_json() == run.deterministic_json()
