"""Typed errors. Each message says what was expected, what was received, where, and the fix."""

from __future__ import annotations

import difflib


class RoboverifyError(Exception):
    """Base class of every error roboverify raises on purpose; carries the CLI exit code."""

    exit_code = 2


class UsageError(RoboverifyError):
    """The command line or a reference in a file asks for something that cannot be done."""


class SpecError(RoboverifyError):
    """A user-written file (scenario spec, plan, conditions) is malformed."""

    def __init__(self, file: str, problems: list[str]) -> None:
        self.file = file
        self.problems = problems
        lines = "\n".join(f"  - {problem}" for problem in problems)
        count = "1 problem" if len(problems) == 1 else f"{len(problems)} problems"
        super().__init__(f"{file}: {count}\n{lines}")


class UnknownPluginError(RoboverifyError, LookupError):
    """A skill, scenario, criterion or sim name that no installed package registers."""


class DuplicatePluginError(RoboverifyError):
    """Two installed distributions register the same plugin name."""


class InvalidCommand(RoboverifyError):
    """A skill returned a command the robot must not receive."""

    def __init__(self, tick: int, reason: str) -> None:
        self.tick = tick
        self.reason = reason
        super().__init__(f"tick {tick}: {reason}")


class OutputError(RoboverifyError):
    """The output folder cannot be written: a full disk, a read-only folder, no permission.

    ``saved`` episodes are safely in its journal; ``resumable`` says whether ``--resume`` on the
    same folder continues the run once the cause is fixed (False: nothing was started there).
    """

    def __init__(self, message: str, *, folder: str, saved: int = 0, resumable: bool = False) -> None:
        self.folder = folder
        self.saved = saved
        self.resumable = resumable
        super().__init__(message)


class SimError(RoboverifyError):
    """The simulator failed; infrastructure, never counted against the skill."""

    exit_code = 4


def unknown_name_message(noun: str, name: str, known: list[str], *, listing: str = "Known") -> str:
    """'unknown robot 'pandaa'; did you mean 'panda'? Registered: ...': for any named thing."""
    message = f"unknown {noun} '{name}'"
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.5)
    if close:
        message += f"; did you mean {' or '.join(repr(c) for c in close)}?"
    else:
        message += ";"
    if known:
        message += f" {listing}: {', '.join(sorted(known))}."
    return message
