"""A pytester project with the fast point-robot scenario, a plan writer and a counting skill."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import scipy.stats  # noqa: F401  (harness.verdicts.statistics imports it on first use)
import yaml

# pytester's in-process runs forget the modules first imported inside them, and numpy cannot be
# imported twice in one process: load what a plan's run needs before any inner run starts (runs
# with worker processes go through runpytest_subprocess, as multiprocessing has the same trouble)
import harness.campaign.folder
import harness.pytest_plugin.asserts
import harness.pytest_plugin.items
import harness.pytest_plugin.scenario_runs
import harness.testing.hostile  # noqa: F401
from tests.conftest import REACH_SPEC

COUNTING_SKILL = '''\
"""Counts the episodes it starts, one line each in $ROBOVERIFY_COUNT_FILE."""
import os

from harness.testing.hostile import HostileSkill


class CountingSkill(HostileSkill):
    def reset(self, task, rng):
        with open(os.environ["ROBOVERIFY_COUNT_FILE"], "a", encoding="utf-8") as file:
            file.write(f"{os.getpid()}\\n")
        super().reset(task, rng)
'''

# the skill raises in about half the 30 episodes: 17 succeed (seed 0)
GATES = [
    {"min": 0.2},  # passes
    {"min": 0.5},  # inconclusive
    {"metric": "zero_events", "outcome": "skill_error"},  # fails: 13 skill errors
]
HOSTILE = "harness.testing.hostile:HostileSkill"

WritePlan = Callable[..., str]


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makefile(".yaml", reach=REACH_SPEC)
    pytester.makepyfile(counting=COUNTING_SKILL)
    pytester.makeini("[pytest]\npythonpath = .\n")
    return pytester


@pytest.fixture
def write_plan(project: pytest.Pytester) -> WritePlan:
    """Write ``NAME.plan.yaml`` in the project; returns its file name."""

    def write(name: str = "gates", skill: str = HOSTILE, rate: float = 0.5, **fields: object) -> str:
        plan = {
            "skill": {"name": skill, "params": {"behaviour": "raise", "rate": rate}},
            "scenarios": ["reach.yaml"], "episodes": 30, "criteria": {"task_success": {}},
            "gates": GATES, **fields,
        }  # fmt: skip
        (project.path / f"{name}.plan.yaml").write_text(yaml.safe_dump(plan), encoding="utf-8")
        return f"{name}.plan.yaml"

    return write
