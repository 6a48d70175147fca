"""The criterion contract: fold step records one at a time, then report a verdict.

For every episode the harness builds each of the plan's criteria anew
(:meth:`Criterion.from_config`), calls :meth:`~Criterion.reset` with an :class:`EpisodeContext`,
:meth:`~Criterion.fold` with the :class:`~harness.records.StepRecord` of every control tick and
:meth:`~Criterion.result` with an :class:`EpisodeEnd` once the episode is over.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, Literal, Self, cast, get_args, get_origin

from pydantic import BaseModel, ConfigDict
from typing_extensions import TypeVar  # a TypeVar default (PEP 696) before Python 3.13

from harness.records import RobotHardLimits, StepRecord, TaskStatus
from harness.results import CriterionResult, Verdict

Dimension = Literal["success", "efficiency", "safety", "reliability", "economics"]
"""The verification dimensions of the report: task success rate, efficiency improvement, safety,
reliability and economic viability."""


class CriterionParams(BaseModel):
    """Base of every criterion's thresholds; a plan's unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)


ParamsT = TypeVar("ParamsT", bound=CriterionParams, covariant=True, default=CriterionParams)
"""The params model of a criterion: ``Criterion[CycleTimeParams]`` types ``self.params``."""


@dataclass(frozen=True, slots=True)
class EpisodeContext:
    """What a criterion may know before the first tick, handed to :meth:`Criterion.reset`.

    Attributes:
        scenario: The id of the scenario spec being run, e.g. ``"workstation/pick_place-v1"``
            (``"<id>@endurance"`` for an endurance run).
        control_dt: Simulated seconds between two control ticks (one step record each).
        max_ticks: The tick budget of the task: the spec's time budget in ticks (of one task
            cycle, in an endurance run). The episode is truncated after this many ticks.
        robots: The hard limits of every robot in the world by label (joint limits, top base
            speed, moving mass), read from the robot models once the world was built.
    """

    scenario: str
    control_dt: float
    max_ticks: int
    robots: Mapping[str, RobotHardLimits] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class EpisodeEnd:
    """How the episode ended, handed to :meth:`Criterion.result`.

    Attributes:
        status: The task status the scenario reported on the last tick: ``SUCCEEDED``,
            ``FAILED``, or ``RUNNING`` when something else ended the episode (the time budget,
            a criterion's stop, the skill raising or sending an invalid command).
        last_tick: The number of the last tick run: ticks count from 1, so this is also how
            many ticks were folded (0 when the episode ended before its first tick).
        truncated: True when the time budget ran out with the task still running; False when
            the task ended, a criterion stopped the episode or the skill failed.
        success_tick: The tick on which the task succeeded, or None when it did not.
        control_dt: Simulated seconds per control tick, as in :class:`EpisodeContext`.
    """

    status: TaskStatus
    last_tick: int
    truncated: bool
    success_tick: int | None
    control_dt: float


class Criterion(ABC, Generic[ParamsT]):
    """Judges one property of an episode from recorded data only.

    A subclass names its params model in its base class, as in
    ``class CycleTime(Criterion[CycleTimeParams])``: that :class:`CriterionParams` model (its
    thresholds, with documented defaults) becomes the class's ``Params``, which plans are
    validated against, and ``self.params`` is typed as one. A criterion without thresholds
    subclasses plain ``Criterion``. Subclasses also set ``name`` (the key plans use) and
    ``units`` (of the measured value), and implement :meth:`result`; :meth:`reset` and
    :meth:`fold` are optional. :meth:`judged` and :meth:`not_applicable` build the result.

    The harness calls the hooks in this order, for every episode, on a fresh object built by
    :meth:`from_config`::

        criterion.reset(context)          # once, before the first tick
        criterion.fold(record)            # after every control tick
        criterion.result(end)             # once, after the last tick

    Criteria see recorded data only (never the simulator), so they can be tested with
    hand-made records.

    Its attributes: ``name``, the criterion's name in plans and reports; ``units``, of
    ``measured``, ``threshold`` and ``margin`` in its results; ``Params``, the params model,
    taken from the ``Criterion[...]`` type argument; ``params``, this criterion's thresholds,
    validated; ``required``, whether a ``fail`` verdict fails the episode (the plan's
    ``required`` key).
    """

    name: ClassVar[str]
    units: ClassVar[str] = ""
    dimension: ClassVar[Dimension] = "success"
    """Which of the report's five dimensions its results count in."""
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
        """A criterion with ``params`` (default: ``Params()``, every threshold at its default)."""
        # Params is ParamsT's class (or a subclass of it): see __init_subclass__
        self.params = params if params is not None else cast(ParamsT, self.Params())
        self.required = required

    @classmethod
    def from_config(cls, params: dict[str, Any], *, required: bool = True) -> Self:
        """Builds the criterion from its entry under a plan's ``criteria``.

        Runs when an episode is set up, once per episode (per task cycle, in an endurance run),
        so that no state is carried from one episode to the next. The plan was validated
        against ``Params`` when it was loaded, where its errors are reported with file and line.
        Override it only to build a criterion from something other than its params model.

        Args:
            params: The entry's thresholds as plain data, without its ``required`` key.
            required: Whether a ``fail`` verdict fails the episode.

        Returns:
            A new criterion, not yet reset.

        Raises:
            pydantic.ValidationError: ``params`` do not fit ``Params``.
        """
        return cls(cast(ParamsT, cls.Params.model_validate(params)), required=required)

    def reset(self, context: EpisodeContext) -> None:
        """Starts judging an episode.

        Runs once per episode (per task cycle, in an endurance run), after the world has been
        reset to the episode's conditions and before the first tick. Set up all the state the
        criterion folds here rather than in ``__init__``, so that an object judges a second
        episode as it judged the first. The default does nothing.

        Args:
            context: The scenario, the control period, the tick budget and the robots' limits.
        """

    def fold(self, record: StepRecord) -> str | None:
        """Takes in one control tick.

        Runs after every control tick, with that tick's record: the skill's command applied,
        physics stepped, and the scenario's task events and status for the tick read. It is on
        the hot path, so keep it cheap. A criterion that does not override it is not called per
        tick at all (it judges the end only). Every criterion folds each tick, also the tick on
        which another one asks to stop.

        Args:
            record: The tick's number (from 1), time, command, world state, task status and
                events.

        Returns:
            None to go on; or, for a critical violation, a reason (a sentence naming what
            happened, where and when) to stop the episode after this tick as a safety stop
            (outcome ``safety_stop``, ended by ``criterion:<name>``).
        """
        return None

    @abstractmethod
    def result(self, end: EpisodeEnd) -> CriterionResult:
        """Judges the episode just ended.

        Runs once, after the last tick: the task succeeded or failed, the time budget ran out, a
        criterion stopped the episode, or the skill raised or sent an invalid command (possibly
        before the first tick: ``end.last_tick`` is then 0). It does not run when the simulator
        or the harness failed: such episodes are not scored and carry no criterion results.

        Args:
            end: How the episode ended: task status, last tick, truncation, success tick.

        Returns:
            The criterion's result, built with :meth:`judged` or :meth:`not_applicable`: verdict,
            measured value, threshold, margin (negative: violated) and details. A ``fail`` from a
            required criterion turns an episode whose task succeeded into a failure.
        """

    def judged(
        self,
        verdict: Verdict,
        *,
        measured: float | None = None,
        threshold: float | None = None,
        margin: float | None = None,
        details: dict[str, Any] | None = None,
    ) -> CriterionResult:
        """This criterion's result with ``verdict``: its name, units and ``required`` filled in.

        Args:
            verdict: ``pass``, ``acceptable`` or ``fail`` (``n/a``: see :meth:`not_applicable`).
            measured: The value judged, in ``units``; None when nothing could be measured.
            threshold: The limit it was judged against, if it has one.
            margin: Distance to the threshold, negative when violated.
            details: Anything else worth reporting (JSON-serialisable), in the order given.

        Returns:
            The result, as :meth:`result` returns it.
        """
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
        """A ``n/a`` result: the criterion had nothing to judge in this episode.

        Args:
            why: The reason, e.g. ``"task did not succeed"``; it goes last into the details.
            threshold: The limit that would have applied, if it has one.
            details: What was recorded all the same.

        Returns:
            A result with verdict ``n/a`` and nothing measured.
        """
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
