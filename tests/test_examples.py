"""Every example plan resolves: names, spec files and thresholds are all valid."""

from __future__ import annotations

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
