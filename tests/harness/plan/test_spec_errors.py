"""Malformed plans and scenario specs: one SpecError naming the file, field, line and the fix.

Every case writes real files into ``tmp_path`` and goes through ``load_plan`` (load + resolve),
the same path ``roboverify verify`` takes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.errors import SpecError
from harness.plan.models import Plan
from harness.plan.resolve import ResolvedPlan, load_plan

PLAN = """\
skill: pick_place
scenarios:
  - workstation/pick_place-v1
"""

# A valid custom spec; line numbers below refer to it (randomize entries start on line 9).
SPEC = """\
id: workstation/custom-v1
kind: workstation/pick_place
sim: pybullet
robot: franka_panda
control_rate_hz: 30
physics_rate_hz: 240
time_budget_s: 15
randomize:
  object_x: uniform(0.4, 0.6)
"""

PLAN_USING_SPEC = """\
skill: pick_place
scenarios:
  - spec: spec.yaml
"""


# helpers ----------------------------------------------------------------------------------------
def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def load_error(path: Path) -> SpecError:
    """Load ``path`` as a plan and return the SpecError it must raise."""
    with pytest.raises(SpecError) as info:
        load_plan(path)
    error = info.value
    assert error.file == str(path), "the plan file must head the message"
    assert str(error).startswith(f"{path}: "), str(error)
    assert error.problems, "a SpecError without problems explains nothing"
    for problem in error.problems:
        assert problem in str(error), "every problem must be in the one message"
    return error


def plan_error(tmp_path: Path, text: str) -> SpecError:
    return load_error(write(tmp_path, "plan.yaml", text))


def spec_error(tmp_path: Path, spec_text: str, plan_text: str = PLAN_USING_SPEC) -> SpecError:
    write(tmp_path, "spec.yaml", spec_text)
    return load_error(write(tmp_path, "plan.yaml", plan_text))


def only_problem(error: SpecError) -> str:
    assert len(error.problems) == 1, str(error)
    assert str(error).startswith(f"{error.file}: 1 problem\n"), str(error)
    return error.problems[0]


def problem_about(error: SpecError, field: str) -> str:
    """The single problem that names ``field`` (quoted, as the messages do)."""
    matches = [p for p in error.problems if f"'{field}'" in p]
    assert len(matches) == 1, f"expected one problem about '{field}' in:\n{error}"
    return matches[0]


def spec_with_randomize(*entries: str) -> str:
    return SPEC.replace("  object_x: uniform(0.4, 0.6)\n", "".join(f"  {e}\n" for e in entries))


# the fixtures themselves are valid ------------------------------------------------------------
def test_the_base_plan_and_spec_used_below_are_valid(tmp_path: Path) -> None:
    plain = load_plan(write(tmp_path, "plain.yaml", PLAN))
    write(tmp_path, "spec.yaml", SPEC)
    custom = load_plan(write(tmp_path, "plan.yaml", PLAN_USING_SPEC))
    assert isinstance(plain, ResolvedPlan)
    assert [s.spec.id for s in plain.scenarios] == ["workstation/pick_place-v1"]
    assert [s.spec.id for s in custom.scenarios] == ["workstation/custom-v1"]
    assert custom.scenarios[0].source == str(tmp_path / "spec.yaml")


# reading the file ------------------------------------------------------------------------------
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


# unknown keys ----------------------------------------------------------------------------------
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
    assert "Allowed keys here: baseline_skill, endurance, episodes, skill, spec" in problem


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


def test_unknown_key_in_a_scenario_spec(tmp_path: Path) -> None:
    error = spec_error(tmp_path, SPEC + "objects:\n  count: 1\n  shap: box\n")
    problem = only_problem(error)
    assert problem.startswith(f"{tmp_path / 'spec.yaml'}: line 12, field 'objects.shap': unknown key")
    assert "did you mean 'shape'?" in problem


# wrong types and missing fields ------------------------------------------------------------------
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


def test_missing_required_field_in_a_spec(tmp_path: Path) -> None:
    problem = only_problem(spec_error(tmp_path, SPEC.replace("robot: franka_panda\n", "")))
    assert problem.startswith(str(tmp_path / "spec.yaml") + ": ")
    assert "field 'robot': required field is missing; add it" in problem


# impossible values -------------------------------------------------------------------------------
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


@pytest.mark.parametrize(
    ("old", "new", "field", "line", "expected"),
    [
        ("time_budget_s: 15", "time_budget_s: -2", "time_budget_s", 7, "greater than 0"),
        ("control_rate_hz: 30", "control_rate_hz: 0", "control_rate_hz", 5, "greater than 0"),
        ("id: workstation/custom-v1", "id: Custom", "id", 1, "should match pattern"),
    ],
    ids=["negative-time-budget", "zero-control-rate", "bad-id"],
)
def test_impossible_spec_values(
    tmp_path: Path, old: str, new: str, field: str, line: int, expected: str
) -> None:
    problem = only_problem(spec_error(tmp_path, SPEC.replace(old, new)))
    assert problem.startswith(f"{tmp_path / 'spec.yaml'}: line {line}, field '{field}': ")
    assert expected in problem


def test_physics_rate_must_be_a_whole_multiple_of_control_rate(tmp_path: Path) -> None:
    problem = only_problem(spec_error(tmp_path, SPEC.replace("physics_rate_hz: 240", "physics_rate_hz: 100")))
    assert problem.startswith(str(tmp_path / "spec.yaml") + ": ")
    assert "must be a whole multiple of control_rate_hz (30), got 100" in problem
    assert "e.g. 240 with a control rate of 30" in problem


def test_physics_rate_problem_points_at_the_physics_rate_line(tmp_path: Path) -> None:
    problem = only_problem(spec_error(tmp_path, SPEC.replace("physics_rate_hz: 240", "physics_rate_hz: 100")))
    assert "line 6, field 'physics_rate_hz'" in problem
    assert "'kind'" not in problem  # not the whole file echoed back


@pytest.mark.parametrize(
    ("entry", "field", "expected"),
    [
        ("object_x: uniform(2, 1)", "randomize.object_x", "needs low <= high"),
        ("object_x: {uniform: [2, 1]}", "randomize.object_x", "needs low <= high"),
        ("object_x: normal(0.5, -0.1)", "randomize.object_x.std", "greater than or equal to 0"),
        ("object_x: {normal: [0.5, -0.1]}", "randomize.object_x.std", "greater than or equal to 0"),
        ("object_x: uniform(1)", "randomize.object_x", "uniform takes 2 argument(s) (low, high)"),
        ("object_x: choice([])", "randomize.object_x.options", "at least 1 item"),
        (
            "object_x: unif(1,2)",
            "randomize.object_x",
            "expected a number, 'uniform(low, high)', 'normal(mean, std)' or 'choice([a, b, ...])'",
        ),
        ("object_x: uniform(a, b)", "randomize.object_x", "cannot read the arguments of 'uniform(a, b)'"),
    ],
    ids=[
        "uniform-reversed",
        "uniform-map-reversed",
        "normal-negative-std",
        "normal-map-negative-std",
        "uniform-one-argument",
        "choice-empty",
        "garbage-name",
        "garbage-arguments",
    ],
)
def test_bad_distributions(tmp_path: Path, entry: str, field: str, expected: str) -> None:
    problem = only_problem(spec_error(tmp_path, spec_with_randomize(entry)))
    assert problem.startswith(f"{tmp_path / 'spec.yaml'}: line 9, field '{field}': ")
    assert expected in problem


def test_garbage_distribution_mapping_says_what_is_expected(tmp_path: Path) -> None:
    problem = only_problem(spec_error(tmp_path, spec_with_randomize("object_x: {unif: [1, 2]}")))
    assert "line 9, field 'randomize.object_x'" in problem
    assert "uniform(low, high)" in problem
    assert "discriminator" not in problem


# names that do not resolve -------------------------------------------------------------------------
def test_unknown_skill_suggests_the_closest(tmp_path: Path) -> None:
    problem = only_problem(plan_error(tmp_path, PLAN.replace("pick_place\n", "pick_plac\n", 1)))
    assert problem.startswith("line 1, field 'skill.name': unknown skill 'pick_plac'")
    assert "did you mean 'pick_place'" in problem
    registered = problem.split("Registered: ")[1].split(".")[0].split(", ")
    assert {"pick_place", "pick_place_crashing", "pick_place_dropping"} <= set(registered)
    assert registered == sorted(registered)


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


def test_spec_file_with_a_syntax_error(tmp_path: Path) -> None:
    problem = only_problem(spec_error(tmp_path, SPEC + "randomize:\n\tobject_y: 0.1\n"))
    assert problem.startswith(f"{tmp_path / 'spec.yaml'}: line 11, column 1: YAML syntax error")


def test_spec_file_that_is_not_a_mapping(tmp_path: Path) -> None:
    problem = only_problem(spec_error(tmp_path, "- workstation/custom-v1\n"))
    assert problem.startswith(f"{tmp_path / 'spec.yaml'}: ")
    assert "expected a mapping of ScenarioSpec fields" in problem


def test_randomize_names_a_parameter_the_scenario_lacks(tmp_path: Path) -> None:
    problem = only_problem(spec_error(tmp_path, spec_with_randomize("object_xx: uniform(0.4, 0.5)")))
    assert problem.startswith(f"{tmp_path / 'spec.yaml'}: line 9, field 'randomize.object_xx': ")
    assert "'workstation/pick_place' has no parameter 'object_xx'" in problem
    assert "did you mean 'object_x'?" in problem
    assert "known: object_x, object_y" in problem


def test_observation_noise_names_a_key_the_scenario_lacks(tmp_path: Path) -> None:
    problem = only_problem(spec_error(tmp_path, SPEC + "observation_noise:\n  object_position: 0.01\n"))
    assert problem.startswith(
        f"{tmp_path / 'spec.yaml'}: line 11, field 'observation_noise.object_position': "
    )
    assert "did you mean 'object_positions'?" in problem


def test_unknown_sim_in_a_spec(tmp_path: Path) -> None:
    problem = only_problem(spec_error(tmp_path, SPEC.replace("sim: pybullet", "sim: pybulet")))
    assert "unknown sim 'pybulet'" in problem
    assert "did you mean 'pybullet'?" in problem


def test_unknown_scenario_kind_names_the_spec_file_and_field(tmp_path: Path) -> None:
    error = spec_error(tmp_path, SPEC.replace("kind: workstation/pick_place", "kind: workstation/pick_plac"))
    problem = only_problem(error)
    assert "did you mean 'workstation/pick_place'" in problem  # the closest comes first
    assert str(tmp_path / "spec.yaml") in problem
    assert "line 2, field 'kind'" in problem


def test_gate_naming_a_scenario_not_in_the_plan(tmp_path: Path) -> None:
    text = PLAN + "gates:\n  - min: 0.5\n    scenario: workstation/pick_place-v2\n"
    problem = only_problem(plan_error(tmp_path, text))
    assert problem.startswith("line 6, field 'gates[0].scenario': ")
    assert (
        "'workstation/pick_place-v2' is not among the plan's scenarios (workstation/pick_place-v1)" in problem
    )
    assert "omit 'scenario'" in problem


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


def test_several_spec_problems_are_reported_together(tmp_path: Path) -> None:
    spec = spec_with_randomize(
        "object_x: uniform(2, 1)", "object_y: normal(0, -1)", "object_size: unif(1,2)"
    ).replace("time_budget_s: 15", "time_budget_s: -2")
    error = spec_error(tmp_path, spec)
    assert len(error.problems) == 4, str(error)
    spec_file = str(tmp_path / "spec.yaml")
    assert all(p.startswith(spec_file + ": ") for p in error.problems), str(error)
    assert "line 7, " in problem_about(error, "time_budget_s")
    assert "line 9, " in problem_about(error, "randomize.object_x")
    assert "line 10, " in problem_about(error, "randomize.object_y.std")
    assert "line 11, " in problem_about(error, "randomize.object_size")


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
