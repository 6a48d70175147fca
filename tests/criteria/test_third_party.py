"""A third-party criterion, registered through the entry-point group, works untouched.

The example package in ``examples/third_party_criterion`` is made discoverable the way an
installed wheel is, without installing it: its module plus a ``.dist-info`` folder holding
METADATA and entry_points.txt go into a directory on ``sys.path``.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from harness.campaign.run import run_plan
from harness.plan.resolve import load_plan
from harness.registry import load_plugin, plugin_infos, registered
from harness.results import Verdict

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "third_party_criterion"
MODULE = "max_ee_height_criterion"
REACH_SPEC = {
    "id": "testing/reach-v1",
    "kind": "harness.testing:ReachScenario",
    "sim": "harness.testing:PointWorld",
    "robot": "point",
    "control_rate_hz": 10,
    "physics_rate_hz": 100,
    "time_budget_s": 5,
}


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fake site-packages holding the example package as if pip had installed it."""
    packages = tmp_path / "site"
    shutil.copytree(EXAMPLE / MODULE, packages / MODULE)
    info = packages / "roboverify_max_ee_height-0.1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: roboverify-max-ee-height\nVersion: 0.1.0\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(
        f"[roboverify.criteria]\nmax_ee_height = {MODULE}:MaxEeHeight\n", encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(packages))
    registered.cache_clear()
    yield packages
    registered.cache_clear()
    sys.modules.pop(MODULE, None)


def test_the_example_registers_itself_in_its_own_pyproject() -> None:
    text = (EXAMPLE / "pyproject.toml").read_text(encoding="utf-8")
    assert '[project.entry-points."roboverify.criteria"]' in text
    assert f'max_ee_height = "{MODULE}:MaxEeHeight"' in text


def test_found_by_name_with_its_distribution(site: Path) -> None:
    criterion_class = load_plugin("criteria", "max_ee_height")
    assert criterion_class.name == "max_ee_height"
    infos = {info.name: info for info in plugin_infos("criteria")}
    assert infos["max_ee_height"].distribution == "roboverify-max-ee-height"


@pytest.mark.parametrize(("max_z", "verdict"), [(0.5, Verdict.PASS), (-0.1, Verdict.FAIL)])
def test_used_in_a_plan_like_a_builtin(site: Path, tmp_path: Path, max_z: float, verdict: Verdict) -> None:
    (tmp_path / "reach.yaml").write_text(yaml.safe_dump(REACH_SPEC), encoding="utf-8")
    plan = {
        "skill": "harness.testing:ScriptedSkill",
        "scenarios": ["reach.yaml"],
        "episodes": 2,
        "criteria": {"task_success": {}, "max_ee_height": {"max_z": max_z}},
        "gates": [{"min": 0.5}],
    }
    (tmp_path / "plan.yaml").write_text(yaml.safe_dump(plan), encoding="utf-8")
    report = run_plan(load_plan(tmp_path / "plan.yaml"))
    for episode in report.episodes:
        result = next(c for c in episode.criteria if c.name == "max_ee_height")
        assert result.verdict is verdict and result.measured == 0.0 and result.units == "m"
