"""Expands a plan into episodes (scenario x seed x conditions) and runs them.

Infrastructure errors (simulator or harness) get a fresh world and up to ``MAX_ATTEMPTS``
attempts; what still fails is recorded as such and makes the run invalid, never dropped.
Where episodes run is a :class:`Backend`'s business: here in this process
(:class:`InProcessBackend`), in isolated worker processes (``harness.pool.LocalBackend``) or
on a Ray cluster (``harness.ray_backend.RayBackend``); results do not depend on it.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from harness.conditions import ConditionsByScenario
from harness.endurance import run_endurance
from harness.engine import BuiltScenario, failed_to_start, run_episode
from harness.errors import RoboverifyError
from harness.report import Report, build_report
from harness.resolve import ResolvedPlan, ResolvedScenario
from harness.results import EpisodeResult
from harness.scenario import Conditions
from harness.seeding import episode_seed
from harness.sequential_run import decision_of, keep_decided, sequential_test, wave_size
from harness.watch import Beacon, watch

ResultHook = Callable[[EpisodeResult], None]
MAX_ATTEMPTS = 3
REBUILD_EVERY = 2000
"""Episodes per world before it is rebuilt: PyBullet never frees a removed body's collision
shape (a few KB each), and a rebuilt world gives bit-identical results to a reset one."""


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


class ScenarioRunner:
    """Runs one scenario's episodes on a world built once and reset per episode.

    The skill is wrapped so that ``beacon`` always says whose code runs (see ``harness.watch``);
    a worker process passes the beacon its supervisor reads.
    """

    def __init__(
        self, resolved: ResolvedPlan, scenario: ResolvedScenario, beacon: Beacon | None = None
    ) -> None:
        self.resolved = resolved
        self.scenario = scenario
        self._built: BuiltScenario | None = None
        self._episodes_on_world = 0
        in_worker = beacon is not None
        self.make_skill = watch(scenario.make_skill, beacon or Beacon(), catch_interrupts=in_worker)

    def run(self, index: int) -> EpisodeResult:
        """Run episode ``index`` of the plan (seed derived from the plan seed)."""
        seed = episode_seed(self.resolved.plan.seed, self.scenario.spec.id, index)
        return self.run_job(EpisodeJob(self.scenario.spec.id, index, seed))

    def run_job(self, job: EpisodeJob) -> EpisodeResult:
        """Run one episode; infrastructure errors get a fresh world and another attempt."""
        attempts = 0
        while True:
            attempts += 1
            result = self._attempt(job)
            if result.outcome.scored or attempts == MAX_ATTEMPTS:
                break
            self.close()  # never trust a world that just failed
        if not result.outcome.scored:
            self.close()
        return result.model_copy(update={"attempts": attempts})

    def _attempt(self, job: EpisodeJob) -> EpisodeResult:
        try:
            built = self._world()
        except RoboverifyError:
            raise
        except Exception as error:
            reason = f"building the world failed: {error!r}"
            return failed_to_start(self.scenario.spec, job.index, job.seed, reason)
        entry, make_criteria = self.scenario, self.resolved.make_criteria
        if entry.cycles:
            return run_endurance(
                built, self.make_skill, make_criteria, job.index, job.seed, entry.cycles,
                entry.cycle_ticks, job.conditions,
            )  # fmt: skip
        return run_episode(built, self.make_skill, make_criteria, job.index, job.seed, job.conditions)

    def _world(self) -> BuiltScenario:
        if self._episodes_on_world >= REBUILD_EVERY:
            self.close()
        self._episodes_on_world += 1
        if self._built is None:
            spec = self.scenario.spec
            world = self.scenario.sim_class(spec.physics_rate_hz)
            scenario = self.scenario.scenario_class(spec)
            self._built = BuiltScenario.build(scenario, world, self.scenario.skill_class.command_kind)
        return self._built

    def close(self) -> None:
        self._episodes_on_world = 0
        if self._built is not None:
            self._built.world.close()
            self._built = None


class Backend(Protocol):
    """Runs episodes somewhere and hands each result to ``on_result``, in any order."""

    def run(self, resolved: ResolvedPlan, jobs: Sequence[EpisodeJob], on_result: ResultHook) -> None: ...


class InProcessBackend:
    """One episode after another in this process: no isolation and no limits.

    For library use and debugging (a breakpoint in a skill works here); a skill that hangs
    or crashes takes the caller with it. ``harness.pool.LocalBackend`` isolates episodes.
    """

    def run(self, resolved: ResolvedPlan, jobs: Sequence[EpisodeJob], on_result: ResultHook) -> None:
        runners = {entry.spec.id: ScenarioRunner(resolved, entry) for entry in resolved.scenarios}
        previous = None
        try:
            for job in jobs:
                if previous is not None and previous != job.scenario:
                    runners[previous].close()  # jobs come grouped by scenario: that world is done
                previous = job.scenario
                on_result(runners[job.scenario].run_job(job))
        finally:
            for runner in runners.values():
                runner.close()


def run_plan(
    resolved: ResolvedPlan,
    on_result: ResultHook | None = None,
    given: ConditionsByScenario | None = None,
    *,
    backend: Backend | None = None,
    done: Sequence[EpisodeResult] = (),
) -> Report:
    """Run every episode of the plan not already ``done`` and build the report.

    ``backend`` defaults to :class:`InProcessBackend`. ``done`` holds results of an earlier,
    interrupted run (from its journal); only the missing episodes run.
    """
    if given is not None:
        resolved = with_conditions(resolved, given)
    started = time.perf_counter()
    finished = {(result.scenario, result.index): result for result in done}
    jobs = [job for job in plan_jobs(resolved, given) if (job.scenario, job.index) not in finished]
    results = list(finished.values())

    def collect(result: EpisodeResult) -> None:
        results.append(result)
        if on_result is not None:
            on_result(result)

    backend = backend or InProcessBackend()
    if resolved.plan.sequential is None:
        backend.run(resolved, jobs, collect)
        return build_report(resolved, results, time.perf_counter() - started)
    endurance = {s.spec.id for s in resolved.scenarios if s.cycles}
    _run_in_waves(resolved, [j for j in jobs if j.scenario not in endurance], results, collect, backend)
    if endurance:
        backend.run(resolved, [j for j in jobs if j.scenario in endurance], collect)
    kept, used = keep_decided(resolved, results)
    scenarios = [dataclasses.replace(s, episodes=used[s.spec.id]) for s in resolved.scenarios]
    return build_report(
        dataclasses.replace(resolved, scenarios=scenarios), kept, time.perf_counter() - started
    )


def _run_in_waves(
    resolved: ResolvedPlan,
    jobs: list[EpisodeJob],
    results: list[EpisodeResult],
    collect: ResultHook,
    backend: Backend,
) -> None:
    """Run each scenario's next episodes until its sequential gate is decided or capped."""
    settings = resolved.plan.sequential
    assert settings is not None
    size = wave_size(getattr(backend, "workers", 1))
    sequential = [s for s in resolved.scenarios if not s.cycles]
    pending = {s.spec.id: [j for j in jobs if j.scenario == s.spec.id] for s in sequential}
    while True:
        wave = []
        for entry in sequential:
            mine = {r.index: r for r in results if r.scenario == entry.spec.id}
            test, confidence = sequential_test(resolved, entry.spec.id, settings)
            if decision_of(mine, test, entry.episodes, confidence) is None:
                wave += pending[entry.spec.id][:size]
                del pending[entry.spec.id][:size]
        if not wave:
            return
        backend.run(resolved, wave, collect)


def rerun_jobs(episodes: Sequence[EpisodeResult], per_scenario: int) -> list[EpisodeJob]:
    """The first ``per_scenario`` scored episodes of every scenario, exactly as they ran."""
    jobs: list[EpisodeJob] = []
    for scenario in dict.fromkeys(e.scenario for e in episodes):
        mine = sorted(
            (e for e in episodes if e.scenario == scenario and e.outcome.scored), key=lambda e: e.index
        )
        jobs += [EpisodeJob(e.scenario, e.index, e.seed, dict(e.conditions)) for e in mine[:per_scenario]]
    return jobs
