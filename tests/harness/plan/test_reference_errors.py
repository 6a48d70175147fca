"""Names and paths in a plan that do not resolve: skills, criteria and their thresholds, scenario
specs and gates; and problems from the plan, its specs and its references in one message.

Every case writes real files into ``tmp_path`` and goes through ``load_plan`` (load + resolve).
The texts and checks are in ``helpers.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.harness.plan.helpers import (
    PLAN,
    load_error,
    only_problem,
    plan_error,
    problem_about,
    spec_with_randomize,
    write,
)


# skills -----------------------------------------------------------------------------------------
def test_unknown_skill_suggests_the_closest(tmp_path: Path) -> None:
    problem = only_problem(plan_error(tmp_path, PLAN.replace("pick_place\n", "pick_plac\n", 1)))
    assert problem.startswith("line 1, field 'skill.name': unknown skill 'pick_plac'")
    assert "did you mean 'pick_place'" in problem
    registered = problem.split("Registered: ")[1].split(".")[0].split(", ")
    assert {"pick_place", "pick_place_crashing", "pick_place_dropping"} <= set(registered)
    assert registered == sorted(registered)


@pytest.mark.usefixtures("importable_test_plugins")
def test_skill_for_another_robot(tmp_path: Path) -> None:
    text = PLAN.replace("skill: pick_place", "skill: plugins_for_tests:OtherRobotSkill")
    problem = only_problem(plan_error(tmp_path, text))
    assert problem.startswith("line 3, field 'scenarios[0].spec': ")
    assert "drives robot 'ur5'" in problem
    assert "uses 'franka_panda'" in problem
    assert "pick a skill for that robot" in problem


@pytest.mark.usefixtures("importable_test_plugins")
def test_skill_reference_that_is_not_a_skill(tmp_path: Path) -> None:
    text = PLAN.replace("skill: pick_place", "skill: plugins_for_tests:NOT_A_CLASS")
    problem = only_problem(plan_error(tmp_path, text))
    assert problem.startswith("line 1, field 'skill.name': ")
    assert "expected a subclass of Skill" in problem


def test_skill_reference_to_a_missing_module(tmp_path: Path) -> None:
    text = PLAN.replace("skill: pick_place", "skill: no_such_package.skills:Thing")
    problem = only_problem(plan_error(tmp_path, text))
    assert problem.startswith("line 1, field 'skill.name': cannot import module 'no_such_package.skills'")


def test_unknown_skill_parameter_is_a_spec_error(tmp_path: Path) -> None:
    text = "skill:\n  name: pick_place\n  params: {bogus: 1}\nscenarios: [workstation/pick_place-v1]\n"
    problem = only_problem(plan_error(tmp_path, text))
    assert "skill.params" in problem
    assert "bogus" in problem


# criteria and thresholds ------------------------------------------------------------------------
def test_unknown_criterion_suggests_the_closest(tmp_path: Path) -> None:
    problem = only_problem(plan_error(tmp_path, PLAN + "criteria:\n  task_sucess: {}\n"))
    assert problem.startswith("line 5, field 'criteria.task_sucess': unknown criterion 'task_sucess'")
    assert "did you mean 'task_success'?" in problem


def test_unknown_threshold_lists_the_allowed_ones(tmp_path: Path) -> None:
    problem = only_problem(plan_error(tmp_path, PLAN + "criteria:\n  cycle_time: {max_seconds: 3}\n"))
    assert problem.startswith("line 5, field 'criteria.cycle_time.max_seconds': ")
    assert "unknown threshold for 'cycle_time'" in problem
    assert "allowed: required, max_s, target_s" in problem


def test_bad_threshold_value(tmp_path: Path) -> None:
    problem = only_problem(plan_error(tmp_path, PLAN + "criteria:\n  cycle_time:\n    max_s: -1\n"))
    assert problem.startswith("line 6, field 'criteria.cycle_time.max_s': ")
    assert "greater than 0" in problem
    assert "(got -1)" in problem


def test_inconsistent_thresholds(tmp_path: Path) -> None:
    text = PLAN + "criteria:\n  cycle_time: {max_s: 2, target_s: 5}\n"
    problem = only_problem(plan_error(tmp_path, text))
    assert problem.startswith("line 5, field 'criteria.cycle_time': ")
    assert "target_s (5) must not exceed max_s (2)" in problem


# scenario specs ---------------------------------------------------------------------------------
def test_unknown_builtin_spec_id_suggests_the_known_one(tmp_path: Path) -> None:
    error = plan_error(tmp_path, PLAN.replace("-v1", "-v9"))
    problem = only_problem(error)
    assert "no built-in scenario spec 'workstation/pick_place-v9'" in problem
    assert "did you mean 'workstation/pick_place-v1'?" in problem
    assert "or give the path of a .yaml spec" in problem


def test_unknown_builtin_spec_id_points_at_the_plan_field(tmp_path: Path) -> None:
    problem = only_problem(plan_error(tmp_path, PLAN.replace("-v1", "-v9")))
    assert problem.startswith("line 3, field 'scenarios[0].spec': ")


def test_unknown_scenario_family(tmp_path: Path) -> None:
    problem = only_problem(
        plan_error(tmp_path, PLAN.replace("workstation/pick_place-v1", "warehouse/pick-v1"))
    )
    assert problem.startswith(
        "line 3, field 'scenarios[0].spec': no built-in scenario spec 'warehouse/pick-v1'"
    )
    assert "workstation/pick_place-v1" in problem.split("built in: ")[1]


def test_spec_file_that_does_not_exist(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # relative spec paths are relative to the plan, not the cwd
    problem = only_problem(plan_error(tmp_path, "skill: pick_place\nscenarios:\n  - nothere.yaml\n"))
    assert f"spec file '{tmp_path / 'nothere.yaml'}' does not exist" in problem
    assert "relative paths start at the plan's folder" in problem


def test_spec_file_that_does_not_exist_points_at_the_plan_field(tmp_path: Path) -> None:
    problem = only_problem(plan_error(tmp_path, "skill: pick_place\nscenarios:\n  - nothere.yaml\n"))
    assert "line 3, field 'scenarios[0].spec'" in problem


# gates ------------------------------------------------------------------------------------------
def test_gate_naming_a_scenario_not_in_the_plan(tmp_path: Path) -> None:
    text = PLAN + "gates:\n  - min: 0.5\n    scenario: workstation/pick_place-v2\n"
    problem = only_problem(plan_error(tmp_path, text))
    assert problem.startswith("line 6, field 'gates[0].scenario': ")
    assert (
        "'workstation/pick_place-v2' is not among the plan's scenarios (workstation/pick_place-v1)" in problem
    )
    assert "omit 'scenario'" in problem


# several problems, one message ------------------------------------------------------------------
def test_several_resolution_problems_are_reported_together(tmp_path: Path) -> None:
    text = (
        "skill: pick_plac\n"
        "scenarios:\n"
        "  - workstation/pick_place-v1\n"
        "criteria:\n"
        "  task_sucess: {}\n"
        "  cycle_time: {max_seconds: 3}\n"
        "gates:\n"
        "  - min: 0.5\n"
        "    scenario: workstation/other-v1\n"
    )
    error = plan_error(tmp_path, text)
    assert len(error.problems) == 4, str(error)
    assert "did you mean 'pick_place'" in problem_about(error, "skill.name")
    assert problem_about(error, "criteria.task_sucess").startswith("line 5, ")
    assert problem_about(error, "criteria.cycle_time.max_seconds").startswith("line 6, ")
    assert problem_about(error, "gates[0].scenario").startswith("line 9, ")


def test_problems_in_plan_and_spec_are_reported_together(tmp_path: Path) -> None:
    write(tmp_path, "spec.yaml", spec_with_randomize("object_xx: 0.5", "tray_z: 0.1"))
    text = "skill: pick_place\nscenarios:\n  - spec.yaml\ncriteria:\n  cycle_time: {max_s: -1}\n"
    error = load_error(write(tmp_path, "plan.yaml", text))
    assert len(error.problems) == 3, str(error)
    assert "did you mean 'object_x'?" in problem_about(error, "randomize.object_xx")
    assert "did you mean 'tray_y'?" in problem_about(error, "randomize.tray_z")
    assert problem_about(error, "criteria.cycle_time.max_s").startswith("line 5, ")


def test_schema_and_resolution_problems_are_reported_together(tmp_path: Path) -> None:
    error = plan_error(tmp_path, PLAN.replace("pick_place\n", "pick_plac\n", 1) + "episods: 3\n")
    assert "did you mean 'episodes'?" in problem_about(error, "episods")
    assert "did you mean 'pick_place'" in problem_about(error, "skill.name")
