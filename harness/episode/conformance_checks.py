"""The conformance checks: each turns the recorded runs of one scenario into findings."""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from harness.episode.commands import validate_command
from harness.episode.findings import Finding, failed, passed, warned
from harness.episode.recording import SkillLog
from harness.errors import InvalidCommand
from harness.results import EpisodeResult
from harness.skill import CommandSpace


@dataclass(frozen=True)
class EpisodeRun:
    """One recorded episode: which one it was, what the skill did and how it ended."""

    index: int
    seed: int
    log: SkillLog
    result: EpisodeResult

    @property
    def name(self) -> str:
        return f"episode {self.index} (seed {self.seed})"


@dataclass(frozen=True)
class Runs:
    """Everything run on one scenario: the episodes, the same seeds again, and the reuse pair."""

    scenario: str
    space: CommandSpace
    control_dt: float
    declared_keys: tuple[str, ...]
    first: Sequence[EpisodeRun]
    again: Sequence[EpisodeRun]
    reused: EpisodeRun
    """Episode 1 run by the object that had just run episode 0."""
    fresh: EpisodeRun
    """Episode 1 run by a fresh object."""

    @property
    def every(self) -> list[EpisodeRun]:
        return [*self.first, *self.again, self.reused, self.fresh]


Check = Callable[[Runs], list[Finding]]

COMMAND_FIXES = {
    "commands.shape": "return a flat vector of task.command_space.size numbers, ordered as its names",
    "commands.finite": "guard the computation that made it (a division by zero, a NaN reading) "
    "and return a safe command instead",
    "commands.limits": "clip the command to task.command_space.low and .high before returning it",
}


def observation_findings(runs: Runs) -> list[Finding]:
    declared = set(runs.declared_keys)
    provided = set().union(*(run.log.keys_provided for run in runs.first))
    keys = ", ".join(sorted(declared)) or "none"
    check, expected = "interface.observation_keys", f"the scenario provides every declared key ({keys})"
    missing = sorted(declared - provided)
    if missing and provided:  # nothing provided: act never ran, another check says why
        fix = "remove them from observation_keys, or check on a scenario that provides them"
        return [failed(check, expected, f"not provided: {', '.join(missing)}", fix, runs.scenario)]
    return [passed(check, expected, f"all {len(declared)} provided", runs.scenario)]


def undeclared_read_findings(runs: Runs) -> list[Finding]:
    declared = set(runs.declared_keys)
    read = set().union(*(run.log.keys_read for run in runs.first))
    check = "interface.undeclared_reads"
    expected = f"act reads only declared keys ({', '.join(sorted(declared)) or 'none'})"
    undeclared = sorted(read - declared)
    if undeclared:
        fix = "add them to observation_keys, or stop reading them"
        return [failed(check, expected, f"also read: {', '.join(undeclared)}", fix, runs.scenario)]
    return [passed(check, expected, f"read {len(read)} of {len(declared)} declared", runs.scenario)]


def act_findings(runs: Runs) -> list[Finding]:
    errors = [(run, run.log.errors["act"]) for run in runs.first if "act" in run.log.errors]
    if not errors:
        return [passed("commands.act", "act returns a command", "no errors", runs.scenario)]
    run, error = errors[0]
    found = f"{run.name}, {run.result.ended_by}: {error} ({len(errors)} of {len(runs.first)} episodes)"
    fix = "fix the error, or catch it in act and return a safe command (e.g. stand still)"
    return [failed("commands.act", "act returns a command without raising", found, fix, runs.scenario)]


def command_findings(runs: Runs) -> list[Finding]:
    problems: dict[str, list[tuple[EpisodeRun, int, str]]] = {check: [] for check in COMMAND_FIXES}
    total = 0
    for run in runs.first:
        for tick, raw in enumerate(run.log.commands):
            total += 1
            problem = command_problem(raw, runs.space, tick)
            if problem is not None:
                problems[problem[0]].append((run, tick, problem[1]))
    return [_command_finding(check, found, total, runs) for check, found in problems.items()]


def _command_finding(
    check: str, problems: list[tuple[EpisodeRun, int, str]], total: int, runs: Runs
) -> Finding:
    space = runs.space
    expected = {
        "commands.shape": f"a '{space.kind}' vector of shape ({space.size},) ({', '.join(space.names)})",
        "commands.finite": "finite numbers only",
        "commands.limits": "every entry within the command space's limits",
    }[check]
    if not problems:
        return passed(check, expected, f"{total} commands", runs.scenario)
    run, tick, reason = problems[0]
    found = f"{run.name}, tick {tick}: {reason} ({len(problems)} of {total} commands)"
    return failed(check, expected, found, COMMAND_FIXES[check], runs.scenario)


def command_problem(raw: Any, space: CommandSpace, tick: int) -> tuple[str, str] | None:
    """(check, reason) of the first thing wrong with ``raw``, judged as the engine judges it."""
    try:
        validate_command(raw, space, tick)
    except InvalidCommand as error:
        return _category(raw, space), error.reason
    return None


def _category(raw: Any, space: CommandSpace) -> str:
    if not isinstance(raw, np.ndarray) or raw.shape != (space.size,):
        return "commands.shape"
    return "commands.limits" if np.isfinite(raw).all() else "commands.finite"


def latency_findings(runs: Runs) -> list[Finding]:
    seconds = [s for run in runs.first for s in run.log.act_seconds]
    period = runs.control_dt
    expected = f"act returns within the control period ({period * 1e3:.1f} ms)"
    if not seconds:
        return [passed("commands.latency", expected, "act was not called", runs.scenario)]
    median, slowest = statistics.median(seconds), max(seconds)
    found = f"median {median * 1e3:.2f} ms, slowest {slowest * 1e3:.2f} ms per call"
    fix = "move heavy work out of act (e.g. into reset) or make it cheaper; act runs every tick"
    if median > period:
        return [failed("commands.latency", expected, found, fix, runs.scenario)]
    if slowest > period:
        return [warned("commands.latency", expected, found, fix, runs.scenario)]
    return [passed("commands.latency", expected, found, runs.scenario)]


def determinism_findings(runs: Runs) -> list[Finding]:
    expected = "the same seed gives the same commands (fresh skill objects)"
    for first, again in zip(runs.first, runs.again, strict=True):
        tick = first_difference(first.log.commands, again.log.commands)
        if tick is not None:
            found = f"{first.name}: the two runs differ from tick {tick}"
            fix = (
                "draw every random number from the rng given to reset, not from the random module, "
                "numpy's global functions, the clock or an unseeded generator"
            )
            return [failed("determinism", expected, found, fix, runs.scenario)]
    found = f"{len(runs.first)} episodes repeated exactly"
    return [passed("determinism", expected, found, runs.scenario)]


def state_leak_findings(runs: Runs) -> list[Finding]:
    expected = "after reset, a reused object acts as a fresh one"
    if not _repeats(runs):  # any difference could be chance, not state
        found = "not judged: the same seed already gives different commands (see determinism)"
        fix = "make the skill deterministic first"
        return [warned("state_leak", expected, found, fix, runs.scenario)]
    tick = first_difference(runs.reused.log.commands, runs.fresh.log.commands)
    if tick is None:
        found = "episode 1 the same after episode 0 as on its own"
        return [passed("state_leak", expected, found, runs.scenario)]
    found = f"{runs.fresh.name} run after episode 0 differs from a fresh run from tick {tick}"
    fix = "set every piece of per-episode state in reset, not only in __init__"
    return [failed("state_leak", expected, found, fix, runs.scenario)]


def _repeats(runs: Runs) -> bool:
    pairs = zip(runs.first, runs.again, strict=True)
    return all(first_difference(a.log.commands, b.log.commands) is None for a, b in pairs)


def first_difference(a: Sequence[Any], b: Sequence[Any]) -> int | None:
    """The first tick at which two command sequences differ, or None when they are the same."""
    for tick, (x, y) in enumerate(zip(a, b, strict=False)):
        if not _same(x, y):
            return tick
    return None if len(a) == len(b) else min(len(a), len(b))


def _same(x: Any, y: Any) -> bool:
    if isinstance(x, np.ndarray) and isinstance(y, np.ndarray):
        return x.shape == y.shape and bool(np.array_equal(x, y, equal_nan=True))
    return repr(x) == repr(y)


def lifecycle_findings(runs: Runs) -> list[Finding]:
    return [
        _lifecycle(runs, "reset", lambda log: log.resets),
        _lifecycle(runs, "close", lambda log: log.closes),
    ]


def _lifecycle(runs: Runs, phase: str, calls: Callable[[SkillLog], int]) -> Finding:
    check, expected = f"lifecycle.{phase}", f"{phase} is called once per episode and returns"
    for run in runs.every:
        if phase in run.log.errors:
            fix = f"fix the error; {phase} must not raise"
            return failed(check, expected, f"{run.name}: {run.log.errors[phase]}", fix, runs.scenario)
    wrong = [run for run in runs.every if calls(run.log) != 1]
    if wrong:  # the engine's promise broken: close is due even after an error in act
        found = f"{wrong[0].name}: called {calls(wrong[0].log)} times"
        fix = "report it: the harness must call reset and close once per episode"
        return failed(check, expected, found, fix, runs.scenario)
    return passed(check, expected, f"{len(runs.every)} episodes, errors included", runs.scenario)


CHECKS: tuple[Check, ...] = (
    observation_findings,
    undeclared_read_findings,
    act_findings,
    command_findings,
    latency_findings,
    determinism_findings,
    state_leak_findings,
    lifecycle_findings,
)
