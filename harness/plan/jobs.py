"""From a resolved plan to jobs: one per episode (scenario x index x seed x conditions).

Also the command line's overrides (episodes, seed, interval method) and the plan a conditions
file implies; every job carries what it needs to be reproduced in any process, in any order.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from harness.plan.conditions import ConditionsByScenario
from harness.plan.resolve import ResolvedPlan
from harness.plan.seeding import episode_seed
from harness.results import EpisodeResult
from harness.scenario import Conditions


@dataclass(frozen=True)
class EpisodeJob:
    """One episode to run: everything needed to reproduce it, in any process, in any order."""

    scenario: str
    index: int
    seed: int
    conditions: Conditions | None = None


def with_overrides(
    resolved: ResolvedPlan, episodes: int | None, seed: int | None, intervals: str | None = None
) -> ResolvedPlan:
    """The same plan with the command line's episode count, seed and interval method, if given."""
    plan = resolved.plan
    if seed is not None:
        plan = plan.model_copy(update={"seed": seed})
    if intervals is not None:
        plan = plan.model_copy(update={"intervals": intervals})
    scenarios = resolved.scenarios
    if episodes is not None:  # endurance runs keep their number: each is a long run of its own
        scenarios = [s if s.cycles else dataclasses.replace(s, episodes=episodes) for s in scenarios]
    return dataclasses.replace(resolved, plan=plan, scenarios=scenarios)


def with_conditions(resolved: ResolvedPlan, given: ConditionsByScenario) -> ResolvedPlan:
    """The plan with as many episodes per scenario as the conditions file holds."""
    scenarios = [dataclasses.replace(s, episodes=len(given[s.spec.id])) for s in resolved.scenarios]
    return dataclasses.replace(resolved, scenarios=scenarios)


def plan_jobs(resolved: ResolvedPlan, given: ConditionsByScenario | None = None) -> list[EpisodeJob]:
    """Every episode of the plan, in plan order (scenario, then index)."""
    if given is not None:
        return [
            EpisodeJob(record.scenario, record.index, record.seed, dict(record.conditions))
            for entry in resolved.scenarios
            for record in given[entry.spec.id]
        ]
    return [
        EpisodeJob(entry.spec.id, index, episode_seed(resolved.plan.seed, entry.spec.id, index))
        for entry in resolved.scenarios
        for index in range(entry.episodes)
    ]


def rerun_jobs(episodes: Sequence[EpisodeResult], per_scenario: int) -> list[EpisodeJob]:
    """The first ``per_scenario`` scored episodes of every scenario, exactly as they ran."""
    jobs: list[EpisodeJob] = []
    for scenario in dict.fromkeys(e.scenario for e in episodes):
        mine = sorted(
            (e for e in episodes if e.scenario == scenario and e.outcome.scored), key=lambda e: e.index
        )
        jobs += [EpisodeJob(e.scenario, e.index, e.seed, dict(e.conditions)) for e in mine[:per_scenario]]
    return jobs
