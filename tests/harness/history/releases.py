"""Releases of one skill package, as tests install them: ``reach_release:Reach`` at a version.

Each version is a module in its own folder; installing one puts that folder first on
``sys.path`` and forgets the module imported before, as upgrading a package would. Every
release runs the same plan file, so the history can compare them episode by episode.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import REACH_SPEC

MODULE = '''\
from harness.testing.hostile import HostileSkill


class Reach(HostileSkill):
    """The reach skill, release {version}: raises in a share {rate} of its episodes."""

    name = "reach"
    version = "{version}"

    def __init__(self, **params):
        super().__init__(**{{"behaviour": "raise", "rate": {rate}, **params}})
'''


def install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, version: str, rate: float) -> Path:
    """Make ``reach_release:Reach`` the given release; returns the folder that holds it."""
    folder = tmp_path / f"site-{version}"
    folder.mkdir(exist_ok=True)
    (folder / "reach_release.py").write_text(MODULE.format(version=version, rate=rate), encoding="utf-8")
    monkeypatch.syspath_prepend(str(folder))
    monkeypatch.delitem(sys.modules, "reach_release", raising=False)
    return folder


def write_plan(tmp_path: Path, episodes: int = 30, gate: float = 0.3, **fields: object) -> Path:
    """The one plan every release runs (written once; the same bytes every time)."""
    (tmp_path / "reach.yaml").write_text(REACH_SPEC, encoding="utf-8")
    plan = {
        "name": "reach release check",
        "skill": "reach_release:Reach",
        "scenarios": ["reach.yaml"],
        "episodes": episodes,
        "criteria": {"task_success": {}},
        "gates": [{"min": gate}],
        **fields,
    }
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(plan), encoding="utf-8")
    return path


def verify_args(plan: Path, out: Path, history: Path, *extra: str) -> list[str]:
    return ["verify", str(plan), "--out", str(out), "--history", str(history), "--quiet",
            "--backend", "inprocess", "-j", "1", *extra]  # fmt: skip
