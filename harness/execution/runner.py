"""Running a scenario's episodes, and the backends that decide where they run.

Infrastructure errors (simulator or harness) get a fresh world and up to ``MAX_ATTEMPTS``
attempts; what still fails is recorded as such and makes the run invalid, never dropped.
Where episodes run is a :class:`Backend`'s business: here in this process
(:class:`InProcessBackend`), in isolated worker processes
(``harness.execution.pool.LocalBackend``) or on a Ray cluster
(``harness.execution.ray_backend.RayBackend``); results do not depend on it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from harness.episode.endurance import run_endurance
from harness.episode.engine import BuiltScenario, failed_to_start, run_episode
from harness.errors import RoboverifyError
from harness.execution.beacon import Beacon, watch
from harness.plan.jobs import EpisodeJob
from harness.plan.resolve import ResolvedPlan, ResolvedScenario
from harness.plan.seeding import episode_seed
from harness.results import EpisodeResult

ResultHook = Callable[[EpisodeResult], None]
MAX_ATTEMPTS = 3
REBUILD_EVERY = 2000
"""Episodes per world before it is rebuilt: PyBullet never frees a removed body's collision
shape (a few KB each), and a rebuilt world gives bit-identical results to a reset one."""


class ScenarioRunner:
    """Runs one scenario's episodes on a world built once and reset per episode.

    The skill is wrapped so that ``beacon`` always says whose code runs (see ``harness.execution.beacon``);
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
    or crashes takes the caller with it. ``harness.execution.pool.LocalBackend`` isolates episodes.
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
