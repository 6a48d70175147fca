"""Sequential plans stop early, and the verdict does not depend on how many workers ran them."""

from __future__ import annotations

from pathlib import Path

import yaml

from harness.campaign.run import run_plan
from harness.execution.pool import LocalBackend
from harness.plan.resolve import ResolvedPlan, load_plan
from harness.verdicts.statistics import GateVerdict

SPEC = {
    "id": "testing/reach-v1", "kind": "harness.testing:ReachScenario", "sim": "harness.testing:PointWorld",
    "robot": "point", "control_rate_hz": 10, "physics_rate_hz": 100, "time_budget_s": 5,
}  # fmt: skip


def sequential_plan(tmp_path: Path, cap: int = 200) -> ResolvedPlan:
    (tmp_path / "reach.yaml").write_text(yaml.safe_dump(SPEC), encoding="utf-8")
    plan = {
        "skill": "harness.testing:ScriptedSkill", "scenarios": ["reach.yaml"], "seed": 1,
        "episodes": {"mode": "sequential", "max": cap, "indifference": 0.1},
        "gates": [{"metric": "success_rate", "min": 0.85}],
    }  # fmt: skip
    (tmp_path / "plan.yaml").write_text(yaml.safe_dump(plan), encoding="utf-8")
    return load_plan(tmp_path / "plan.yaml")


def test_a_perfect_skill_passes_after_27_episodes_instead_of_the_cap(tmp_path: Path) -> None:
    report = run_plan(sequential_plan(tmp_path))
    (gate,) = report.gates
    assert gate.verdict is GateVerdict.PASS
    assert gate.episodes == 27
    assert [e.index for e in report.episodes] == list(range(27))
    assert report.scenarios[0].attempted == report.scenarios[0].planned == 27
    assert report.verdict.value == "pass"


def test_workers_do_not_change_the_sequential_verdict(tmp_path: Path) -> None:
    plan = sequential_plan(tmp_path)
    alone = run_plan(plan)
    pooled = run_plan(plan, backend=LocalBackend(2))
    assert [e.deterministic_json() for e in pooled.episodes] == [
        e.deterministic_json() for e in alone.episodes
    ]
    assert pooled.gates == alone.gates
    assert pooled.verdict == alone.verdict
