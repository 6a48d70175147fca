"""The scenario contract: task-side logic of one family, on top of a :class:`World`."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from harness.distributions import Distribution
from harness.faults import ArmedFault
from harness.records import FloatArray, TaskEvent, TaskStatus, WorldState
from harness.skill import CommandSpace, Observation
from harness.spec import ScenarioSpec
from harness.world import World

Conditions = dict[str, Any]
"""One episode's sampled parameters by name (a list per object for per-object ones)."""


@dataclass(frozen=True)
class Parameter:
    """A randomisable scenario parameter with its default distribution.

    A spec's ``randomize`` entry of the same name replaces ``default``; ``per_object``
    parameters draw one value per object of the spec's ``objects.count``.
    """

    default: Distribution
    units: str = ""
    doc: str = ""
    per_object: bool = False


class Scenario(ABC):
    """Task-side logic of one family: builds a world, randomises it, observes and judges it.

    The harness constructs a scenario with its spec, calls :meth:`build` once per world, then
    for every episode :meth:`reset` with that episode's conditions, and on every control tick,
    in this order: :meth:`observe` (before the skill acts), :meth:`apply` (the skill's
    validated command), then after the world has stepped :meth:`events` and :meth:`status`.
    Only :meth:`build`, :meth:`reset`, :meth:`observe` and :meth:`status` are mandatory; the
    other hooks have working defaults. Randomness comes in explicitly (``rng`` arguments and
    conditions drawn from the scenario's own stream), never from a global generator.
    """

    parameters: ClassVar[Mapping[str, Parameter]] = {}
    """The randomisable parameters and their default distributions."""
    observation_keys: ClassVar[tuple[str, ...]] = ()
    """Keys :meth:`observe` returns (specs' ``observation_noise`` and dropouts are checked against them)."""
    builtin_specs: ClassVar[Mapping[str, str]] = {}
    """Spec ids shipped with the plugin, mapped to YAML files next to its module."""
    reference_skill: ClassVar[str | None] = None
    """Registered name of a skill known to solve this scenario (used by the conformance test)."""
    task_events: ClassVar[tuple[str, ...]] = ()
    """Names of the task events :meth:`events` emits (a fault may follow one, ``after: grasped``);
    empty: not declared, so a fault's ``after`` is not checked against them."""
    fault_kinds: ClassVar[frozenset[str]] = frozenset()
    """World faults (``harness.faults``) this scenario can inject; sensor dropouts always work."""

    def __init__(self, spec: ScenarioSpec) -> None:
        """Called with the validated spec, once per world (and to sample conditions)."""
        self.spec = spec

    def distributions(self) -> dict[str, Distribution]:
        """Default distributions overridden by the spec's ``randomize`` entries."""
        merged: dict[str, Distribution] = {k: p.default for k, p in self.parameters.items()}
        merged.update(self.spec.randomize)
        return merged

    def sample_conditions(self, rng: np.random.Generator) -> Conditions:
        """Draw this episode's conditions from the scenario's own random stream only.

        Args:
            rng: The episode's scenario stream; nothing else draws from it.

        Returns:
            A value per parameter (a list of ``objects.count`` values for per-object ones).
        """
        conditions: Conditions = {}
        count = self.spec.objects.count
        for name, distribution in self.distributions().items():
            if self.parameters[name].per_object:
                conditions[name] = [distribution.sample(rng) for _ in range(count)]
            else:
                conditions[name] = distribution.sample(rng)
        return conditions

    @abstractmethod
    def build(self, world: World) -> None:
        """Load everything that stays the same across episodes; called once per world.

        The harness then saves the world as the baseline every episode is restored from.

        Args:
            world: A fresh, empty world of the spec's sim backend.
        """

    @abstractmethod
    def reset(self, world: World, conditions: Conditions) -> None:
        """Put the world in this episode's initial state; called before every episode.

        Typically restores the baseline, then places objects and people as ``conditions``
        say. An error here is recorded as the simulator's (``sim_error``), not the skill's.

        Args:
            world: The world :meth:`build` filled.
            conditions: This episode's parameter values (sampled, or from a conditions file).
        """

    def command_spaces(self, world: World) -> Mapping[str, CommandSpace]:
        """Command kinds a skill may emit here; by default what the robot accepts.

        A scenario may add task channels (e.g. a base velocity plus an inspection report) and
        split them apart again in :meth:`apply`.

        Returns:
            Command spaces by kind; the skill's ``command_kind`` must be one of them.
        """
        return world.command_spaces()

    def apply(self, world: World, kind: str, command: FloatArray) -> None:
        """Hand a validated command to the world (after taking out any task channels).

        Called every tick, after the skill acted and its command passed validation.

        Args:
            world: The world.
            kind: The skill's command kind.
            command: The command, already checked for shape, finiteness and limits.
        """
        world.apply(kind, command)

    def goal(self) -> Mapping[str, Any]:
        """Static facts about the task handed to the skill in ``TaskInfo.goal`` at reset."""
        return {}

    def observation_shapes(self) -> Mapping[str, tuple[int, ...]]:
        """The shape of each observation key, handed to the skill in ``TaskInfo``."""
        return {}

    @abstractmethod
    def observe(self, state: WorldState, rng: np.random.Generator) -> Observation:
        """Turn world state into the skill's observation; called every tick before the skill acts.

        Args:
            state: The world as it is now (after the last step).
            rng: The episode's observation-noise stream (apply the spec's
                ``observation_noise`` with it).

        Returns:
            Arrays by key; an injected sensor dropout is applied to them afterwards.
        """

    def events(self, state: WorldState, tick: int) -> tuple[TaskEvent, ...]:
        """What happened this tick (e.g. ``grasped``, ``dropped``), after the world stepped.

        Args:
            state: The world after this tick's step.
            tick: Ticks done so far (1 after the first).

        Returns:
            The tick's task events, handed to the criteria in the step record.
        """
        return ()

    @abstractmethod
    def status(self, state: WorldState, tick: int) -> TaskStatus:
        """Whether the task is still running, has succeeded or has failed; every tick, after
        :meth:`events`.

        Args:
            state: The world after this tick's step.
            tick: Ticks done so far.

        Returns:
            ``RUNNING`` to go on; ``SUCCEEDED`` or ``FAILED`` ends the episode (terminated). At
            the tick budget a running task ends as ``timeout`` (truncated).
        """

    def next_cycle(self, world: World, conditions: Conditions) -> None:
        """Set up the next task cycle of an endurance run *without* a reset: the robot stays
        where it is, and only the task's work (e.g. fresh parts to pick) is renewed from
        ``conditions``. Scenarios that implement it support endurance runs.

        Raises:
            NotImplementedError: the scenario has no endurance mode (the default).
        """
        raise NotImplementedError(f"{type(self).__name__} has no endurance mode")

    def inject_fault(self, world: World, fault: ArmedFault, state: WorldState) -> str | None:
        """Start a declared world fault (one of :attr:`fault_kinds`) when it is due.

        Args:
            world: The world.
            fault: The armed fault: its spec (``fault.spec``) and what its trigger named
                (``fault.subject``).
            state: The world as it is this tick.

        Returns:
            What it did, for the report (e.g. "pallet 2.0 m ahead"), or None when it cannot be
            injected in this state (it is tried again next tick).
        """
        raise NotImplementedError(f"{type(self).__name__} cannot inject '{fault.spec.kind}'")

    def clear_fault(self, world: World, fault: ArmedFault) -> None:
        """End a fault :meth:`inject_fault` started (e.g. take the obstacle away); also called
        when the episode ends with the fault still in force."""

    def failure_reason(self) -> str:
        """Why the task failed, for the episode's ``reason`` (after ``status`` said FAILED)."""
        return ""

    def episode_metrics(self) -> dict[str, float]:
        """Task metrics of the episode just ended (e.g. items picked), for the report."""
        return {}
