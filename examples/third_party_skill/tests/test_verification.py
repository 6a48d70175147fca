"""A few episodes through roboverify's public API, on the built-in pick-and-place workstation."""

from __future__ import annotations

from pathlib import Path

import harness
import yaml

PLAN = Path(__file__).resolve().parents[1] / "verification.yaml"


def test_a_short_run_of_the_release_plan_succeeds(tmp_path: Path) -> None:
    plan = yaml.safe_load(PLAN.read_text(encoding="utf-8"))
    plan["episodes"] = 4
    plan["gates"] = [{"metric": "zero_events", "outcome": "skill_error"}]
    (tmp_path / "plan.yaml").write_text(yaml.safe_dump(plan), encoding="utf-8")

    report = harness.run_plan(harness.load_plan(tmp_path / "plan.yaml"))

    outcomes = [episode.outcome for episode in report.episodes]
    assert outcomes == [harness.Outcome.SUCCESS] * 4, [e.reason for e in report.episodes]
    (skill,) = report.provenance.skills
    assert skill.manifest is not None
    assert (skill.manifest.name, skill.manifest.version) == ("sweep_picker", "0.3.0")
