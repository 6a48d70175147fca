"""Where a worker is: which job, which tick, and whether the skill's code or the harness's runs.

A worker writes a few integers into memory it shares with its supervisor. When the worker hangs,
runs out of memory or dies, the supervisor reads them to record the tick and whose code was
running (the skill's or the harness's), without asking the worker anything.
The writes are plain stores into a memoryview, a fraction of a microsecond per tick: the tick
loop is the hot path.
"""

from __future__ import annotations

import ctypes
import enum
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.context import BaseContext
from typing import Any

import numpy as np

from harness.records import FloatArray
from harness.skill import Observation, Skill, TaskInfo

SkillFactory = Callable[[], Skill]


class Phase(enum.IntEnum):
    IDLE = 0
    HARNESS = 1
    SKILL_CONSTRUCTOR = 2
    SKILL_RESET = 3
    SKILL_ACT = 4
    SKILL_CLOSE = 5

    @property
    def in_skill(self) -> bool:
        return self >= Phase.SKILL_CONSTRUCTOR


JOB, TICK, PHASE, SKILL_SEEN = range(4)
SLOTS = 4
NO_JOB = -1


@dataclass(frozen=True)
class Position:
    """A snapshot of the beacon: the job, the tick the skill was last asked about, the phase."""

    job: int
    tick: int  # -1 before the skill's first act call
    phase: Phase
    skill_seen: bool  # the skill was constructed during this job

    @property
    def ended_by(self) -> str:
        """The episode's ``ended_by``, in the engine's vocabulary."""
        named = {
            Phase.SKILL_CONSTRUCTOR: "constructor",
            Phase.SKILL_RESET: "reset",
            Phase.SKILL_CLOSE: "close",
            Phase.IDLE: "worker",
        }
        if self.phase in named:
            return named[self.phase]
        return f"tick {self.tick}" if self.tick >= 0 else "setup"

    @property
    def where(self) -> str:
        """'at tick 12 (in skill act)' and the like, for reasons."""
        code = {
            Phase.IDLE: "between episodes",
            Phase.HARNESS: "outside the skill: harness or simulator",
            Phase.SKILL_CONSTRUCTOR: "in the skill's constructor",
            Phase.SKILL_RESET: "in skill reset",
            Phase.SKILL_ACT: "in skill act",
            Phase.SKILL_CLOSE: "in skill close",
        }[self.phase]
        when = f"at tick {self.tick}" if self.tick >= 0 else "before the first tick"
        return f"{when} ({code})"


class Beacon:
    """The shared cells, seen through a memoryview of 64-bit integers."""

    def __init__(self, cells: memoryview | None = None) -> None:
        self.cells = cells if cells is not None else memoryview(bytearray(8 * SLOTS)).cast("q")
        self.cells[JOB] = NO_JOB

    @staticmethod
    def allocate(context: BaseContext) -> Any:
        """Shared memory for one worker, handed to it when the process starts."""
        return context.RawArray(ctypes.c_int64, SLOTS)

    @classmethod
    def over(cls, shared: Any) -> Beacon:
        return cls(memoryview(shared).cast("B").cast("q"))

    def start(self, job: int) -> None:
        cells = self.cells
        cells[TICK], cells[PHASE], cells[SKILL_SEEN] = -1, Phase.HARNESS, 0
        cells[JOB] = job  # last: a reader that sees the new job sees its fresh cells

    def idle(self) -> None:
        self.cells[PHASE] = Phase.IDLE

    def read(self) -> Position:
        cells = self.cells
        return Position(cells[JOB], cells[TICK], Phase(cells[PHASE]), bool(cells[SKILL_SEEN]))


class SkillExit(Exception):
    """A skill raised SystemExit (or, in a worker, any other BaseException): a skill error."""


def watch(make_skill: SkillFactory, beacon: Beacon, *, catch_interrupts: bool) -> SkillFactory:
    """``make_skill`` whose skills mark the beacon around every call into skill code.

    ``catch_interrupts``: a worker ignores Ctrl-C, so a KeyboardInterrupt there can only come
    from the skill itself; in the caller's own process it is the user's and must propagate.
    """
    cells = beacon.cells

    def make() -> Skill:
        cells[PHASE], cells[SKILL_SEEN] = Phase.SKILL_CONSTRUCTOR, 1
        try:
            skill = make_skill()
        except Exception:
            cells[PHASE] = Phase.HARNESS
            raise
        except BaseException as error:
            if not _is_skill_exit(error, catch_interrupts):
                raise
            raise _skill_exit(error) from error
        cells[PHASE] = Phase.HARNESS
        return WatchedSkill(skill, cells, catch_interrupts)

    return make


class WatchedSkill(Skill):
    """The skill under test, unchanged, with the beacon updated around each of its calls."""

    def __init__(self, skill: Skill, cells: memoryview, catch_interrupts: bool) -> None:
        self.skill, self._cells, self._catch, self._tick = skill, cells, catch_interrupts, 0

    def reset(self, task: TaskInfo, rng: np.random.Generator) -> None:
        self._call(Phase.SKILL_RESET, lambda: self.skill.reset(task, rng))

    def act(self, observation: Observation) -> FloatArray:
        cells = self._cells
        cells[TICK], cells[PHASE] = self._tick, Phase.SKILL_ACT
        self._tick += 1
        try:
            command = self.skill.act(observation)
        except Exception:
            cells[PHASE] = Phase.HARNESS
            raise
        except BaseException as error:
            if not _is_skill_exit(error, self._catch):
                raise
            raise _skill_exit(error) from error
        cells[PHASE] = Phase.HARNESS
        return command

    def close(self) -> None:
        self._call(Phase.SKILL_CLOSE, self.skill.close)

    def _call(self, phase: Phase, call: Callable[[], None]) -> None:
        self._cells[PHASE] = phase
        try:
            call()
        except Exception:
            self._cells[PHASE] = Phase.HARNESS
            raise
        except BaseException as error:
            if not _is_skill_exit(error, self._catch):
                raise
            raise _skill_exit(error) from error
        self._cells[PHASE] = Phase.HARNESS


def _is_skill_exit(error: BaseException, catch_interrupts: bool) -> bool:
    return catch_interrupts or not isinstance(error, KeyboardInterrupt)


def _skill_exit(error: BaseException) -> SkillExit:
    """SystemExit from a skill becomes a plain exception the engine records as a skill error;
    the traceback is kept so the reason points at the skill's own line."""
    message = f"the skill raised {type(error).__name__}({_args(error)})"
    return SkillExit(message).with_traceback(error.__traceback__)


def _args(error: BaseException) -> str:
    return ", ".join(repr(a) for a in error.args)
