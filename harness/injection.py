"""Injecting a scenario's declared faults into a running episode.

Sensor dropouts are the engine's own business (they change what the skill observes); faults in
the world (a slipping object, a blocked path, a person stepping in) are the scenario's, through
:meth:`Scenario.inject_fault` and :meth:`Scenario.clear_fault`. Every fault fires at most once
per episode and is announced to the criteria as a ``fault`` task event (``fault_cleared`` when
it ends), so a check can tell a skill's own mistake from the harness's deliberate one.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from harness.fault_specs import FaultSpec, SensorDropout
from harness.records import TaskEvent, WorldState
from harness.results import InjectedFault
from harness.skill import Observation
from harness.world import World

if TYPE_CHECKING:
    from harness.scenario import Scenario


@dataclass
class ArmedFault:
    """One declared fault in one episode: when it fires, for how long, and what it hit."""

    spec: FaultSpec
    fire_tick: int | None  # None: waiting for the ``after`` event
    delay_ticks: int
    duration_ticks: int
    fired_tick: int | None = None
    cleared_tick: int | None = None
    subject: str = ""
    detail: str = ""

    @property
    def active(self) -> bool:
        return self.fired_tick is not None and self.cleared_tick is None

    def record(self) -> InjectedFault:
        assert self.fired_tick is not None
        return InjectedFault(
            name=self.spec.label, kind=self.spec.kind, tick=self.fired_tick,
            cleared_tick=self.cleared_tick, subject=self.subject, detail=self.detail,
        )  # fmt: skip


def _ticks(seconds: float, rate_hz: float) -> int:
    return max(0, math.ceil(seconds * rate_hz - 1e-9))


def arm_faults(faults: Sequence[FaultSpec], rng: np.random.Generator, rate_hz: float) -> list[ArmedFault]:
    """Decide this episode's faults. Every fault draws the same numbers whether armed or not, so
    one fault's probability never shifts another's timing."""
    armed = []
    for spec in faults:
        chosen = float(rng.random()) < spec.probability
        at_s = float(spec.at_s.sample(rng)) if spec.at_s is not None else None
        delay_s, duration_s = float(spec.delay_s.sample(rng)), float(spec.duration_s.sample(rng))
        if chosen:
            fire = max(1, _ticks(at_s, rate_hz)) if at_s is not None else None
            armed.append(
                ArmedFault(spec, fire, _ticks(delay_s, rate_hz), max(1, _ticks(duration_s, rate_hz)))
            )
    return armed


class FaultInjector:
    """Fires and clears one episode's armed faults; the engine calls it only if there are any."""

    def __init__(self, armed: list[ArmedFault]) -> None:
        self.armed = armed
        self._dropouts = [f for f in armed if isinstance(f.spec, SensorDropout)]
        self._held: dict[str, object] = {}

    def observe(self, observation: Observation) -> Observation:
        """What the skill sees this tick: dropped-out keys held, zeroed or NaN."""
        changed = dict(observation)
        for fault in self._dropouts:
            spec = fault.spec
            assert isinstance(spec, SensorDropout)
            for key in spec.keys:
                if not fault.active:
                    self._held[key] = observation[key]
                elif spec.mode == "hold":
                    changed[key] = self._held.get(key, observation[key])  # type: ignore[assignment]
                else:
                    fill = 0.0 if spec.mode == "zeros" else math.nan
                    changed[key] = np.full_like(np.asarray(observation[key], dtype=np.float64), fill)
        return changed

    def after_tick(
        self, scenario: Scenario, world: World, state: WorldState, tick: int, events: tuple[TaskEvent, ...]
    ) -> tuple[TaskEvent, ...]:
        """Fire what is due, clear what has lasted long enough; the events announce both."""
        announced = list(events)
        for fault in self.armed:
            if fault.fire_tick is None and fault.fired_tick is None:
                trigger = next((e for e in events if e.name == fault.spec.after), None)
                if trigger is not None:
                    fault.fire_tick, fault.subject = tick + fault.delay_ticks, trigger.subject
            if fault.fired_tick is None and fault.fire_tick is not None and tick >= fault.fire_tick:
                if self._fire(fault, scenario, world, state, tick):
                    announced.append(TaskEvent("fault", fault.spec.label))
            elif fault.active and tick >= fault.fired_tick + fault.duration_ticks:  # type: ignore[operator]
                fault.cleared_tick = tick
                if not isinstance(fault.spec, SensorDropout):
                    scenario.clear_fault(world, fault)
                announced.append(TaskEvent("fault_cleared", fault.spec.label))
        return tuple(announced)

    @staticmethod
    def _fire(fault: ArmedFault, scenario: Scenario, world: World, state: WorldState, tick: int) -> bool:
        """Start the fault; a scenario that cannot inject it here and now has it tried again
        next tick (e.g. no free floor ahead of a base facing a wall)."""
        fault.fired_tick = tick
        if isinstance(fault.spec, SensorDropout):
            return True
        detail = scenario.inject_fault(world, fault, state)
        if detail is None:
            fault.fired_tick = None
            return False
        fault.detail = detail
        return True

    def clear_active(self, scenario: Scenario, world: World) -> None:
        """Undo world faults still in force when the episode ended, so none outlives it."""
        for fault in self.armed:
            if fault.active and not isinstance(fault.spec, SensorDropout):
                scenario.clear_fault(world, fault)

    def injected(self) -> list[InjectedFault]:
        return [fault.record() for fault in self.armed if fault.fired_tick is not None]
