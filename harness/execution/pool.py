"""Isolated worker processes on this machine: parallel episodes that survive any skill.

Each worker is a separate process with its own worlds, built once and reset per episode, and
runs one episode at a time. The supervisor (this module, in the caller's process) gives each
running episode a wall-clock deadline and watches the worker's resident memory. A worker that
overruns, grows past its limit or dies costs that one episode, recorded with the tick and the
reason; a fresh worker takes its place. Workers start from a fork server that has the harness
already imported (a few tens of milliseconds each), never by forking a process with threads.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import shutil
import tempfile
import time
from collections import deque
from collections.abc import Sequence
from multiprocessing.connection import wait
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import Any

from harness.errors import RoboverifyError
from harness.execution.memory import resident_mb
from harness.execution.runner import MAX_ATTEMPTS, ResultHook
from harness.execution.worker import Running, WorkerHandle, WorkerSettings
from harness.execution.worker_deaths import (
    DeathResults,
    WorkerDeath,
    died,
    how_it_ended,
    over_memory,
    timed_out,
)
from harness.plan.jobs import EpisodeJob
from harness.plan.resolve import ResolvedPlan
from harness.results import EpisodeResult

POLL_S = 0.05
"""How often deadlines and memory are checked while nothing else happens."""
STARTUP_FAILURES = 3
"""Workers in a row that die before they are ready before the run gives up."""


class WorkerError(RoboverifyError):
    """Workers cannot start, or one reported a problem that stops the whole run."""

    def __init__(self, message: str, exit_code: int = 4) -> None:
        super().__init__(message)
        self.exit_code = exit_code

    def __reduce__(self) -> tuple[type[WorkerError], tuple[str, int]]:
        return WorkerError, (str(self), self.exit_code)  # crosses process boundaries (Ray) intact


def default_workers() -> int:
    """The cores this process may run on (a container's or a batch job's share, not the host's)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


class Supervisor:
    """Runs jobs on ``workers`` isolated processes; kept open between :meth:`run` calls."""

    def __init__(self, resolved: ResolvedPlan, workers: int, *, log: Path | None = None) -> None:
        if workers < 1:
            raise ValueError(f"workers must be at least 1, got {workers}")
        self.resolved = resolved
        self.deaths = DeathResults(resolved)
        self.context = _context(resolved)
        self.log = log
        self.scratch = Path(tempfile.mkdtemp(prefix="roboverify-workers-"))
        self.started = 0
        self.startup_failures = 0
        self.numbers = 0
        self.handles: list[WorkerHandle] = []
        try:
            self.handles = [self._start() for _ in range(workers)]
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> Supervisor:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close(graceful=exc_info[0] is None)

    def run(self, jobs: Sequence[EpisodeJob], on_result: ResultHook) -> None:
        pending: deque[tuple[EpisodeJob, int]] = deque((job, 1) for job in jobs)
        while pending or any(h.running for h in self.handles):
            self._dispatch(pending)
            self._wait()
            for index, handle in enumerate(self.handles):
                if self._check(handle, pending, on_result):
                    handle.release()
                    self.handles[index] = self._start()

    def close(self, graceful: bool = True) -> None:
        for handle in self.handles:
            if graceful and handle.running is None:
                handle.stop()
            else:
                handle.kill()
            handle.release()
        self.handles = []
        shutil.rmtree(self.scratch, ignore_errors=True)

    def _start(self) -> WorkerHandle:
        self.started += 1
        settings = WorkerSettings(
            crash_report=str(self.scratch / f"worker-{self.started}.crash"),
            log=str(self.log) if self.log is not None else None,
        )
        return WorkerHandle(self.context, self.resolved, settings)

    def _dispatch(self, pending: deque[tuple[EpisodeJob, int]]) -> None:
        for handle in self.handles:
            if not pending:
                return
            if handle.ready and handle.running is None:
                job, attempt = pending.popleft()
                self.numbers += 1
                now = time.monotonic()
                entry = self.deaths.entries[job.scenario]
                limit = self.resolved.plan.limits.episode_wall_s_for(entry.spec, entry.cycles)
                handle.submit(Running(job, self.numbers, attempt, now, now + limit))

    def _wait(self) -> None:
        deadlines = [h.running.deadline for h in self.handles if h.running]
        timeout = POLL_S
        if deadlines:
            timeout = max(0.0, min(timeout, min(deadlines) - time.monotonic()))
        wait([w for h in self.handles for w in h.waitables], timeout)

    def _check(
        self, handle: WorkerHandle, pending: deque[tuple[EpisodeJob, int]], on_result: ResultHook
    ) -> bool:
        """Handle what the worker said and how it is doing; True when it must be replaced."""
        for message in handle.messages():
            self._receive(handle, message, on_result)
        if handle.process.exitcode is not None or not handle.process.is_alive():
            self._lost(handle, pending, on_result)
            return True
        running = handle.running
        if running is None:
            return False
        limits = self.resolved.plan.limits
        death: WorkerDeath | None = None
        if time.monotonic() > running.deadline:
            entry = self.deaths.entries[running.job.scenario]
            death = timed_out(handle.position(), limits.episode_wall_s_for(entry.spec, entry.cycles))
        else:
            resident = resident_mb(handle.process.pid)
            if resident is not None and resident > limits.worker_memory_mb:
                death = over_memory(handle.position(), limits.worker_memory_mb)
        if death is None:
            return False
        handle.kill()
        self._death(running, death, pending, on_result)
        handle.running = None
        return True

    def _receive(self, handle: WorkerHandle, message: tuple[Any, ...], on_result: ResultHook) -> None:
        kind = message[0]
        if kind == "ready":
            handle.ready = True
            self.startup_failures = 0
        elif kind == "failed":
            raise WorkerError(f"a worker process could not start:\n{message[1]}")
        elif kind == "error":
            raise WorkerError(message[2], message[3])
        elif kind == "result" and handle.running is not None and message[1] == handle.running.number:
            result: EpisodeResult = message[2]
            extra = handle.running.attempt - 1  # earlier attempts on workers that died
            handle.running = None
            on_result(result.model_copy(update={"attempts": result.attempts + extra}) if extra else result)

    def _lost(
        self, handle: WorkerHandle, pending: deque[tuple[EpisodeJob, int]], on_result: ResultHook
    ) -> None:
        handle.process.join(1)
        running = handle.running
        if running is not None:
            report = handle.crash_report()
            death = died(handle.position(), handle.process.exitcode, report)
            self._keep(f"episode {running.job.index} of {running.job.scenario}: {death.reason}", report)
            self._death(running, death, pending, on_result)
            handle.running = None
        elif not handle.ready:
            self.startup_failures += 1
            if self.startup_failures >= STARTUP_FAILURES:
                ended = how_it_ended(handle.process.exitcode)
                raise WorkerError(
                    f"{STARTUP_FAILURES} worker processes in a row {ended} before they were ready; "
                    "their error output above (or in the workers log) says why"
                )

    def _keep(self, headline: str, crash_report: str) -> None:
        """A fatal-signal dump (the Python stack of every frame) goes to the workers log."""
        if self.log is None or not crash_report:
            return
        with contextlib.suppress(OSError), open(self.log, "a", encoding="utf-8") as log:
            log.write(f"--- {headline}\n{crash_report.rstrip()}\n")

    def _death(
        self,
        running: Running,
        death: WorkerDeath,
        pending: deque[tuple[EpisodeJob, int]],
        on_result: ResultHook,
    ) -> None:
        if death.retry and running.attempt < MAX_ATTEMPTS:
            pending.appendleft((running.job, running.attempt + 1))  # next free worker, fresh world
            return
        wall_s = time.monotonic() - running.started
        on_result(self.deaths.result(running.job, death, wall_s, running.attempt))


def _context(resolved: ResolvedPlan) -> BaseContext:
    """A fork server with the harness and the plan's plugins imported, where the platform has one."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    modules = {resolved.skill_class.__module__, *(c.criterion_class.__module__ for c in resolved.criteria)}
    for entry in resolved.scenarios:
        modules |= {entry.scenario_class.__module__, entry.sim_class.__module__, entry.skill_class.__module__}
    # only effective before the server first starts: later plans import their plugins per worker
    context.set_forkserver_preload([WorkerHandle.__module__, *sorted(modules)])
    return context


class LocalBackend:
    """Runs episodes on ``workers`` isolated processes (default: every core this process may use).

    ``log``: a file the workers' standard output and error go to, instead of the terminal.
    """

    def __init__(self, workers: int | None = None, *, log: Path | None = None) -> None:
        self.workers = workers or default_workers()
        self.log = log

    @property
    def description(self) -> str:
        plural = "es" if self.workers != 1 else ""
        return f"{self.workers} worker process{plural}"

    def run(self, resolved: ResolvedPlan, jobs: Sequence[EpisodeJob], on_result: ResultHook) -> None:
        if not jobs:
            return
        try:
            with Supervisor(resolved, min(self.workers, len(jobs)), log=self.log) as supervisor:
                supervisor.run(jobs, on_result)
        finally:
            if self.log is not None and self.log.is_file() and self.log.stat().st_size == 0:
                self.log.unlink()  # nothing was printed: no empty file to wonder about
