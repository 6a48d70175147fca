"""Expands a plan into episodes (scenario x seed) and runs them, retrying infrastructure errors."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable

from harness.engine import BuiltScenario, failed_to_start, run_episode
from harness.errors import RoboverifyError
from harness.report import Report, build_report
from harness.resolve import ResolvedPlan, ResolvedScenario
from harness.results import EpisodeResult
from harness.seeding import episode_seed

ResultHook = Callable[[EpisodeResult], None]
MAX_ATTEMPTS = 3


def with_overrides(resolved: ResolvedPlan, episodes: int | None, seed: int | None) -> ResolvedPlan:
    """The same plan with the command line's episode count and seed, if given."""
    plan = resolved.plan
    if seed is not None:
        plan = plan.model_copy(update={"seed": seed})
    scenarios = resolved.scenarios
    if episodes is not None:
        scenarios = [dataclasses.replace(s, episodes=episodes) for s in scenarios]
    return dataclasses.replace(resolved, plan=plan, scenarios=scenarios)


class ScenarioRunner:
    """Runs one scenario's episodes on a world built once and reset per episode."""

    def __init__(self, resolved: ResolvedPlan, scenario: ResolvedScenario) -> None:
        self.resolved = resolved
        self.scenario = scenario
        self._built: BuiltScenario | None = None

    def run(self, index: int) -> EpisodeResult:
        """Run episode ``index``; infrastructure errors get a fresh world and another attempt."""
        seed = episode_seed(self.resolved.plan.seed, self.scenario.spec.id, index)
        attempts = 0
        while True:
            attempts += 1
            result = self._attempt(index, seed)
            if result.outcome.scored or attempts == MAX_ATTEMPTS:
                break
            self.close()  # never trust a world that just failed
        if not result.outcome.scored:
            self.close()
        return result.model_copy(update={"attempts": attempts})

    def _attempt(self, index: int, seed: int) -> EpisodeResult:
        try:
            built = self._world()
        except RoboverifyError:
            raise
        except Exception as error:
            return failed_to_start(self.scenario.spec, index, seed, f"building the world failed: {error!r}")
        return run_episode(built, self.resolved.make_skill, self.resolved.make_criteria, index, seed)

    def _world(self) -> BuiltScenario:
        if self._built is None:
            spec = self.scenario.spec
            world = self.scenario.sim_class(spec.physics_rate_hz)
            scenario = self.scenario.scenario_class(spec)
            self._built = BuiltScenario.build(scenario, world, self.resolved.skill_class.command_kind)
        return self._built

    def close(self) -> None:
        if self._built is not None:
            self._built.world.close()
            self._built = None


def run_plan(resolved: ResolvedPlan, on_result: ResultHook | None = None) -> Report:
    """Run every episode of the plan in order and build the report."""
    started = time.perf_counter()
    results: list[EpisodeResult] = []
    for scenario in resolved.scenarios:
        runner = ScenarioRunner(resolved, scenario)
        try:
            for index in range(scenario.episodes):
                result = runner.run(index)
                results.append(result)
                if on_result is not None:
                    on_result(result)
        finally:
            runner.close()
    return build_report(resolved, results, time.perf_counter() - started)
