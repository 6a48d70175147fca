"""``roboverify conditions`` and ``verify --conditions`` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.cli import main


@pytest.mark.sim
def test_two_skills_run_on_byte_identical_conditions(tmp_path: Path) -> None:
    conditions = tmp_path / "conditions.jsonl"
    workstation = tmp_path / "workstation.yaml"
    workstation.write_text("skill: pick_place\nscenarios: [workstation/pick_place-v1]\n")
    assert main(["conditions", str(workstation), "--episodes", "2", "--out", str(conditions)]) == 0
    assert len(conditions.read_text().splitlines()) == 2
    outcomes = {}
    for skill in ("pick_place", "pick_place_dropping"):
        plan = tmp_path / f"{skill}.yaml"
        plan.write_text(f"skill: {skill}\nscenarios: [workstation/pick_place-v1]\ngates: [{{min: 0.5}}]\n")
        out = tmp_path / skill
        main(["verify", str(plan), "--conditions", str(conditions), "--out", str(out), "--quiet"])
        report = json.loads((out / "report.json").read_text())
        outcomes[skill] = [(e["seed"], e["conditions"]) for e in report["episodes"]]
    assert outcomes["pick_place"] == outcomes["pick_place_dropping"]


def test_conditions_with_episodes_override_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    conditions = tmp_path / "conditions.jsonl"
    assert main(["conditions", "--episodes", "1", "--out", str(conditions)]) == 0
    assert main(["verify", "--conditions", str(conditions), "--episodes", "3"]) == 2
    assert "drop --episodes and --seed" in capsys.readouterr().err


def test_conditions_file_for_another_plan_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "other.jsonl"
    bad.write_text(json.dumps({"scenario": "warehouse/x-v1", "index": 0, "seed": 1, "conditions": {}}) + "\n")
    assert main(["verify", "--conditions", str(bad), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "which the plan does not run" in err
    assert "no conditions for the plan's scenario 'workstation/pick_place-v1'" in err
    assert not (tmp_path / "out").exists()


@pytest.mark.sim
def test_baseline_report_adds_paired_comparisons(tmp_path: Path) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    plan = tmp_path / "workstation.yaml"
    plan.write_text("skill: pick_place\nscenarios: [workstation/pick_place-v1]\ngates: [{min: 0.5}]\n")
    assert main(["verify", str(plan), "--episodes", "3", "--out", str(old), "--quiet"]) in (0, 3)
    baseline = ["--baseline-report", str(old / "report.json")]
    code = main(["verify", str(plan), "--episodes", "3", "--out", str(new), "--quiet", *baseline])
    report = json.loads((new / "report.json").read_text())
    assert report["baseline"] == str(old / "report.json")
    (success,) = [c for c in report["comparisons"] if c["metric"] == "success_rate"]
    assert success["paired"] is True
    assert success["difference"] == 0.0
    assert code in (0, 3)
