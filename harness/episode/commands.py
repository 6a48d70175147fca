"""Command validation: nothing malformed or out of limits reaches the simulator."""

from __future__ import annotations

from typing import Any

import numpy as np

from harness.errors import InvalidCommand
from harness.records import FloatArray
from harness.skill import CommandSpace


def validate_command(raw: Any, space: CommandSpace, tick: int) -> FloatArray:
    """Return ``raw`` as a read-only float vector, or raise :class:`InvalidCommand`."""
    try:
        command = np.array(raw, np.float64)
    except (TypeError, ValueError):
        raise InvalidCommand(
            tick, f"expected a numeric '{space.kind}' vector ({_names(space)}), got {_short(raw)}"
        ) from None
    if command.shape != (space.size,):
        raise InvalidCommand(
            tick,
            f"expected a '{space.kind}' vector of shape ({space.size},) ({_names(space)}), "
            f"got shape {command.shape}",
        )
    # NaN fails both comparisons, so non-finite values land here too
    for value, (low, high) in zip(command.tolist(), space.bounds, strict=True):
        if not low <= value <= high:
            raise InvalidCommand(tick, _first_violation(command, space))
    command.setflags(write=False)
    return command


def _first_violation(command: FloatArray, space: CommandSpace) -> str:
    for name, value, low, high in zip(space.names, command, space.low, space.high, strict=True):
        if not np.isfinite(value):
            return f"{name} is {value} (not finite)"
        if not low <= value <= high:
            return f"{name}={value:.6g} is outside its limits [{low:.6g}, {high:.6g}]"
    raise AssertionError("no violation found")  # pragma: no cover - only called on a violation


def _names(space: CommandSpace) -> str:
    return ", ".join(space.names)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."
