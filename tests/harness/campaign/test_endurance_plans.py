"""Endurance runs in a plan: after its episodes, with their own gates, faults, reruns and limits;
and the endurance settings and gates that are spec errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from harness.campaign.run import run_plan
from harness.errors import SpecError
from harness.execution.runner import InProcessBackend
from harness.plan.jobs import rerun_jobs
from harness.plan.resolve import load_plan
from harness.results import EpisodeResult
from harness.testing import reach_spec


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


# running a plan ---------------------------------------------------------------------------------
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


def test_endurance_runs_sit_outside_a_sequential_test(tmp_path: Path) -> None:
    sequential = {"mode": "sequential", "max": 60}
    path = write_plan(tmp_path, episodes=sequential, gates=[{"min": 0.5, "scenario": "testing/reach-v1"}])
    report = run_plan(load_plan(path))
    assert [g.scenario for g in report.gates] == ["testing/reach-v1"]
    assert report.gates[0].note.startswith("decided by")
    assert report.endurance[0].runs == 2 and report.endurance[0].cycles == 40


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


def test_endurance_keeps_its_runs_and_scales_an_explicit_wall_limit(tmp_path: Path) -> None:
    from harness.plan.jobs import with_overrides

    resolved = with_overrides(load_plan(write_plan(tmp_path, limits={"episode_wall_s": 3})), 7, None)
    assert [s.episodes for s in resolved.scenarios] == [7, 2]  # --episodes: not the endurance runs
    ordinary, endurance = resolved.scenarios
    limits = resolved.plan.limits
    assert limits.episode_wall_s_for(ordinary.spec, ordinary.cycles) == 3
    assert limits.episode_wall_s_for(endurance.spec, endurance.cycles) == 60  # 20 cycles of 3 s
    assert endurance.cycle_ticks == ordinary.spec.max_ticks == 50


# spec errors ------------------------------------------------------------------------------------
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
