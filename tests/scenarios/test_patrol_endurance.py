"""Patrol round after round without a reset: new readings each round, driven from where it ended."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from harness.campaign.run import run_plan
from harness.plan.resolve import load_plan
from harness.results import Outcome
from skills.patrol import PatrolSkill, serpentine

pytestmark = pytest.mark.sim


def test_the_reference_patrol_keeps_going_round_without_a_reset(tmp_path: Path) -> None:
    plan = {
        "skill": "patrol",
        "seed": 5,
        "scenarios": [{"spec": "inspection/patrol-v1", "episodes": 1, "endurance": {"cycles": 3}}],
        "criteria": {"task_success": {}, "speed_separation": {}},
        "gates": [{"min": 0.1}],
    }
    (tmp_path / "plan.yaml").write_text(yaml.safe_dump(plan), encoding="utf-8")
    report = run_plan(load_plan(tmp_path / "plan.yaml"))
    (run,) = [e for e in report.episodes if e.cycles]
    assert run.outcome is Outcome.SUCCESS, run.reason
    assert [c.outcome for c in run.cycles] == [Outcome.SUCCESS] * 3


def test_a_round_starting_at_the_far_end_drives_the_serpentine_backwards() -> None:
    skill = PatrolSkill()
    skill.aisle_y, skill.cross_x = [-3.8, 0.0, 3.8], (1.25, 8.75)
    route = serpentine(skill.aisle_y, skill.cross_x)
    poses = np.array([[5.0, -3.0, 0.0], [4.0, 3.0, 0.0]])  # one gauge in the first aisle, one in the last
    forward = skill.make_plan(poses, route[0])
    backward = skill.make_plan(poses, route[-1])
    assert forward[0][0] == route[0] and backward[0][0] == route[-1]
    assert [c for _, c in forward if c >= 0] == [0, 1]
    assert [c for _, c in backward if c >= 0] == [1, 0]
    assert skill.make_plan(poses) == forward  # without a start: the usual direction
