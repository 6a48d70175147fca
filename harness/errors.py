"""Typed errors. Each message says what was expected, what was received, where, and the fix."""

from __future__ import annotations


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


class SimError(RoboverifyError):
    """The simulator failed; infrastructure, never counted against the skill."""

    exit_code = 4
