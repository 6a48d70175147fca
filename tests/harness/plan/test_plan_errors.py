"""Malformed plan files: one SpecError naming the file, field, line and the fix.

Every case writes real files into ``tmp_path`` and goes through ``load_plan`` (load + resolve),
the same path ``roboverify verify`` takes. The texts and checks are in ``helpers.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.plan.models import Plan
from harness.plan.resolve import ResolvedPlan, load_plan
from tests.harness.plan.helpers import (
    PLAN,
    PLAN_USING_SPEC,
    SPEC,
    load_error,
    only_problem,
    plan_error,
    problem_about,
    write,
)


# the fixtures themselves are valid --------------------------------------------------------------
def test_the_base_plan_and_spec_used_below_are_valid(tmp_path: Path) -> None:
    plain = load_plan(write(tmp_path, "plain.yaml", PLAN))
    write(tmp_path, "spec.yaml", SPEC)
    custom = load_plan(write(tmp_path, "plan.yaml", PLAN_USING_SPEC))
    assert isinstance(plain, ResolvedPlan)
    assert [s.spec.id for s in plain.scenarios] == ["workstation/pick_place-v1"]
    assert [s.spec.id for s in custom.scenarios] == ["workstation/custom-v1"]
    assert custom.scenarios[0].source == str(tmp_path / "spec.yaml")


# reading the file -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("skill: pick_place\nscenarios:\n\t- workstation/pick_place-v1\n", 3),
        ("skill: pick_place\nscenarios:\n  - workstation/pick_place-v1\n episodes: 3\n", 4),
    ],
    ids=["tab", "indentation"],
)
def test_yaml_syntax_error_reports_its_line(tmp_path: Path, text: str, line: int) -> None:
    problem = only_problem(plan_error(tmp_path, text))
    assert problem.startswith(f"line {line}, column ")
    assert "YAML syntax error" in problem
    assert "fix the indentation, quoting or brackets" in problem


@pytest.mark.parametrize(
    "text",
    ["- workstation/pick_place-v1\n- pick_place\n", "42\n", "just some words\n"],
    ids=["list", "number", "string"],
)
def test_top_level_must_be_a_mapping(tmp_path: Path, text: str) -> None:
    problem = only_problem(plan_error(tmp_path, text))
    assert "expected a mapping" in problem
    assert "Plan" in problem
    assert "top level" in problem


def test_empty_file_says_it_is_empty(tmp_path: Path) -> None:
    problem = only_problem(plan_error(tmp_path, ""))
    assert problem == "the file is empty; expected a mapping of Plan fields"


def test_missing_plan_file_names_the_path(tmp_path: Path) -> None:
    missing = tmp_path / "no_such_plan.yaml"
    problem = only_problem(load_error(missing))
    assert "cannot read the file" in problem
    assert "No such file" in problem


def test_file_that_is_not_utf8_is_a_spec_error(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_bytes(b"skill: pick_place\nname: caf\xe9\nscenarios: [workstation/pick_place-v1]\n")
    problem = only_problem(load_error(path))
    assert "UTF-8" in problem or "utf-8" in problem


# unknown keys -----------------------------------------------------------------------------------
def test_unknown_top_level_key_suggests_the_right_one(tmp_path: Path) -> None:
    problem = only_problem(plan_error(tmp_path, PLAN + "episods: 3\n"))
    assert problem.startswith("line 4, field 'episods': unknown key")
    assert "did you mean 'episodes'?" in problem
    allowed = problem.split("Allowed keys here: ")[1].split(", ")
    assert allowed == sorted(Plan.model_fields)


def test_unknown_nested_key_gives_the_full_path_and_line(tmp_path: Path) -> None:
    text = "skill: pick_place\nscenarios:\n  - spec: workstation/pick_place-v1\n    episods: 3\n"
    problem = only_problem(plan_error(tmp_path, text))
    assert problem.startswith("line 4, field 'scenarios[0].episods': unknown key")
    assert "did you mean 'episodes'?" in problem
    assert "Allowed keys here: baseline_skill, cost_model, endurance, episodes, skill, spec" in problem


def test_unknown_key_in_the_skill_block(tmp_path: Path) -> None:
    text = "skill:\n  name: pick_place\n  parms: {}\nscenarios: [workstation/pick_place-v1]\n"
    problem = only_problem(plan_error(tmp_path, text))
    assert problem.startswith("line 3, field 'skill.parms': unknown key")
    assert "did you mean 'params'?" in problem


def test_unknown_key_without_a_close_match_says_remove_it(tmp_path: Path) -> None:
    problem = only_problem(plan_error(tmp_path, PLAN + "colour: blue\n"))
    assert problem.startswith("line 4, field 'colour': unknown key")
    assert "remove it" in problem
    assert "did you mean" not in problem


def test_unknown_key_with_a_block_value_points_at_the_key(tmp_path: Path) -> None:
    text = "skil:\n  name: pick_place\nscenarios: [workstation/pick_place-v1]\n"
    error = plan_error(tmp_path, text)
    assert "did you mean 'skill'?" in problem_about(error, "skil")
    assert problem_about(error, "skil").startswith("line 1, ")


# wrong types and missing fields -----------------------------------------------------------------
def test_wrong_type_names_field_line_and_received_value(tmp_path: Path) -> None:
    problem = only_problem(plan_error(tmp_path, PLAN + "episodes: lots\n"))
    assert problem.startswith("line 4, field 'episodes': ")
    assert "valid integer" in problem
    assert "(got 'lots')" in problem


def test_scenarios_must_be_a_list(tmp_path: Path) -> None:
    problem = only_problem(plan_error(tmp_path, "skill: pick_place\nscenarios: workstation/x-v1\n"))
    assert problem.startswith("line 2, field 'scenarios': ")
    assert "valid list" in problem


def test_missing_required_skill(tmp_path: Path) -> None:
    problem = only_problem(plan_error(tmp_path, "scenarios:\n  - workstation/pick_place-v1\n"))
    assert "field 'skill': required field is missing; add it" in problem


# impossible values ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("extra", "field", "line", "expected"),
    [
        ("episodes: 0\n", "episodes", 4, "greater than 0"),
        ("seed: -1\n", "seed", 4, "greater than or equal to 0"),
        ("gates:\n  - min: 1.5\n", "gates[0].min", 5, "less than 1"),
        ("gates:\n  - min: 0.5\n    confidence: 0.5\n", "gates[0].confidence", 6, "greater than 0.5"),
        ("gates:\n  - min: 0.5\n    metric: cycle_time\n", "gates[0].metric", 6, "'success_rate'"),
    ],
    ids=["episodes-0", "seed-negative", "gate-min-1.5", "confidence-0.5", "gate-metric"],
)
def test_impossible_plan_values(tmp_path: Path, extra: str, field: str, line: int, expected: str) -> None:
    problem = only_problem(plan_error(tmp_path, PLAN + extra))
    assert problem.startswith(f"line {line}, field '{field}': ")
    assert expected in problem


def test_zero_episodes_for_one_scenario(tmp_path: Path) -> None:
    text = "skill: pick_place\nscenarios:\n  - spec: workstation/pick_place-v1\n    episodes: 0\n"
    problem = only_problem(plan_error(tmp_path, text))
    assert problem.startswith("line 4, field 'scenarios[0].episodes': ")
    assert "greater than 0" in problem
    assert "(got 0)" in problem


# several problems, one message ------------------------------------------------------------------
def test_several_schema_problems_are_reported_together(tmp_path: Path) -> None:
    text = (
        "skill: pick_place\n"
        "scenarios:\n"
        "  - spec: workstation/pick_place-v1\n"
        "    episodes: 0\n"
        "episods: 3\n"
        "gates:\n"
        "  - min: 1.5\n"
    )
    error = plan_error(tmp_path, text)
    assert len(error.problems) == 3, str(error)
    assert str(error).startswith(f"{tmp_path / 'plan.yaml'}: 3 problems\n")
    assert problem_about(error, "scenarios[0].episodes").startswith("line 4, ")
    assert problem_about(error, "episods").startswith("line 5, ")
    assert problem_about(error, "gates[0].min").startswith("line 7, ")


def test_an_unknown_key_named_like_a_union_member_is_still_named(tmp_path: Path) -> None:
    problem = only_problem(plan_error(tmp_path, PLAN + "count: 3\n"))
    assert problem.startswith("line 4, field 'count': unknown key;")


def test_the_skill_base_class_is_not_a_skill_to_run(tmp_path: Path) -> None:
    problem = only_problem(plan_error(tmp_path, PLAN.replace("pick_place", "harness.skill:Skill", 1)))
    assert problem.startswith(
        "line 1, field 'skill.name': 'harness.skill:Skill' declares no robot or command_kind"
    )
