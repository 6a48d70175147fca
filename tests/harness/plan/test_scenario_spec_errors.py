"""Malformed scenario spec files: each problem names the spec file, field and line, and the fix.

Every case writes a spec and a plan using it into ``tmp_path`` and goes through ``load_plan``.
The texts and checks are in ``helpers.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.harness.plan.helpers import SPEC, only_problem, problem_about, spec_error, spec_with_randomize


# reading the file -------------------------------------------------------------------------------
def test_spec_file_with_a_syntax_error(tmp_path: Path) -> None:
    problem = only_problem(spec_error(tmp_path, SPEC + "randomize:\n\tobject_y: 0.1\n"))
    assert problem.startswith(f"{tmp_path / 'spec.yaml'}: line 11, column 1: YAML syntax error")


def test_spec_file_that_is_not_a_mapping(tmp_path: Path) -> None:
    problem = only_problem(spec_error(tmp_path, "- workstation/custom-v1\n"))
    assert problem.startswith(f"{tmp_path / 'spec.yaml'}: ")
    assert "expected a mapping of ScenarioSpec fields" in problem


# unknown keys and missing fields ----------------------------------------------------------------
def test_unknown_key_in_a_scenario_spec(tmp_path: Path) -> None:
    error = spec_error(tmp_path, SPEC + "objects:\n  count: 1\n  shap: box\n")
    problem = only_problem(error)
    assert problem.startswith(f"{tmp_path / 'spec.yaml'}: line 12, field 'objects.shap': unknown key")
    assert "did you mean 'shape'?" in problem


def test_missing_required_field_in_a_spec(tmp_path: Path) -> None:
    problem = only_problem(spec_error(tmp_path, SPEC.replace("robot: franka_panda\n", "")))
    assert problem.startswith(str(tmp_path / "spec.yaml") + ": ")
    assert "field 'robot': required field is missing; add it" in problem


# impossible values ------------------------------------------------------------------------------
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


# names the scenario does not know ---------------------------------------------------------------
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


# several problems, one message ------------------------------------------------------------------
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
