"""The ``roboverify`` command through ``harness.cli.main``: exit codes, output and report.json."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from harness.cli import main
from harness.report.model import RunVerdict
from harness.verdicts.statistics import GateVerdict, decide_rate

BUILTIN_NAMES = (
    "pick_place",
    "pick_place_dropping",
    "pick_place_crashing",
    "workstation/pick_place",
    "task_success",
    "cycle_time",
    "pybullet",
)


@pytest.fixture(autouse=True)
def plain_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Wide, colourless rich output (no hard wraps inside messages); cwd in tmp_path so the
    default ``reports/`` directory can never land in the repository."""
    monkeypatch.setenv("COLUMNS", "250")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.chdir(tmp_path)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def read_report(out_dir: Path) -> dict[str, Any]:
    report: dict[str, Any] = json.loads((out_dir / "report.json").read_text(encoding="utf-8"))
    return report


def verify(tmp_path: Path, plan_text: str, *options: str) -> tuple[int, dict[str, Any]]:
    """Run ``roboverify verify`` on a plan written to tmp_path; return exit code and report."""
    plan = write(tmp_path / "plan.yaml", plan_text)
    out_dir = tmp_path / "out" / "nested"  # --out creates missing parents
    code = main(["verify", str(plan), "--out", str(out_dir), *options])
    files = sorted(p.name for p in out_dir.iterdir())
    assert files == ["journal.jsonl", "manifest.json", "report.json"], "no temporary files left"
    report = read_report(out_dir)
    assert RunVerdict(report["verdict"]).exit_code == code, "exit code and report disagree"
    return code, report


# schema ----------------------------------------------------------------------------------------
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


# list ------------------------------------------------------------------------------------------
def test_list_shows_every_builtin_plugin(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list"]) == 0
    captured = capsys.readouterr()
    for heading in ("skills", "scenarios", "criteria", "sims"):
        assert heading in captured.out
    for name in BUILTIN_NAMES:
        assert f" {name} " in captured.out, name
    assert "workstation/pick_place-v1" in captured.out
    assert "skills.pick_place:PickPlaceSkill" in captured.out
    assert "injectable faults: object_slip," in captured.out  # what a spec may declare for it
    assert "cannot load" not in captured.out
    assert captured.err == ""


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


# real runs -------------------------------------------------------------------------------------
INCONCLUSIVE_PLAN = """\
skill: pick_place
scenarios: [workstation/pick_place-v1]
episodes: 30
gates:
  - min: 0.5
    confidence: 0.99
"""


@pytest.mark.sim
def test_verify_too_few_episodes_is_inconclusive(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # with 3 episodes no outcome can decide a 0.5 gate at 99 %: the verdict is fixed by the math
    assert all(decide_rate(k, 3, 0.5, 0.99).verdict is GateVerdict.INCONCLUSIVE for k in range(4))
    code, report = verify(tmp_path, INCONCLUSIVE_PLAN, "--episodes", "3", "--seed", "7", "--quiet")
    assert code == 3
    assert report["verdict"] == "inconclusive"
    assert "run more episodes" in report["verdict_reason"]
    assert report["plan"]["seed"] == 7
    (scenario,) = report["scenarios"]
    assert (scenario["planned"], scenario["attempted"], scenario["scored"]) == (3, 3, 3)
    assert [e["index"] for e in report["episodes"]] == [0, 1, 2]
    (gate,) = report["gates"]
    assert gate["verdict"] == "inconclusive"
    out = capsys.readouterr().out
    assert "verifying skill pick_place on 1 scenario(s), 3 episodes, seed 7" in out
    assert str(tmp_path / "out" / "nested" / "report.json") in out.replace("\n", "")  # may wrap


FAILING_PLAN = """\
skill: pick_place_dropping
scenarios: [workstation/pick_place-v1]
episodes: 8
gates:
  - min: 0.8
"""


@pytest.mark.sim
def test_verify_a_faulty_skill_fails(tmp_path: Path) -> None:
    code, report = verify(tmp_path, FAILING_PLAN)  # with the progress bar, for once
    (scenario,) = report["scenarios"]
    # up to 4 successes in 8 still put the 95 % upper bound below 0.8
    assert scenario["successes"] <= 4, scenario
    assert decide_rate(scenario["successes"], 8, 0.8, 0.95).verdict is GateVerdict.FAIL
    assert code == 1
    assert report["verdict"] == "fail"
    (gate,) = report["gates"]
    assert gate["verdict"] == "fail"
    assert gate["upper_bound"] < 0.8
    assert scenario["scored"] == 8
    assert scenario["outcomes"].get("failure", 0) >= 4


PASSING_PLAN = """\
skill: pick_place
scenarios: [workstation/pick_place-v1]
episodes: 12
criteria:
  task_success: {}
  cycle_time: {max_s: 15}
gates:
  - min: 0.55
    confidence: 0.9
"""


@pytest.mark.sim
def test_verify_a_good_skill_passes(tmp_path: Path) -> None:
    # 9 successes in 12 already clear 0.55 at 90 % (lower bound ~0.567); 8 would not
    assert decide_rate(9, 12, 0.55, 0.9).verdict is GateVerdict.PASS
    assert decide_rate(8, 12, 0.55, 0.9).verdict is GateVerdict.INCONCLUSIVE
    code, report = verify(tmp_path, PASSING_PLAN, "--quiet")
    (scenario,) = report["scenarios"]
    assert scenario["successes"] >= 9, scenario
    assert code == 0
    assert report["verdict"] == "pass"
    (gate,) = report["gates"]
    assert gate["verdict"] == "pass"
    assert gate["lower_bound"] >= 0.55
    assert len(report["episodes"]) == 12
    assert {c["name"] for c in report["episodes"][0]["criteria"]} == {"task_success", "cycle_time"}


BROKEN_SPEC = """\
id: workstation/broken-v1
kind: plugins_for_tests:BrokenBuildScenario
sim: plugins_for_tests:TrackingPyBulletWorld
robot: franka_panda
control_rate_hz: 30
physics_rate_hz: 240
time_budget_s: 15
"""

BROKEN_PLAN = """\
skill: pick_place
scenarios:
  - spec: broken.yaml
episodes: 2
gates:
  - min: 0.5
"""


@pytest.fixture
def tracked_worlds(importable_test_plugins: None) -> Iterator[list[Any]]:
    """Test plugins importable by name; every world they create is closed afterwards."""
    from plugins_for_tests import TrackingPyBulletWorld

    TrackingPyBulletWorld.instances.clear()
    yield TrackingPyBulletWorld.instances
    for world in TrackingPyBulletWorld.instances:
        world.close()
    TrackingPyBulletWorld.instances.clear()


@pytest.mark.sim
def test_verify_with_a_world_that_cannot_be_built_is_invalid(
    tmp_path: Path, tracked_worlds: list[Any]
) -> None:
    from plugins_for_tests import BUILD_FAILURE

    write(tmp_path / "broken.yaml", BROKEN_SPEC)
    code, report = verify(tmp_path, BROKEN_PLAN, "--quiet")
    assert code == 4
    assert report["verdict"] == "invalid"
    assert "infrastructure errors" in report["verdict_reason"]
    (scenario,) = report["scenarios"]
    assert (scenario["attempted"], scenario["scored"], scenario["unscored"]) == (2, 0, 2)
    assert scenario["outcomes"] == {"sim_error": 2}
    for episode in report["episodes"]:
        assert episode["outcome"] == "sim_error"
        assert episode["ended_by"] == "build"
        assert episode["attempts"] == 3
        assert BUILD_FAILURE in episode["reason"]


@pytest.mark.sim
def test_worlds_whose_build_failed_are_closed(tmp_path: Path, tracked_worlds: list[Any]) -> None:
    write(tmp_path / "broken.yaml", BROKEN_SPEC)
    code, _ = verify(tmp_path, BROKEN_PLAN, "--quiet", "--backend", "inprocess")  # worlds made here
    assert code == 4
    assert len(tracked_worlds) == 6  # 2 episodes x 3 attempts
    assert [world.client for world in tracked_worlds] == [-1] * 6
