"""Shared fixtures: plans resolved from the built-in specs, ready to run."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from harness.resolve import ResolvedPlan, load_plan


@pytest.fixture
def write_plan(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Write a plan dict as YAML and return its resolved form."""

    def write(**fields: object) -> ResolvedPlan:
        plan = {"skill": "pick_place", "scenarios": ["workstation/pick_place-v1"], "episodes": 2, **fields}
        path = tmp_path / "plan.yaml"
        path.write_text(yaml.safe_dump(plan), encoding="utf-8")
        return load_plan(path)

    return write
