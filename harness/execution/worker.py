"""The worker process, and the supervisor's handle on one.

A worker builds each scenario's world once, then runs the episodes it is sent.

Protocol over one duplex pipe (pickled tuples)::

    supervisor -> worker   (job_number, EpisodeJob) | None (stop)
    worker -> supervisor   ("ready", pid) | ("result", job_number, EpisodeResult)
                           | ("failed", traceback text) | ("error", job_number, message, exit code)

Everything a hang or a crash must not hide lives in the shared beacon (``harness.execution.beacon``),
which the supervisor reads without the worker's help.
"""

from __future__ import annotations

import contextlib
import ctypes
import faulthandler
import os
import signal
import sys
import threading
import time
import traceback
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import IO, Any

from harness.episode.phases import describe
from harness.errors import RoboverifyError
from harness.execution.beacon import Beacon, Phase, Position
from harness.execution.runner import ScenarioRunner
from harness.execution.worker_deaths import DeathResults
from harness.plan.jobs import EpisodeJob
from harness.plan.resolve import ResolvedPlan
from harness.results import EpisodeResult, Outcome, Timing

PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class WorkerSettings:
    crash_report: str  # file faulthandler writes to when the process dies of a signal
    log: str | None = None  # file the worker's stdout and stderr go to (None: inherited)


def worker_main(conn: Connection, shared: Any, resolved: ResolvedPlan, settings: WorkerSettings) -> None:
    """Entry point of a worker process (see ``harness.execution.pool``)."""
    try:
        crash_report = _isolate(settings)
        runners = _Runners(resolved, Beacon.over(shared))
    except BaseException:
        conn.send(("failed", traceback.format_exc()))
        raise SystemExit(1) from None
    conn.send(("ready", os.getpid()))
    try:
        _serve(conn, runners)
    finally:
        runners.close()
        crash_report.close()


def _isolate(settings: WorkerSettings) -> IO[str]:
    """Own process group (killed as a whole, skill subprocesses too; Ctrl-C reaches only the
    supervisor), die with the supervisor, no core files, a Python stack on fatal signals."""
    os.setpgrp()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent()
    with contextlib.suppress(ImportError, ValueError, OSError):
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if settings.log is not None:
        log = os.open(settings.log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        os.dup2(log, 1)
        os.dup2(log, 2)
        os.close(log)
    crash_report = open(settings.crash_report, "w", encoding="utf-8")  # noqa: SIM115 - lives as long as the process
    faulthandler.enable(crash_report, all_threads=False)
    return crash_report


def _die_with_parent() -> None:
    """A worker must not outlive its supervisor (``kill -9`` of the runner): the kernel kills it
    on Linux; elsewhere a thread polls the parent, which works unless the skill holds the GIL."""
    parent = os.getppid()
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        if sys.platform.startswith("linux") and libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL) == 0:
            if os.getppid() != parent:  # the parent died before prctl took effect
                os._exit(1)
            return

    def watch_parent() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch_parent, name="roboverify-parent-watch", daemon=True).start()


def _serve(conn: Connection, runners: _Runners) -> None:
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return  # the supervisor is gone
        if message is None:
            return
        number, job = message
        try:
            reply: tuple[Any, ...] = ("result", number, runners.run(number, job))
        except RoboverifyError as error:  # a usage problem found while building, as in-process
            reply = ("error", number, str(error), error.exit_code)
        try:
            conn.send(reply)
        except (BrokenPipeError, OSError):
            return


class _Runners:
    """One :class:`ScenarioRunner` per scenario, only the current scenario's world kept open."""

    def __init__(self, resolved: ResolvedPlan, beacon: Beacon) -> None:
        self.resolved, self.beacon = resolved, beacon
        self.entries = {entry.spec.id: entry for entry in resolved.scenarios}
        self.runners: dict[str, ScenarioRunner] = {}

    def run(self, number: int, job: EpisodeJob) -> EpisodeResult:
        for scenario_id in [s for s in self.runners if s != job.scenario]:
            self.runners.pop(scenario_id).close()  # jobs come in plan order: that world is done
        runner = self.runners.get(job.scenario)
        if runner is None:
            runner = self.runners[job.scenario] = ScenarioRunner(
                self.resolved, self.entries[job.scenario], self.beacon
            )
        self.beacon.start(number)
        started = time.perf_counter()
        try:
            return runner.run_job(job)
        except RoboverifyError:
            raise
        except BaseException as error:  # escaped the engine: the harness's own bug
            runner.close()
            return _escaped(job, error, time.perf_counter() - started, DeathResults(self.resolved))
        finally:
            self.beacon.idle()

    def close(self) -> None:
        for runner in self.runners.values():
            runner.close()


def _escaped(job: EpisodeJob, error: BaseException, wall_s: float, deaths: DeathResults) -> EpisodeResult:
    return EpisodeResult(
        scenario=job.scenario,
        index=job.index,
        seed=job.seed,
        outcome=Outcome.HARNESS_ERROR,
        ended_by="worker",
        reason=f"harness raised {describe(error)}",
        conditions=deaths.conditions(job),
        criteria=[],
        timing=Timing(sim_s=0.0, ticks=0, physics_steps=0, wall_s=wall_s),
    )


@dataclass
class Running:
    job: EpisodeJob
    number: int
    attempt: int
    started: float
    deadline: float


class WorkerHandle:
    """The supervisor's side of one worker process."""

    def __init__(self, context: BaseContext, resolved: ResolvedPlan, settings: WorkerSettings) -> None:
        shared = Beacon.allocate(context)
        self.beacon = Beacon.over(shared)
        self.settings = settings
        self.conn, child = context.Pipe()
        self.process = context.Process(  # type: ignore[attr-defined]
            target=worker_main, args=(child, shared, resolved, settings), daemon=True
        )
        self.process.start()
        child.close()
        self.ready = False
        self.running: Running | None = None

    @property
    def waitables(self) -> list[Any]:
        return [self.conn, self.process.sentinel]

    def submit(self, running: Running) -> None:
        self.running = running
        self.conn.send((running.number, running.job))

    def messages(self) -> list[tuple[Any, ...]]:
        received = []
        with contextlib.suppress(EOFError, OSError):
            while self.conn.poll():
                received.append(self.conn.recv())
        return received

    def position(self) -> Position:
        """Where the worker is in its current job (nothing yet if it has not picked it up)."""
        seen = self.beacon.read()
        if self.running is None or seen.job != self.running.number:
            return Position(-1, -1, Phase.IDLE, False)
        return seen

    def crash_report(self) -> str:
        try:
            return Path(self.settings.crash_report).read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""

    def kill(self) -> None:
        """The whole process group: whatever the skill started goes too."""
        pid = self.process.pid
        if pid is not None and self.process.exitcode is None:
            with contextlib.suppress(OSError):
                os.killpg(pid, signal.SIGKILL)
            with contextlib.suppress(OSError):
                self.process.kill()
        self.process.join(5)

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.conn.send(None)
        self.process.join(2)
        self.kill()

    def release(self) -> None:
        self.conn.close()
        with contextlib.suppress(OSError):
            os.unlink(self.settings.crash_report)
