"""The scenario contract: task-side logic of one family, on top of a :class:`World`."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from harness.distributions import Constant, Distribution
from harness.faults import ArmedFault
from harness.records import FloatArray, TaskEvent, TaskStatus, WorldState
from harness.skill import CommandSpace, Observation
from harness.spec import ScenarioSpec
from harness.world import World

Conditions = dict[str, Any]


@dataclass(frozen=True)
class Parameter:
    """A randomisable scenario parameter with its default distribution."""

    default: Distribution
    units: str = ""
    doc: str = ""
    per_object: bool = False


class Scenario(ABC):
    """Builds a world once, randomises it per episode, observes, and judges the task.

    Only :meth:`build`, :meth:`reset`, :meth:`observe` and :meth:`status` are mandatory; the
    other hooks default to no-ops.
    """

    parameters: ClassVar[Mapping[str, Parameter]] = {}
    observation_keys: ClassVar[tuple[str, ...]] = ()
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
        self.spec = spec

    def distributions(self) -> dict[str, Distribution]:
        """Default distributions overridden by the spec's ``randomize`` entries."""
        merged: dict[str, Distribution] = {k: p.default for k, p in self.parameters.items()}
        merged.update(self.spec.randomize)
        return merged

    def sample_conditions(self, rng: np.random.Generator) -> Conditions:
        """Draw this episode's conditions from the scenario's own random stream only."""
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
        """Load everything that stays the same across episodes; called once per world."""

    @abstractmethod
    def reset(self, world: World, conditions: Conditions) -> None:
        """Put the world in this episode's initial state."""

    def command_spaces(self, world: World) -> Mapping[str, CommandSpace]:
        """Command kinds a skill may emit here; by default what the robot accepts.

        A scenario may add task channels (e.g. a base velocity plus an inspection report) and
        split them apart again in :meth:`apply`.
        """
        return world.command_spaces()

    def apply(self, world: World, kind: str, command: FloatArray) -> None:
        """Hand a validated command to the world (after taking out any task channels)."""
        world.apply(kind, command)

    def goal(self) -> Mapping[str, Any]:
        """Static facts about the task handed to the skill (e.g. where the target is)."""
        return {}

    def observation_shapes(self) -> Mapping[str, tuple[int, ...]]:
        return {}

    @abstractmethod
    def observe(self, state: WorldState, rng: np.random.Generator) -> Observation:
        """Turn world state into the skill's observation (noise drawn from ``rng``)."""

    def events(self, state: WorldState, tick: int) -> tuple[TaskEvent, ...]:
        return ()

    @abstractmethod
    def status(self, state: WorldState, tick: int) -> TaskStatus:
        """Whether the task is still running, has succeeded or has failed."""

    def next_cycle(self, world: World, conditions: Conditions) -> None:
        """Set up the next task cycle of an endurance run *without* a reset: the robot stays
        where it is, and only the task's work (e.g. fresh parts to pick) is renewed from
        ``conditions``. Scenarios that implement it support endurance runs."""
        raise NotImplementedError(f"{type(self).__name__} has no endurance mode")

    def inject_fault(self, world: World, fault: ArmedFault, state: WorldState) -> str | None:
        """Start a declared world fault (one of :attr:`fault_kinds`); returns what it did, or
        None when it cannot be injected in this state (it is tried again next tick)."""
        raise NotImplementedError(f"{type(self).__name__} cannot inject '{fault.spec.kind}'")

    def clear_fault(self, world: World, fault: ArmedFault) -> None:
        """End a fault :meth:`inject_fault` started (e.g. take the obstacle away)."""

    def failure_reason(self) -> str:
        return ""

    def episode_metrics(self) -> dict[str, float]:
        return {}


def constant(value: float) -> Distribution:
    return Constant(value=value)
