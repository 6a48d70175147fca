"""The phases of an episode, and what an error in each one means.

Like pytest's ``CallInfo.from_call``, which runs every phase of a test the same way, each
phase here runs its code through one wrapper that turns an exception into an
:class:`EpisodeAbort` saying whose fault it was (the skill's, the simulator's or the
harness's), where the episode ended and why. The tick loop does not pay for a wrapper per
call: it keeps the phase it is in in a local variable and converts an error once, with
:meth:`Phase.abort`.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from harness.errors import InvalidCommand
from harness.results import Outcome

T = TypeVar("T")


class EpisodeAbort(Exception):
    """Ends an episode early with an outcome that says whose fault it was."""

    def __init__(self, outcome: Outcome, ended_by: str, reason: str) -> None:
        super().__init__(reason)
        self.outcome, self.ended_by, self.reason = outcome, ended_by, reason


@dataclass(frozen=True)
class Phase:
    """One phase: the episode's ``ended_by`` if it fails there (``{tick}`` is filled in), the
    outcome it gets, and how its reason begins."""

    ended_by: str
    outcome: Outcome
    prefix: str = ""

    def abort(self, error: Exception, tick: int = 0) -> EpisodeAbort:
        """The :class:`EpisodeAbort` for ``error`` raised in this phase (at ``tick``)."""
        detail = error.reason if isinstance(error, InvalidCommand) else describe(error)
        return EpisodeAbort(self.outcome, self.ended_by.format(tick=tick), self.prefix + detail)

    def run(self, call: Callable[[], T]) -> T:
        """Run ``call`` in this phase; an error becomes this phase's :class:`EpisodeAbort`."""
        try:
            return call()
        except EpisodeAbort:
            raise
        except Exception as error:
            raise self.abort(error) from error


WORLD_RESET = Phase("reset", Outcome.SIM_ERROR)
"""Putting the world in the episode's initial state: the simulator's (or scenario's) doing."""
SKILL_CONSTRUCTOR = Phase("constructor", Outcome.SKILL_ERROR, "skill constructor raised ")
SKILL_RESET = Phase("reset", Outcome.SKILL_ERROR, "skill reset raised ")
SKILL_ACT = Phase("tick {tick}", Outcome.SKILL_ERROR, "skill raised ")
COMMAND = Phase("tick {tick}", Outcome.SKILL_ERROR, "invalid command: ")
"""Validating the skill's command: a malformed or out-of-limits command is the skill's."""
SIMULATION = Phase("tick {tick}", Outcome.SIM_ERROR)
"""Applying the command, stepping and reading the world."""
SKILL_CLOSE = Phase("close", Outcome.SKILL_ERROR, "skill close raised ")
TEARDOWN = Phase("teardown", Outcome.HARNESS_ERROR)
HARNESS = Phase("harness_error", Outcome.HARNESS_ERROR)
"""Anything else: the harness's, a scenario's or a criterion's own bug, kept distinct."""


def describe(error: BaseException) -> str:
    """'ValueError: bad input at /path/module.py:12': the error and its innermost frame."""
    frames = traceback.extract_tb(error.__traceback__)
    where = f" at {frames[-1].filename}:{frames[-1].lineno}" if frames else ""
    return f"{type(error).__name__}: {error}{where}"
