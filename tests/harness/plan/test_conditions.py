"""Conditions files: sampled once, replayed exactly, rejected clearly when they do not fit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from harness.campaign.run import run_plan
from harness.errors import SpecError
from harness.plan.conditions import read_conditions, sample_conditions, write_conditions
from harness.plan.resolve import ResolvedPlan, load_plan

SPEC = {
    "id": "testing/reach-v1",
    "kind": "harness.testing:ReachScenario",
    "sim": "harness.testing:PointWorld",
    "robot": "point",
    "control_rate_hz": 10,
    "physics_rate_hz": 100,
    "time_budget_s": 5,
}


def reach_plan(tmp_path: Path, episodes: int = 5, seed: int = 3) -> ResolvedPlan:
    (tmp_path / "reach.yaml").write_text(yaml.safe_dump(SPEC), encoding="utf-8")
    plan = {
        "skill": "harness.testing:ScriptedSkill",
        "scenarios": ["reach.yaml"],
        "episodes": episodes,
        "seed": seed,
        "gates": [{"min": 0.5}],
    }
    (tmp_path / "plan.yaml").write_text(yaml.safe_dump(plan), encoding="utf-8")
    return load_plan(tmp_path / "plan.yaml")


def test_sampled_conditions_are_what_the_episodes_run_under(tmp_path: Path) -> None:
    plan = reach_plan(tmp_path)
    records = sample_conditions(plan)
    report = run_plan(plan)
    assert [r.conditions for r in records] == [e.conditions for e in report.episodes]
    assert [r.seed for r in records] == [e.seed for e in report.episodes]


def test_replaying_a_conditions_file_gives_identical_episodes(tmp_path: Path) -> None:
    plan = reach_plan(tmp_path)
    path = tmp_path / "conditions.jsonl"
    write_conditions(path, sample_conditions(plan))
    replayed = run_plan(plan, given=read_conditions(path, plan))
    direct = run_plan(plan)
    assert [e.deterministic_json() for e in replayed.episodes] == [
        e.deterministic_json() for e in direct.episodes
    ]


def test_the_file_decides_the_episode_count_and_seeds(tmp_path: Path) -> None:
    plan = reach_plan(tmp_path, episodes=5)
    path = tmp_path / "conditions.jsonl"
    write_conditions(path, sample_conditions(reach_plan(tmp_path, episodes=3, seed=99)))
    report = run_plan(plan, given=read_conditions(path, plan))
    assert report.scenarios[0].attempted == report.scenarios[0].planned == 3
    assert {e.seed for e in report.episodes} == {
        r.seed for r in sample_conditions(reach_plan(tmp_path, 3, 99))
    }


def problems_for(tmp_path: Path, lines: list[str]) -> list[str]:
    plan = reach_plan(tmp_path)
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        read_conditions(path, plan)
    assert caught.value.file == str(path)
    return caught.value.problems


def good_line(**changes: object) -> str:
    record = {
        "scenario": "testing/reach-v1",
        "index": 0,
        "seed": 1,
        "conditions": {"target_x": 0.3, "target_y": 0.1},
    }
    record.update(changes)
    return json.dumps(record)


def test_other_scenario_is_rejected(tmp_path: Path) -> None:
    problems = problems_for(tmp_path, [good_line(), good_line(scenario="warehouse/x-v1", index=1)])
    assert any("'warehouse/x-v1', which the plan does not run" in p for p in problems)


def test_missing_scenario_is_rejected(tmp_path: Path) -> None:
    assert problems_for(tmp_path, []) == ["no conditions for the plan's scenario 'testing/reach-v1'"]


def test_wrong_parameters_are_named(tmp_path: Path) -> None:
    (problem,) = problems_for(tmp_path, [good_line(conditions={"target_x": 0.3, "tgt_y": 0.1})])
    assert "missing: target_y; unknown: tgt_y" in problem


def test_not_json_and_bad_fields_give_line_numbers(tmp_path: Path) -> None:
    problems = problems_for(tmp_path, [good_line(), "{not json", good_line(index=-1)])
    assert problems[0].startswith("line 2: not JSON")
    assert problems[1].startswith("line 3, field 'index'")


def test_duplicate_index_is_rejected(tmp_path: Path) -> None:
    problems = problems_for(tmp_path, [good_line(), good_line()])
    assert any("appears twice" in p for p in problems)
