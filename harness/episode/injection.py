"""Injecting a scenario's declared faults into a running episode.

Sensor dropouts are the engine's own business (they change what the skill observes); faults in
the world (a slipping object, a blocked path, a person stepping in) are the scenario's, through
:meth:`Scenario.inject_fault` and :meth:`Scenario.clear_fault`. Every fault fires at most once
per episode and is announced to the criteria as a ``fault`` task event (``fault_cleared`` when
it ends), so a check can tell a skill's own mistake from the harness's deliberate one.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Sequence

import numpy as np

from harness.faults import ArmedFault, FaultSpec, SensorDropout
from harness.records import FloatArray, TaskEvent, WorldState
from harness.results import InjectedFault
from harness.scenario import Scenario
from harness.skill import Observation
from harness.world import World


def _ticks(seconds: float, rate_hz: float) -> int:
    return max(0, math.ceil(seconds * rate_hz - 1e-9))


def fault_rng(seeds: np.random.SeedSequence, label: str, cycle: int = 0) -> np.random.Generator:
    """A fault's own random stream, keyed by its name (and the cycle of an endurance run): adding,
    removing or changing one fault never moves another."""
    key = (*seeds.spawn_key, cycle, zlib.crc32(label.encode("utf-8")))
    return np.random.default_rng(np.random.SeedSequence(seeds.entropy, spawn_key=key))


def arm_faults(
    faults: Sequence[FaultSpec], seeds: np.random.SeedSequence, rate_hz: float, cycle: int = 0
) -> list[ArmedFault]:
    """Decide this episode's (or this cycle's) faults, each from its own stream."""
    armed = []
    for spec in faults:
        rng = fault_rng(seeds, spec.label, cycle)
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
        self._held: dict[tuple[int, str], FloatArray] = {}  # (fault, key): the last reading

    def observe(self, observation: Observation) -> Observation:
        """What the skill sees this tick: dropped-out keys held, zeroed or NaN."""
        changed = dict(observation)
        for number, fault in enumerate(self._dropouts):
            spec = fault.spec
            assert isinstance(spec, SensorDropout)
            for key in spec.keys:
                if not fault.active:
                    # a copy: a skill writing into its observation must not move the held value
                    self._held[(number, key)] = np.array(observation[key], dtype=np.float64)
                elif spec.mode == "hold":
                    held = self._held.get((number, key))
                    changed[key] = (held if held is not None else np.asarray(observation[key])).copy()
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
                trigger = next((e for e in announced if e.name == fault.spec.after), None)
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

    def clear_active(self, scenario: Scenario, world: World, tick: int) -> None:
        """Undo faults still in force when the episode ended (at ``tick``), so none outlives it."""
        for fault in self.armed:
            if fault.active:
                fault.cleared_tick = tick
                if not isinstance(fault.spec, SensorDropout):
                    scenario.clear_fault(world, fault)

    def injected(self, last_tick: int) -> list[InjectedFault]:
        """The faults the skill lived through: fired before the episode's ``last_tick`` (one that
        fired on the very tick the episode ended changed nothing the skill could see)."""
        return [
            fault.record()
            for fault in self.armed
            if fault.fired_tick is not None and fault.fired_tick < last_tick
        ]
