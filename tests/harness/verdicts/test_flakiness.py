"""Episodes run twice with the same seed and conditions must give the same result."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from harness.cli import main
from harness.plan.jobs import rerun_jobs
from harness.results import EpisodeResult, Outcome, Timing
from harness.skill import Observation
from harness.testing import ScriptedSkill, reach_spec
from harness.verdicts.flakiness import compare_reruns

TIMING = Timing(sim_s=1.0, ticks=10, physics_steps=100, wall_s=0.1)


def episode(index: int, outcome: Outcome = Outcome.SUCCESS, sim_s: float = 1.0) -> EpisodeResult:
    timing = TIMING.model_copy(update={"sim_s": sim_s})
    return EpisodeResult(
        scenario="a/b-v1", index=index, seed=index, outcome=outcome, ended_by="x", conditions={"x": index},
        criteria=[], timing=timing,
    )  # fmt: skip


def test_identical_reruns_pass_and_differences_are_named() -> None:
    first = [episode(0), episode(1), episode(2)]
    (clean,) = compare_reruns(first, [episode(0), episode(1).model_copy(update={"attempts": 2})])
    assert (clean.rerun, clean.outcome_flips, clean.drifted) == (2, [], [])
    (bad,) = compare_reruns(first, [episode(0, Outcome.FAILURE), episode(1, sim_s=1.5), episode(2)])
    assert (bad.outcome_flips, bad.drifted) == ([0], [1])


def test_rerun_jobs_repeat_the_first_scored_episodes_exactly() -> None:
    episodes = [episode(1), episode(0, Outcome.SIM_ERROR), episode(2), episode(3)]
    jobs = rerun_jobs(episodes, 2)
    assert [(j.index, j.seed, j.conditions) for j in jobs] == [(1, 1, {"x": 1}), (2, 2, {"x": 2})]


class LeakySkill(ScriptedSkill):
    """Keeps state across episodes in a class attribute: every other episode it stays put."""

    episodes_seen = 0

    def __init__(self) -> None:
        super().__init__(self.move)
        LeakySkill.episodes_seen += 1
        self.lazy = LeakySkill.episodes_seen % 2 == 0

    def move(self, tick: int, observation: Observation) -> Any:
        target = [0.0, 0.0, 0.0] if self.lazy else list(observation["target_position"])
        return [*target, 0.0, 0.0]


def test_a_run_whose_results_do_not_repeat_is_invalid(tmp_path: Path) -> None:
    spec = reach_spec(time_budget_s=1).model_dump(mode="json", exclude_defaults=True)
    (tmp_path / "reach.yaml").write_text(yaml.safe_dump(spec), encoding="utf-8")
    plan = {
        "skill": "tests.harness.verdicts.test_flakiness:LeakySkill", "scenarios": ["reach.yaml"],
        "episodes": 3, "reliability": {"rerun_episodes": 3}, "gates": [{"min": 0.5}],
    }  # fmt: skip
    (tmp_path / "plan.yaml").write_text(yaml.safe_dump(plan), encoding="utf-8")
    code = main(
        ["verify", str(tmp_path / "plan.yaml"), "--out", str(tmp_path / "out"), "--backend", "inprocess"]
    )
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert code == 4
    assert report["verdict"] == "invalid"
    assert "did not repeat" in report["verdict_reason"]
    assert report["flakiness"][0]["rerun"] == 3
