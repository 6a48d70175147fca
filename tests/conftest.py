"""Shared fixtures: plans resolved from the built-in specs, ready to run, and the test plugins."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from harness.plan.resolve import ResolvedPlan, load_plan

pytest_plugins = ["pytester"]  # the pytest plugin's own tests run pytest inside pytest

TESTS_DIR = Path(__file__).resolve().parent  # holds plugins_for_tests.py


@pytest.fixture(autouse=True)
def _history_in_tmp(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every `roboverify verify` a test runs records into a throwaway history, never the user's."""
    monkeypatch.setenv("ROBOVERIFY_HISTORY", str(tmp_path_factory.mktemp("history") / "history.sqlite3"))


@pytest.fixture
def importable_test_plugins(monkeypatch: pytest.MonkeyPatch) -> None:
    """Put this directory on ``sys.path``, so plans and specs can name ``plugins_for_tests:Attr``
    exactly as they would a third-party package."""
    monkeypatch.syspath_prepend(str(TESTS_DIR))


@pytest.fixture
def write_plan(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Write a plan dict as YAML and return its resolved form."""

    def write(**fields: object) -> ResolvedPlan:
        plan = {"skill": "pick_place", "scenarios": ["workstation/pick_place-v1"], "episodes": 2, **fields}
        path = tmp_path / "plan.yaml"
        path.write_text(yaml.safe_dump(plan), encoding="utf-8")
        return load_plan(path)

    return write


REACH_SPEC = """\
id: testing/reach-v1
kind: harness.testing:ReachScenario
sim: harness.testing:PointWorld
robot: point
control_rate_hz: 10
physics_rate_hz: 100
time_budget_s: 5
"""


@pytest.fixture
def reach_plan(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Write a plan for ``harness.testing.hostile:HostileSkill`` on the point-robot reach scenario (fast,
    no simulator; ``kind`` swaps the scenario class); ``params`` go to the skill, other keywords
    into the plan. Returns its path."""

    def write(
        params: dict[str, object] | None = None, kind: str = "harness.testing:ReachScenario", **fields: object
    ) -> Path:
        spec = REACH_SPEC.replace("harness.testing:ReachScenario", kind)
        (tmp_path / "reach.yaml").write_text(spec, encoding="utf-8")
        plan = {
            "skill": {"name": "harness.testing.hostile:HostileSkill", "params": params or {}},
            "scenarios": ["reach.yaml"],
            "episodes": 6,
            "criteria": {"task_success": {}},
            "gates": [{"min": 0.5}],
            **fields,
        }
        path = tmp_path / "plan.yaml"
        path.write_text(yaml.safe_dump(plan), encoding="utf-8")
        return path

    return write


FAILING_GATES = [
    {"min": 0.2},  # passes: 17 of 30 episodes succeed
    {"min": 0.5},  # inconclusive
    {"metric": "zero_events", "outcome": "skill_error"},  # fails: 13 skill errors
]


@pytest.fixture
def failing_run(reach_plan, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    """The output folder of a fast run whose skill raises in about half its 30 episodes, with
    one gate that passes, one that stays inconclusive and one that fails."""
    from harness.cli import main

    plan = reach_plan({"behaviour": "raise", "rate": 0.5}, episodes=30, gates=FAILING_GATES)
    out_dir = tmp_path / "run"
    code = main(["verify", str(plan), "--out", str(out_dir), "--quiet", "--backend", "inprocess", "-j", "1"])
    assert code == 1, "the zero-events gate fails the run"
    return out_dir
