"""Episodes on a Ray cluster: the same jobs, the same isolation, the same results as a local run.

Each Ray actor (one CPU) keeps one isolated worker process of its own (a single-worker
``harness.execution.pool.Supervisor``), so a skill that hangs, crashes or eats memory is contained
exactly as on one machine: the actor kills and replaces its worker and returns the episode's
result. This process hands out jobs (two per actor, so no actor waits for its next one) and
gets results back as they finish. Jobs go only to actors that are up, so asking for more
workers than the cluster has CPUs, or losing a node, never leaves a job waiting forever. An
actor lost with its node costs nothing but time: its jobs go to the others (and to a
replacement, once the cluster can place one), up to ``MAX_ATTEMPTS`` times; that is not the
episode's doing, so it does not count in the episode's ``attempts``.

The plan and spec files are read here; the nodes need the same Python packages (roboverify,
the skill's, any plugin's), not the files. Install with ``pip install 'roboverify[ray]'``.
"""

from __future__ import annotations

import importlib
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from harness.errors import UsageError
from harness.execution.pool import Supervisor, WorkerError
from harness.execution.runner import MAX_ATTEMPTS, ResultHook
from harness.execution.worker_deaths import DeathResults, WorkerDeath
from harness.plan.jobs import EpisodeJob
from harness.plan.resolve import ResolvedPlan
from harness.results import EpisodeResult, Outcome

JOBS_PER_ACTOR = 2


class EpisodeActor:
    """Lives in a Ray worker; runs jobs on its own isolated worker process."""

    def __init__(self, resolved: ResolvedPlan) -> None:
        self.resolved = resolved
        self.supervisor: Supervisor | None = None

    def ready(self) -> bool:
        return True

    def run(self, job: EpisodeJob) -> EpisodeResult:
        if self.supervisor is None:
            self.supervisor = Supervisor(self.resolved, 1)
        results: list[EpisodeResult] = []
        self.supervisor.run([job], results.append)
        return results[0]

    def close(self) -> None:
        if self.supervisor is not None:
            self.supervisor.close()
            self.supervisor = None


def import_ray() -> Any:
    try:
        return importlib.import_module("ray")
    except ImportError as error:
        raise UsageError(
            f"--backend ray needs Ray, which is not installed ({error}); "
            "install it with: pip install 'roboverify[ray]'"
        ) from error


class RayBackend:
    """Runs episodes as Ray actor tasks on the cluster at ``address`` (default: ``RAY_ADDRESS``,
    else a Ray instance started here), ``workers`` at a time (default: every CPU of the cluster)."""

    def __init__(self, address: str | None = None, workers: int | None = None) -> None:
        self.ray = import_ray()
        self.address, self.workers = address, workers

    @property
    def description(self) -> str:
        where = f"the Ray cluster at {self.address}" if self.address else "Ray"
        return f"{where} ({self.workers} workers)" if self.workers else where

    def run(self, resolved: ResolvedPlan, jobs: Sequence[EpisodeJob], on_result: ResultHook) -> None:
        if not jobs:
            return
        ray = self.ray
        connected_here = not ray.is_initialized()
        if connected_here:
            ray.init(address=self.address, log_to_driver=False, logging_level="warning")
        try:
            count = self.workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
            _Driver(ray, resolved, min(count, len(jobs))).run(jobs, on_result)
        finally:
            if connected_here:
                ray.shutdown()


@dataclass
class _InFlight:
    slot: int
    generation: int
    job: EpisodeJob
    losses: int  # actors lost while they held this job


class _Driver:
    def __init__(self, ray: Any, resolved: ResolvedPlan, count: int) -> None:
        self.ray, self.resolved = ray, resolved
        self.deaths = DeathResults(resolved)
        self.actor_class = ray.remote(num_cpus=1, max_restarts=0, max_task_retries=0)(EpisodeActor)
        self.actors: list[Any] = [None] * count
        self.generations = [0] * count
        self.load = [0] * count
        self.up = [False] * count
        self.starting: dict[Any, int] = {}  # readiness call -> slot
        self.in_flight: dict[Any, _InFlight] = {}
        self.pending: deque[tuple[EpisodeJob, int]] = deque()
        for slot in range(count):
            self._start(slot)

    def run(self, jobs: Sequence[EpisodeJob], on_result: ResultHook) -> None:
        self.pending.extend((job, 0) for job in jobs)
        try:
            while self.in_flight or self.pending:
                (ref,), _ = self.ray.wait([*self.in_flight, *self.starting], num_returns=1)
                if ref in self.starting:
                    self._started(ref, self.starting.pop(ref))
                else:
                    self._finish(ref, self.in_flight.pop(ref), on_result)
        finally:
            for actor in self.actors:
                self.ray.kill(actor)  # its worker process dies with it

    def _start(self, slot: int) -> None:
        self.actors[slot] = self.actor_class.remote(self.resolved)
        self.up[slot], self.load[slot] = False, 0
        self.starting[self.actors[slot].ready.remote()] = slot

    def _started(self, ref: Any, slot: int) -> None:
        try:
            self.ray.get(ref)
        except self.ray.exceptions.RayError:  # died before it was up: try again on another node
            self.generations[slot] += 1
            self._start(slot)
            return
        self.up[slot] = True
        self._feed_all()

    def _feed_all(self) -> None:
        for slot in range(len(self.actors)):
            if self.up[slot]:
                self._feed(slot)

    def _feed(self, slot: int) -> None:
        while self.load[slot] < JOBS_PER_ACTOR and self.pending:
            job, losses = self.pending.popleft()
            ref = self.actors[slot].run.remote(job)
            self.in_flight[ref] = _InFlight(slot, self.generations[slot], job, losses)
            self.load[slot] += 1

    def _finish(self, ref: Any, flight: _InFlight, on_result: ResultHook) -> None:
        exceptions = self.ray.exceptions
        current = flight.generation == self.generations[flight.slot]
        if current:
            self.load[flight.slot] -= 1
        try:
            result: EpisodeResult = self.ray.get(ref)
        except exceptions.RayTaskError as error:  # the actor raised: a problem that stops the run
            cause = getattr(error, "cause", None)
            raise (cause if isinstance(cause, WorkerError) else WorkerError(str(error))) from None
        except exceptions.RayError as error:  # the actor, or its node, is gone
            self._lost(flight, error, on_result)
        else:
            on_result(result)
        if current and self.up[flight.slot]:
            self._feed(flight.slot)

    def _lost(self, flight: _InFlight, error: Exception, on_result: ResultHook) -> None:
        if flight.generation == self.generations[flight.slot]:  # replace it once, not once per job
            self.ray.kill(self.actors[flight.slot])
            self.generations[flight.slot] += 1
            self._start(flight.slot)
        losses = flight.losses + 1
        if losses < MAX_ATTEMPTS:
            self.pending.appendleft((flight.job, losses))
            self._feed_all()
            return
        reason = f"the Ray actor running it was lost {losses} times: {type(error).__name__}: {error}"
        death = WorkerDeath(Outcome.HARNESS_ERROR, "worker", reason.splitlines()[0], 0)
        on_result(self.deaths.result(flight.job, death, 0.0, losses))
