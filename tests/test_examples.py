"""Every example plan resolves: names, spec files and thresholds are all valid."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from harness.plan.resolve import load_plan

EXAMPLES = sorted(Path(__file__).parent.parent.joinpath("examples", "plans").glob("*.yaml"))


def test_there_are_examples() -> None:
    assert len(EXAMPLES) >= 2


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_plan_resolves(path: Path) -> None:
    resolved = load_plan(path)
    assert resolved.scenarios
    assert all(s.episodes > 0 for s in resolved.scenarios)


@pytest.mark.sim
def test_the_pytest_example_passes_as_a_user_runs_it() -> None:
    """``pytest examples/pytest``: the plan's gates as items and the fixture-based tests."""
    folder = Path(__file__).parent.parent / "examples" / "pytest"
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(folder)],
        capture_output=True, text=True, cwd=folder.parent.parent, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:]
    assert "6 passed" in done.stdout
