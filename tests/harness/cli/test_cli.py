"""The ``roboverify`` command through ``harness.cli.main``: schema, list, and the usage and plan
errors that exit 2 before anything runs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.cli import main
from tests.harness.cli.helpers import write

pytestmark = pytest.mark.usefixtures("plain_output")

BUILTIN_NAMES = (
    "pick_place",
    "workstation/pick_place",
    "task_success",
    "cycle_time",
    "pybullet",
)


# schema -----------------------------------------------------------------------------------------
def test_schema_prints_both_schemas_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    captured = capsys.readouterr()
    schemas = json.loads(captured.out)
    assert set(schemas) == {"plan", "scenario"}
    assert schemas["plan"]["title"] == "Plan"
    assert set(schemas["plan"]["required"]) == {"skill", "scenarios"}
    assert schemas["plan"]["additionalProperties"] is False
    assert schemas["scenario"]["title"] == "ScenarioSpec"
    assert {"id", "kind", "robot", "control_rate_hz", "time_budget_s"} <= set(schemas["scenario"]["required"])
    assert captured.err == ""


@pytest.mark.parametrize(
    ("which", "title", "field"), [("plan", "Plan", "gates"), ("scenario", "ScenarioSpec", "randomize")]
)
def test_schema_of_one_file_kind(
    capsys: pytest.CaptureFixture[str], which: str, title: str, field: str
) -> None:
    assert main(["schema", which]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["title"] == title
    assert field in schema["properties"]
    assert "plan" not in schema
    assert "scenario" not in schema


def test_schema_of_an_unknown_kind_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["schema", "report"])
    assert info.value.code == 2
    assert "invalid choice: 'report'" in capsys.readouterr().err


# list -------------------------------------------------------------------------------------------
def test_list_shows_every_builtin_plugin(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list"]) == 0
    captured = capsys.readouterr()
    for heading in ("skills", "scenarios", "criteria", "sims"):
        assert heading in captured.out
    for name in BUILTIN_NAMES:
        assert f" {name} " in captured.out, name
    assert "workstation/pick_place-v1" in captured.out
    assert "skills.pick_place:PickPlaceSkill" in captured.out
    assert "version 1.0.0, robot franka_panda" in captured.out  # from the skill's manifest
    assert "injectable faults: object_slip," in captured.out  # what a spec may declare for it
    assert "cannot load" not in captured.out
    assert captured.err == ""
    for name in ("pick_place_dropping", "patrol_speeding", "order_picking_nan"):
        assert f" {name} " not in captured.out, name
    assert "known-bad skills (faulty on purpose, for 'roboverify selftest') are hidden" in captured.out
    assert "'roboverify list --known-bad' shows them" in captured.out


def test_list_known_bad_shows_each_with_what_must_catch_it(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list", "--known-bad"]) == 0
    out = capsys.readouterr().out
    assert " pick_place_dropping " in out and " patrol_speeding " in out
    assert "caught as: skill_error" in out and "caught as: safety_stop +" in out
    assert "on: inspection/patrol-v1" in out
    assert " pick_place " not in out and "cannot load" not in out


# errors before anything runs --------------------------------------------------------------------
def test_malformed_plan_exits_2_with_one_paragraph_and_no_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(
        tmp_path / "plan.yaml",
        "skill: pick_place\nscenarios: [workstation/pick_place-v1]\nepisods: 3\ngates:\n  - min: 1.5\n",
    )
    assert main(["verify", "plan.yaml", "--out", "out"]) == 2
    captured = capsys.readouterr()
    err = captured.err
    assert err.startswith("error: plan.yaml: 2 problems\n")
    assert "  - line 3, field 'episods': unknown key; did you mean 'episodes'?" in err
    assert "  - line 5, field 'gates[0].min': " in err
    assert "Traceback" not in err
    assert "\n\n" not in err.strip(), "one paragraph"
    assert len(err.strip().splitlines()) == 3
    assert captured.out == ""
    assert not (tmp_path / "out").exists(), "nothing is written for a plan that does not load"


def test_unresolvable_plan_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path / "plan.yaml", "skill: pick_plac\nscenarios: [workstation/pick_place-v1]\n")
    assert main(["verify", "plan.yaml", "--out", "out"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: plan.yaml: 1 problem\n")
    assert "line 1, field 'skill.name': unknown skill 'pick_plac'; did you mean 'pick_place'" in err
    assert "Traceback" not in err


def test_nonexistent_plan_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", "no_such_plan.yaml"]) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith("error: no_such_plan.yaml: 1 problem\n")
    assert "cannot read the file: No such file or directory" in captured.err
    assert "Traceback" not in captured.err
    assert not Path("reports").exists()


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--episodes", "0", "expected a positive whole number, got '0'"),
        ("--episodes", "-3", "expected a positive whole number, got '-3'"),
        ("--episodes", "abc", "expected a whole number, got 'abc'"),
        ("--seed", "-1", "expected a seed between 0 and 2**63-1, got '-1'"),
        ("--seed", "1.5", "expected a whole number, got '1.5'"),
    ],
)
def test_bad_option_values_are_usage_errors(
    capsys: pytest.CaptureFixture[str], option: str, value: str, message: str
) -> None:
    with pytest.raises(SystemExit) as info:
        main(["verify", "plan.yaml", option, value])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert f"argument {option}: {message}" in err


def test_a_command_is_required(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main([])
    assert info.value.code == 2
    assert "usage: roboverify" in capsys.readouterr().err


def test_error_text_that_looks_like_markup_is_printed_verbatim(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A closing tag in a message must not be parsed as rich markup (was a MarkupError)."""
    write(
        tmp_path / "plan.yaml",
        'skill: pick_place\nscenarios: [workstation/pick_place-v1]\nepisodes: "[/x]"\n',
    )
    assert main(["verify", "plan.yaml"]) == 2
    assert "(got '[/x]')" in capsys.readouterr().err


def test_received_value_with_brackets_is_quoted_exactly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(
        tmp_path / "plan.yaml",
        'skill: pick_place\nscenarios: [workstation/pick_place-v1]\nepisodes: "[bold]lots"\n',
    )
    assert main(["verify", "plan.yaml"]) == 2
    assert "(got '[bold]lots')" in capsys.readouterr().err
