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
        command = np.array(raw, dtype=np.float64)
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
    finite = np.isfinite(command)
    if not finite.all():
        index = int(np.argmin(finite))
        raise InvalidCommand(tick, f"{space.names[index]} is {command[index]} (not finite)")
    outside = (command < space.low) | (command > space.high)
    if outside.any():
        index = int(np.argmax(outside))
        raise InvalidCommand(
            tick,
            f"{space.names[index]}={command[index]:.6g} is outside its limits "
            f"[{space.low[index]:.6g}, {space.high[index]:.6g}]",
        )
    command.flags.writeable = False
    return command


def _names(space: CommandSpace) -> str:
    return ", ".join(space.names)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."
