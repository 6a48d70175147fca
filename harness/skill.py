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
    """A robot controller under test: it maps each tick's observation to a command.

    A skill never sees the simulator. It declares the robot it drives (:attr:`robot`), the
    command kind it emits (:attr:`command_kind`, one of the robot's command spaces) and the
    observation keys it reads. The harness builds it once per episode (once per endurance run),
    calls :meth:`reset` before the first tick of every episode (every cycle), :meth:`act` once
    per control tick, and :meth:`close` at the end whatever happened. Anything it raises is
    recorded as a ``skill_error`` of that phase; it never takes the harness down.

    Example::

        class Reach(Skill):
            robot = "franka_panda"
            command_kind = "ee_pose"
            observation_keys = ("target_position",)

            def act(self, observation):
                return [*observation["target_position"], 0.0, 0.04]
    """

    robot: ClassVar[str]
    """Robot model the skill drives; a scenario with another robot refuses it when the plan loads."""
    command_kind: ClassVar[str]
    """Command kind it emits, e.g. ``ee_pose`` or ``base_velocity``."""
    observation_keys: ClassVar[tuple[str, ...]] = ()
    """Observation keys it reads (documentation for users and the conformance check)."""
    Params: ClassVar[type[BaseModel] | None] = None
    """Optional model of the plan's ``skill.params``, checked when the plan is loaded."""
    name: ClassVar[str]
    """The skill package's name (manifest); undeclared, the name it is registered under."""
    version: ClassVar[str]
    """Its PEP 440 version (manifest), recorded in every report and in the history; when a
    skill does not declare one, the version of the distribution that installs it is used."""
    supports: ClassVar[tuple[str, ...]] = ()
    """Spec ids or fnmatch patterns (``workstation/*``) of the scenarios it is made for; a plan
    pairing it with another scenario is refused. Empty: any scenario with its robot."""
    maintainer: ClassVar[str] = ""
    """Who maintains it, e.g. ``Cell Team <cells@example.org>`` (manifest)."""
    license: ClassVar[str] = ""
    """Its licence, as an SPDX expression (manifest)."""

    def __init__(self, **params: Any) -> None:
        """Called with the plan's ``skill.params`` as keywords, once per episode.

        Raises:
            TypeError: the skill takes no parameters but the plan gave some.
        """
        if params:
            raise TypeError(f"{type(self).__name__} takes no parameters, got {sorted(params)}")

    def reset(self, task: TaskInfo, rng: np.random.Generator) -> None:
        """Called before the first tick of every episode (of every cycle of an endurance run).

        Args:
            task: Static facts of the task: control period, tick budget, command space (with
                its limits) and observation shapes, and the scenario's goal.
            rng: The skill's own random stream for this episode; draw every random number from
                it, so the same seed gives the same episode.
        """

    @abstractmethod
    def act(self, observation: Observation) -> FloatArray:
        """Called once per control tick, on the hot path: keep it cheap.

        Args:
            observation: This tick's readings by key (read-only arrays), noise and any
                injected sensor dropout included.

        Returns:
            A command vector of :attr:`command_kind`, in the order and within the limits of
            ``task.command_space``; anything else (wrong shape, NaN, out of limits) ends the
            episode as a ``skill_error``.
        """

    def close(self) -> None:
        """Called after every episode, whatever happened (also after an error in :meth:`act`)."""


class KnownBad:
    """Marks a skill as faulty on purpose: a self-test of the harness, never a product.

    Mixed into a skill class registered under the ``roboverify.known_bad_skills`` entry-point
    group (not ``roboverify.skills``), it says what must catch the skill; ``roboverify selftest``
    runs it on its scenario and reports it ``MISSED`` when nothing did. A plan may still name it,
    as it names any skill. Example::

        class SpeedingPatrolSkill(KnownBad, PatrolSkill):
            catches = ("safety_stop", "speed_separation")
            supports = ("inspection/patrol-v1",)    # the first entry: the spec it runs on
    """

    catches: ClassVar[tuple[str, ...]] = ()
    """What must catch it, all in one episode: at most one outcome (``failure``, ``timeout``,
    ``safety_stop`` or ``skill_error``) and the names of criteria whose verdict must be ``fail``."""
    selftest_criteria: ClassVar[Mapping[str, Mapping[str, Any]]] = {}
    """Criteria and their thresholds, by name: what its self-test plan runs beside ``task_success``
    and the criteria in :attr:`catches` (with their defaults unless given here)."""
    selftest_episodes: ClassVar[int] = 2
    """Episodes of its self-test run (``roboverify selftest --episodes`` overrides it)."""
