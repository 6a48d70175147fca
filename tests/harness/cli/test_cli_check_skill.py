"""``roboverify check-skill`` through ``harness.cli.main``: exit codes, table, JSON and usage errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.cli import main
from tests.conftest import REACH_SPEC
from tests.harness.cli.helpers import write

pytestmark = pytest.mark.usefixtures("plain_output")

DOUBLES = "harness.testing.nonconforming"


@pytest.fixture
def reach_spec_file(tmp_path: Path) -> str:
    return str(write(tmp_path / "reach.yaml", REACH_SPEC))


def check_skill(*args: str) -> int:
    return main(["check-skill", *args, "--max-ticks", "50"])


def test_a_conforming_skill_exits_0_with_a_table_and_a_summary(
    reach_spec_file: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert check_skill(f"{DOUBLES}:ConformingReach", "--scenario", reach_spec_file) == 0
    out = capsys.readouterr().out
    assert "testing/reach-v1" in out and "determinism" in out
    assert max(len(line) for line in out.splitlines()) <= 80
    assert f"PASS {DOUBLES}:ConformingReach: 14 passed, 0 warned" in out


def test_a_failed_check_exits_1_and_names_the_fix(
    reach_spec_file: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert check_skill(f"{DOUBLES}:LeakyReach", "--scenario", reach_spec_file) == 1
    out = capsys.readouterr().out
    assert "state_leak" in out and "fix: set every piece" in out
    assert f"FAIL {DOUBLES}:LeakyReach: 13 passed, 0 warned" in out


def test_json_output_for_machines(reach_spec_file: str, capsys: pytest.CaptureFixture[str]) -> None:
    args = (f"{DOUBLES}:OutOfLimitsReach", "--scenario", reach_spec_file, "--format", "json")
    assert check_skill(*args) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["skill"] == f"{DOUBLES}:OutOfLimitsReach"
    assert [f["check"] for f in data["findings"] if f["status"] == "fail"] == ["commands.limits"]


def test_an_unknown_skill_exits_2_with_a_suggestion(capsys: pytest.CaptureFixture[str]) -> None:
    assert check_skill("pick_plac") == 2
    err = capsys.readouterr().err
    assert "unknown skill 'pick_plac'; did you mean 'pick_place'" in err


def test_an_unknown_scenario_exits_2_with_the_built_in_ids(capsys: pytest.CaptureFixture[str]) -> None:
    assert check_skill("pick_place", "--scenario", "workstation/pickplace") == 2
    err = capsys.readouterr().err
    assert "unknown scenario spec 'workstation/pickplace'; did you mean 'workstation/pick_place-v1'" in err


def test_a_scenario_for_another_robot_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert check_skill("pick_place", "--scenario", "inspection/patrol-v1") == 2
    err = capsys.readouterr().err
    assert "drives robot 'franka_panda' but scenario 'inspection/patrol-v1' uses 'husky'" in err


def test_a_scenario_outside_the_manifest_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = write(tmp_path / "other.yaml", REACH_SPEC.replace("testing/reach-v1", "other/reach-v1"))
    assert check_skill(f"{DOUBLES}:ConformingReach", "--scenario", str(spec)) == 2
    assert "is made for testing/*, not 'other/reach-v1'" in capsys.readouterr().err


def test_a_skill_without_a_built_in_scenario_asks_for_one(capsys: pytest.CaptureFixture[str]) -> None:
    assert check_skill(f"{DOUBLES}:ConformingReach") == 2
    assert "give one with --scenario" in capsys.readouterr().err


def test_a_missing_spec_file_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert check_skill("pick_place", "--scenario", "nowhere.yaml") == 2
    assert "spec file 'nowhere.yaml' does not exist" in capsys.readouterr().err
