"""Pick-and-place cycle after cycle in one world: fresh cubes each cycle, the arm never re-homed."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from harness.campaign.run import run_plan
from harness.plan.resolve import load_plan
from harness.results import Outcome

pytestmark = pytest.mark.sim


def test_the_reference_skill_keeps_cycling_without_a_reset(tmp_path: Path) -> None:
    plan = {
        "skill": "pick_place",
        "seed": 3,
        "scenarios": [{"spec": "workstation/pick_place-v1", "episodes": 1, "endurance": {"cycles": 6}}],
        "gates": [{"min": 0.1}, {"metric": "interventions_per_1000_cycles", "max": 500}],
    }
    (tmp_path / "plan.yaml").write_text(yaml.safe_dump(plan), encoding="utf-8")
    report = run_plan(load_plan(tmp_path / "plan.yaml"))
    (run,) = [e for e in report.episodes if e.cycles]
    assert run.outcome is Outcome.SUCCESS and len(run.cycles) == 6
    # each cycle is real work on a new cube, not the last cycle's cube still resting in the tray
    assert all(c.outcome is Outcome.SUCCESS and c.ticks > 60 for c in run.cycles)
    assert run.timing.ticks == sum(c.ticks for c in run.cycles)
    (summary,) = report.endurance
    assert summary.interventions == 0 and summary.cycles == 6
