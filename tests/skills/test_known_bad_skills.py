"""The self-test end to end: known-bad skills are caught, and missed once their criterion is off.

Each known-bad skill built for a criterion is caught by it, and the reference skill it derives
from passes the same plan: a criterion that failed both would prove nothing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from harness.campaign.run import run_plan
from harness.campaign.selftest import caught, known_bad_catches, selftest_plan
from harness.cli import main
from harness.plan.resolve import load_plan
from harness.report.model import Report
from harness.results import Verdict

pytestmark = pytest.mark.sim


def run(tmp_path: Path, plan: dict[str, Any]) -> Report:
    path = tmp_path / f"{plan['skill']}.yaml"
    path.write_text(yaml.safe_dump(plan), encoding="utf-8")
    return run_plan(load_plan(path))


def selftest_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any]]:
    code = main(["selftest", "--format", "json", "-j", "2", *argv])
    return code, json.loads(capsys.readouterr().out)


def test_selftest_catches_the_skills_it_runs_and_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, result = selftest_json(capsys, "--skill", "pick_place_crashing", "--skill", "pick_place_dropping")
    assert code == 0, result
    assert result["missed"] == []
    rows = {row["skill"]: row for row in result["skills"]}
    assert rows["pick_place_crashing"]["outcomes"] == {"skill_error": 2}
    assert (
        rows["pick_place_dropping"]["verdict"] == "caught" and rows["pick_place_dropping"]["caught_in"] == 2
    )


def test_selftest_reports_missed_and_exits_1_when_the_catching_criterion_is_off(
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ("--skill", "pick_place_speeding", "--episodes", "1", "--disable", "speed_limits")
    code, result = selftest_json(capsys, *argv)
    assert code == 1
    assert result["missed"] == ["pick_place_speeding"]
    (row,) = result["skills"]
    assert row["verdict"] == "MISSED" and row["caught_in"] == 0 and row["failing_criteria"] == {}


def test_selftest_table_fits_80_columns(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    assert main(["selftest", "--skill", "pick_place_crashing", "--episodes", "1", "-j", "1"]) == 0
    out = capsys.readouterr().out
    assert "pick_place_crashing" in out and "caught 1/1" in out and "1 caught, 0 missed" in out
    assert max(len(line) for line in out.splitlines()) <= 80


NEW = [
    ("pick_place_striking_table", "pick_place", "robot_limits"),
    ("pick_place_speeding", "pick_place", "speed_limits"),
    ("collab_pick_place_lunging", "collab_pick_place", "human_contact"),
    ("pick_place_dawdling", "pick_place", "efficiency"),
    ("pick_place_high_lifting", "pick_place", "energy"),
]


@pytest.mark.parametrize(("known_bad", "reference", "criterion"), NEW, ids=[n[0] for n in NEW])
def test_new_known_bad_skill_is_caught_by_its_criterion_and_the_reference_is_not(
    tmp_path: Path, known_bad: str, reference: str, criterion: str
) -> None:
    (catch,) = known_bad_catches(names=[known_bad])
    assert criterion in catch.criteria
    plan = selftest_plan(catch, 2, 0)
    bad = run(tmp_path, plan)
    assert any(caught(e, catch) for e in bad.episodes), [(e.outcome, e.reason) for e in bad.episodes]
    good = run(tmp_path, {**plan, "skill": reference})
    for episode in good.episodes:
        (result,) = [c for c in episode.criteria if c.name == criterion]
        assert result.verdict is not Verdict.FAIL, (episode.index, result)


@pytest.mark.slow
def test_the_whole_selftest_passes_on_the_tree(capsys: pytest.CaptureFixture[str]) -> None:
    code, result = selftest_json(capsys)
    assert code == 0, result["missed"]
    assert {row["verdict"] for row in result["skills"]} <= {"caught", "skipped"}
