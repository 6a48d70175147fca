"""A few episodes through roboverify's public API, on the built-in pick-and-place workstation.

These need the package installed (``pip install .``): the plan names the skill by the name its
entry point registers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import harness
import pytest
import yaml

from sweep_picker import SweepPicker

PLAN = Path(__file__).resolve().parents[1] / "verification.yaml"


def write_plan(folder: Path, **changes: Any) -> Path:
    plan = {**yaml.safe_load(PLAN.read_text(encoding="utf-8")), **changes}
    (folder / "plan.yaml").write_text(yaml.safe_dump(plan), encoding="utf-8")
    return folder / "plan.yaml"


def test_a_short_run_of_the_release_plan_succeeds(tmp_path: Path) -> None:
    gates = [{"metric": "zero_events", "outcome": "skill_error"}]
    resolved = harness.load_plan(write_plan(tmp_path, episodes=4, gates=gates))
    assert resolved.skill_class is SweepPicker  # found by its registered name

    report = harness.run_plan(resolved)

    outcomes = [episode.outcome for episode in report.episodes]
    assert outcomes == [harness.Outcome.SUCCESS] * 4, [e.reason for e in report.episodes]
    assert report.verdict.value == "pass"


def test_params_from_the_plan_are_checked_when_it_loads(tmp_path: Path) -> None:
    skill = {"name": "sweep_picker", "params": {"speed": 9.0}}
    with pytest.raises(harness.SpecError, match=r"skill\.params\.speed"):
        harness.load_plan(write_plan(tmp_path, skill=skill))


def test_a_scenario_the_manifest_does_not_claim_is_refused(tmp_path: Path) -> None:
    scenarios = ["workstation/collab_pick_place-v1"]  # the same robot, but not what it is made for
    with pytest.raises(harness.SpecError, match=r"made for workstation/pick_place\*"):
        harness.load_plan(write_plan(tmp_path, scenarios=scenarios))
