"""Results of episodes that ended with their worker: killed at a limit, or dead by itself.

The supervisor builds them from what it knows without the worker: the job, the beacon's last
position (tick, and whether the skill's code was running) and how the process ended. Their
criteria died with the worker, so they carry no criterion results.
"""

from __future__ import annotations

import re
import signal
import sysconfig
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from harness.execution.beacon import Position
from harness.plan.jobs import EpisodeJob
from harness.plan.resolve import ResolvedPlan
from harness.plan.seeding import EpisodeStreams
from harness.results import EpisodeResult, Outcome, Timing
from harness.scenario import Conditions


@dataclass(frozen=True)
class WorkerDeath:
    """Why an episode's worker stopped, and whose fault that is."""

    outcome: Outcome
    ended_by: str
    reason: str
    ticks: int

    @property
    def retry(self) -> bool:
        """Infrastructure failures get another attempt on a fresh worker; the skill's do not."""
        return not self.outcome.scored


def timed_out(position: Position, limit_s: float) -> WorkerDeath:
    reason = (
        f"exceeded the {limit_s:g} s wall-clock limit (limits.episode_wall_s) {position.where}; "
        "the worker was killed"
    )
    return _death(position, position.phase.in_skill, reason)


def over_memory(position: Position, limit_mb: int) -> WorkerDeath:
    """Charged to the skill once it exists in this episode: the harness's own footprint is set
    when the world is built and stays flat while episodes run. The reason leaves out the
    measured size, which depends on when it was sampled, so results stay reproducible."""
    reason = (
        f"the worker's memory went over the {limit_mb} MB limit (limits.worker_memory_mb) "
        f"{position.where}; the worker was killed"
    )
    return _death(position, position.skill_seen, reason)


def died(position: Position, exitcode: int | None, crash_report: str = "") -> WorkerDeath:
    frame = last_frame(crash_report)
    reason = f"the worker {how_it_ended(exitcode)} {position.where}"
    if frame:
        reason += f"; last Python frame: {frame}"
    return _death(position, position.phase.in_skill, reason)


def how_it_ended(exitcode: int | None) -> str:
    if exitcode is None:
        return "stopped answering"
    if exitcode < 0:
        try:
            return f"died with {signal.Signals(-exitcode).name}"
        except ValueError:
            return f"died with signal {-exitcode}"
    return f"exited with status {exitcode}"


def _death(position: Position, skills_fault: bool, reason: str) -> WorkerDeath:
    outcome = Outcome.SKILL_ERROR if skills_fault else Outcome.HARNESS_ERROR
    return WorkerDeath(outcome, position.ended_by, reason, max(position.tick, 0))


_FRAME = re.compile(r'^\s+File "(?P<file>.+)", line (?P<line>\d+) in (?P<function>\S+)', re.MULTILINE)


def last_frame(crash_report: str) -> str:
    """The innermost frame of a faulthandler dump that is not the standard library's own."""
    frames = [m.groupdict() for m in _FRAME.finditer(crash_report)]
    stdlib = _stdlib()
    own = [f for f in frames if not f["file"].startswith(stdlib)]
    chosen = (own or frames)[:1]
    return "".join(f"{f['file']}:{f['line']} in {f['function']}" for f in chosen)


@cache
def _stdlib() -> str:
    return str(Path(sysconfig.get_paths()["stdlib"]))


class DeathResults:
    """Makes the :class:`EpisodeResult` of an episode that died with its worker, with the
    episode's conditions recomputed from its seed exactly as the worker drew them, so the
    episode can be reproduced."""

    def __init__(self, resolved: ResolvedPlan) -> None:
        self.entries = {entry.spec.id: entry for entry in resolved.scenarios}

    def result(self, job: EpisodeJob, death: WorkerDeath, wall_s: float, attempts: int) -> EpisodeResult:
        spec = self.entries[job.scenario].spec
        return EpisodeResult(
            scenario=job.scenario,
            index=job.index,
            seed=job.seed,
            outcome=death.outcome,
            ended_by=death.ended_by,
            reason=death.reason,
            conditions=self.conditions(job),
            criteria=[],
            timing=Timing(
                sim_s=death.ticks * spec.control_dt,
                ticks=death.ticks,
                physics_steps=death.ticks * spec.substeps,
                wall_s=wall_s,
            ),
            attempts=attempts,
        )

    def conditions(self, job: EpisodeJob) -> Conditions:
        if job.conditions is not None:
            return dict(job.conditions)
        entry = self.entries[job.scenario]
        scenario = entry.scenario_class(entry.spec)
        return scenario.sample_conditions(EpisodeStreams.from_seed(job.seed).scenario)
