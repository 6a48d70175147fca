"""An object slipping out of the Panda's gripper: the reference skill picks it up again."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from harness.campaign.run import run_plan
from harness.plan.resolve import load_plan
from harness.results import Outcome

pytestmark = pytest.mark.sim

SPEC = {
    "id": "workstation/pick_place_slip-v1",
    "kind": "workstation/pick_place",
    "robot": "franka_panda",
    "control_rate_hz": 30,
    "time_budget_s": 20,
    "faults": [{"kind": "object_slip", "after": "grasped", "delay_s": 0.6}],
}


def run(tmp_path: Path, episodes: int, **skill_params: object):  # type: ignore[no-untyped-def]
    (tmp_path / "spec.yaml").write_text(yaml.safe_dump(SPEC), encoding="utf-8")
    plan = {
        "skill": {"name": "pick_place", "params": skill_params},
        "scenarios": ["spec.yaml"],
        "episodes": episodes,
        "seed": 5,
        "gates": [{"metric": "recovery_rate", "fault": "object_slip", "min": 0.5}],
    }
    (tmp_path / "plan.yaml").write_text(yaml.safe_dump(plan), encoding="utf-8")
    return run_plan(load_plan(tmp_path / "plan.yaml"))


def test_the_reference_skill_picks_a_slipped_object_up_again(tmp_path: Path) -> None:
    report = run(tmp_path, 4)
    for episode in report.episodes:
        (fault,) = episode.faults
        assert fault.subject == "object:0" and fault.cleared_tick == fault.tick + 15
        assert episode.metrics["drops"] == 0  # a slip is the harness's doing, not a drop
    regrasped = [e for e in report.episodes if e.metrics["grasps"] == 2]
    assert regrasped and all(e.outcome is Outcome.SUCCESS for e in regrasped)
    (recovery,) = report.scenarios[0].recovery
    assert recovery.injected == 4 and recovery.recovered.count >= 3


def test_a_skill_that_gives_up_after_losing_its_grip_does_not_recover(tmp_path: Path) -> None:
    report = run(tmp_path, 4, max_retries=0)
    lost = [e for e in report.episodes if e.metrics["objects_placed"] == 0]
    assert lost and all(e.outcome is Outcome.TIMEOUT for e in lost)
    (recovery,) = report.scenarios[0].recovery
    assert recovery.recovered.count == 4 - len(lost)
