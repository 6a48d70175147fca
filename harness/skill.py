"""The skill contract: the controller under test. It never sees the simulator."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
from pydantic import BaseModel

from harness.records import FloatArray

Observation = Mapping[str, FloatArray]


@dataclass(frozen=True, slots=True)
class CommandSpace:
    """A command kind the robot accepts: a flat vector with named entries and hard limits."""

    kind: str
    names: tuple[str, ...]
    low: FloatArray
    high: FloatArray
    bounds: tuple[tuple[float, float], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # plain floats: checking a handful of values is faster in Python than in numpy
        bounds = tuple(zip(self.low.tolist(), self.high.tolist(), strict=True))
        object.__setattr__(self, "bounds", bounds)

    @property
    def size(self) -> int:
        return len(self.names)


@dataclass(frozen=True, slots=True)
class TaskInfo:
    """What a skill is told when an episode starts (static facts; live data is observed)."""

    scenario: str
    robot: str
    control_dt: float
    max_ticks: int
    command_space: CommandSpace
    observation_shapes: Mapping[str, tuple[int, ...]]
    goal: Mapping[str, Any] = field(default_factory=dict)


class Skill(ABC):
    """A robot controller under test.

    Declares the robot it drives, the command kind it emits and the observation keys it reads.
    Reset with the task and its own random generator, then called once per control tick.
    """

    robot: ClassVar[str]
    command_kind: ClassVar[str]
    observation_keys: ClassVar[tuple[str, ...]] = ()
    Params: ClassVar[type[BaseModel] | None] = None
    """Optional model of the plan's ``skill.params``, checked when the plan is loaded."""

    def __init__(self, **params: Any) -> None:
        if params:
            raise TypeError(f"{type(self).__name__} takes no parameters, got {sorted(params)}")

    def reset(self, task: TaskInfo, rng: np.random.Generator) -> None:
        """Called before the first tick of every episode."""

    @abstractmethod
    def act(self, observation: Observation) -> FloatArray:
        """Map this tick's observation to a command vector of the declared kind."""

    def close(self) -> None:
        """Called after every episode, whatever happened."""
