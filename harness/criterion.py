"""The criterion contract: fold step records one at a time, then report a verdict."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict

from harness.records import RobotHardLimits, StepRecord, TaskStatus
from harness.results import CriterionResult


class CriterionParams(BaseModel):
    """Base of every criterion's thresholds; a plan's unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)


@dataclass(frozen=True, slots=True)
class EpisodeContext:
    """What a criterion may know before the first tick."""

    scenario: str
    control_dt: float
    max_ticks: int
    robots: Mapping[str, RobotHardLimits] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class EpisodeEnd:
    """How the episode ended, handed to :meth:`Criterion.result`."""

    status: TaskStatus
    last_tick: int
    truncated: bool
    success_tick: int | None
    control_dt: float


class Criterion(ABC):
    """Judges one property of an episode from recorded data only.

    Subclasses set ``name``, ``units`` and ``Params`` (a :class:`CriterionParams` model with
    documented defaults). ``fold`` runs every tick on the hot path: keep it cheap. It may return
    a reason string to stop the episode at once (a critical violation).
    """

    name: ClassVar[str]
    units: ClassVar[str] = ""
    Params: ClassVar[type[CriterionParams]] = CriterionParams

    def __init__(self, params: CriterionParams | None = None, *, required: bool = True) -> None:
        self.params = params if params is not None else self.Params()
        self.required = required

    @classmethod
    def from_config(cls, params: dict[str, Any], *, required: bool = True) -> Criterion:
        return cls(cls.Params.model_validate(params), required=required)

    def reset(self, context: EpisodeContext) -> None:
        """Called before the first tick of every episode."""

    def fold(self, record: StepRecord) -> str | None:
        """Take in one tick; return a reason to stop the episode, or None."""
        return None

    @abstractmethod
    def result(self, end: EpisodeEnd) -> CriterionResult:
        """The verdict for the episode just ended."""
