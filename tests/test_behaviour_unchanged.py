"""The episodes of the built-in plan and of every example plan are what they were.

``golden/episodes.json`` holds a digest of every episode result (all but wall-clock time) as
the plans ran before; a refactoring must leave each one byte-identical. The default run
checks the first episodes of every scenario (an episode depends only on the plan seed, its
scenario and its index, not on how many run); ``-m slow`` runs every plan in full.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

from harness.campaign.run import run_plan
from harness.execution.pool import LocalBackend
from harness.plan.resolve import ResolvedPlan, load_plan

FIRST = 2  # episodes per scenario in the default run


def _digests_module() -> ModuleType:
    path = Path(__file__).with_name("golden") / "digests.py"
    spec = importlib.util.spec_from_file_location("golden_digests", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


DIGESTS = _digests_module()
GOLDEN: dict[str, dict[str, str]] = json.loads(DIGESTS.GOLDEN.read_text(encoding="utf-8"))


def _first_episodes(resolved: ResolvedPlan) -> ResolvedPlan:
    """The plan cut to its first episodes per scenario; endurance runs (long) are left out."""
    scenarios = [
        dataclasses.replace(s, episodes=min(FIRST, s.episodes)) for s in resolved.scenarios if not s.cycles
    ]
    return dataclasses.replace(resolved, scenarios=scenarios)


def _changed(expected: dict[str, str], found: dict[str, str]) -> list[str]:
    return sorted(key for key in expected.keys() | found.keys() if expected.get(key) != found.get(key))


def test_every_plan_has_golden_digests() -> None:
    assert set(GOLDEN) == set(DIGESTS.PLANS)
    assert all(len(episodes) >= 10 for episodes in GOLDEN.values())


@pytest.mark.sim
@pytest.mark.parametrize("name", sorted(DIGESTS.PLANS))
def test_the_first_episodes_of_every_plan_are_unchanged(name: str) -> None:
    resolved = _first_episodes(load_plan(DIGESTS.PLANS[name]))
    found = DIGESTS.digests(run_plan(resolved, backend=LocalBackend(2)).episodes)
    expected = {key: value for key, value in GOLDEN[name].items() if key in found}
    assert len(expected) == len(found) > 0
    assert _changed(expected, found) == [], "these episodes changed; see tests/golden/digests.py"


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(DIGESTS.PLANS))
def test_every_episode_of_every_plan_is_unchanged(name: str) -> None:
    found = DIGESTS.digests(run_plan(load_plan(DIGESTS.PLANS[name]), backend=LocalBackend()).episodes)
    assert _changed(GOLDEN[name], found) == [], "these episodes changed; see tests/golden/digests.py"
