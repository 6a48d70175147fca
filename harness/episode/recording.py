"""A skill wrapper that records what the skill did: its commands, reads, timings and errors.

The conformance check (``harness.episode.conformance``) runs ordinary episodes through
:func:`~harness.episode.engine.run_episode` with this wrapper around the skill, so the skill is
driven exactly as in a verification run and only watched, never changed.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from harness.episode.phases import describe
from harness.records import FloatArray
from harness.skill import Observation, Skill, TaskInfo


@dataclass
class SkillLog:
    """What one episode's skill did, call by call."""

    resets: int = 0
    closes: int = 0
    commands: list[Any] = field(default_factory=list)
    act_seconds: list[float] = field(default_factory=list)
    keys_provided: set[str] = field(default_factory=set)
    keys_read: set[str] = field(default_factory=set)
    errors: dict[str, str] = field(default_factory=dict)
    """Phase (``init``, ``reset``, ``act``, ``close``) to the error raised there."""


class ReadTracking(Mapping[str, FloatArray]):
    """An observation that notes every key the skill looks up (also through ``get`` and ``items``).

    ``in`` is not a read: asking whether an optional key is there is allowed.
    """

    def __init__(self, observation: Observation, read: set[str]) -> None:
        self._observation, self._read = observation, read

    def __getitem__(self, key: str) -> FloatArray:
        self._read.add(key)
        return self._observation[key]

    def __contains__(self, key: object) -> bool:
        return key in self._observation

    def __iter__(self) -> Iterator[str]:
        return iter(self._observation)

    def __len__(self) -> int:
        return len(self._observation)


class RecordingSkill(Skill):
    """Runs the skill ``make`` builds (or hands back) and logs every call into ``log``.

    ``close_inner=False`` keeps the skill open after the episode, so the next episode can reuse
    the same object, as the cycles of an endurance run do.
    """

    robot = "any"
    command_kind = "any"

    def __init__(self, make: Callable[[], Skill], log: SkillLog, close_inner: bool = True) -> None:
        self.log, self.close_inner = log, close_inner
        self.inner = self._logged("init", make)

    def reset(self, task: TaskInfo, rng: np.random.Generator) -> None:
        self.log.resets += 1
        self._logged("reset", lambda: self.inner.reset(task, rng))

    def act(self, observation: Observation) -> FloatArray:
        self.log.keys_provided.update(observation)
        tracked = ReadTracking(observation, self.log.keys_read)
        started = time.perf_counter()
        raw: FloatArray = self._logged("act", lambda: self.inner.act(tracked))
        self.log.act_seconds.append(time.perf_counter() - started)
        self.log.commands.append(snapshot(raw))
        return raw

    def close(self) -> None:
        if self.close_inner:
            self.log.closes += 1
            self._logged("close", self.inner.close)

    def _logged(self, phase: str, call: Callable[[], Any]) -> Any:
        try:
            return call()
        except Exception as error:
            self.log.errors[phase] = describe(error)
            raise  # the engine records it as it would in a verification run


def snapshot(raw: Any) -> Any:
    """A copy of a returned command: a skill may reuse and overwrite the array it returned."""
    try:
        return np.array(raw, np.float64)
    except (TypeError, ValueError):
        return raw  # not numeric: kept as it came, for the shape check to report
