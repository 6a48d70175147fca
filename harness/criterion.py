"""The criterion contract: fold step records one at a time, then report a verdict."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, Self, cast, get_args, get_origin

from pydantic import BaseModel, ConfigDict
from typing_extensions import TypeVar  # a TypeVar default (PEP 696) before Python 3.13

from harness.records import RobotHardLimits, StepRecord, TaskStatus
from harness.results import CriterionResult, Verdict


class CriterionParams(BaseModel):
    """Base of every criterion's thresholds; a plan's unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)


ParamsT = TypeVar("ParamsT", bound=CriterionParams, covariant=True, default=CriterionParams)
"""The params model of a criterion: ``Criterion[CycleTimeParams]`` types ``self.params``."""


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


class Criterion(ABC, Generic[ParamsT]):
    """Judges one property of an episode from recorded data only.

    Subclasses name their params model, ``class CycleTime(Criterion[CycleTimeParams])``, which
    becomes ``Params`` (a :class:`CriterionParams` model with documented defaults), and set
    ``name`` and ``units``. ``fold`` runs every tick on the hot path: keep it cheap. It may
    return a reason string to stop the episode at once (a critical violation).
    """

    name: ClassVar[str]
    units: ClassVar[str] = ""
    Params: ClassVar[type[CriterionParams]] = CriterionParams
    params: ParamsT
    required: bool

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        argument = _params_argument(cls)
        if argument is None:
            return
        if "Params" not in cls.__dict__:
            cls.Params = argument
        elif not issubclass(cls.Params, argument):
            raise TypeError(
                f"{cls.__name__}.Params is {cls.Params.__name__}, which is not the "
                f"{argument.__name__} of Criterion[{argument.__name__}]"
            )

    def __init__(self, params: ParamsT | None = None, *, required: bool = True) -> None:
        # Params is ParamsT's class (or a subclass of it): see __init_subclass__
        self.params = params if params is not None else cast(ParamsT, self.Params())
        self.required = required

    @classmethod
    def from_config(cls, params: dict[str, Any], *, required: bool = True) -> Self:
        return cls(cast(ParamsT, cls.Params.model_validate(params)), required=required)

    def reset(self, context: EpisodeContext) -> None:
        """Called before the first tick of every episode."""

    def fold(self, record: StepRecord) -> str | None:
        """Take in one tick; return a reason to stop the episode, or None."""
        return None

    @abstractmethod
    def result(self, end: EpisodeEnd) -> CriterionResult:
        """The verdict for the episode just ended."""

    def judged(
        self,
        verdict: Verdict,
        *,
        measured: float | None = None,
        threshold: float | None = None,
        margin: float | None = None,
        details: dict[str, Any] | None = None,
    ) -> CriterionResult:
        """This criterion's result with ``verdict``: its name, units and ``required`` filled in."""
        return CriterionResult(
            name=self.name,
            verdict=verdict,
            measured=measured,
            threshold=threshold,
            units=self.units,
            margin=margin,
            required=self.required,
            details={} if details is None else details,
        )

    def not_applicable(
        self, why: str, *, threshold: float | None = None, details: Mapping[str, Any] | None = None
    ) -> CriterionResult:
        """A ``n/a`` result, nothing measured: ``why`` goes last into the details."""
        return self.judged(
            Verdict.NOT_APPLICABLE, threshold=threshold, details={**(details or {}), "why": why}
        )


def _params_argument(cls: type) -> type[CriterionParams] | None:
    """The params model in a class's ``Criterion[...]`` base, if it names one."""
    for base in cls.__dict__.get("__orig_bases__", ()):
        origin = get_origin(base)
        if isinstance(origin, type) and issubclass(origin, Criterion):
            (argument,) = get_args(base)
            if isinstance(argument, type) and issubclass(argument, CriterionParams):
                return argument
    return None
