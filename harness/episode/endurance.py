"""Endurance runs: one world, the task repeated cycle after cycle without a reset.

Between successful cycles the scenario only renews the work (:meth:`Scenario.next_cycle`); the
robot carries on from where it stopped and the skill object lives on (its ``reset`` starts each
cycle), so drift, leaked state and wear-like slowdowns show up as they would on a shift. A cycle
that fails, times out or is stopped is an *intervention*: the cell is reset, as an operator
would, and the run goes on. Criteria judge every cycle on its own.
"""

from __future__ import annotations

import time

from harness.episode import phases
from harness.episode.built import BuiltScenario
from harness.episode.engine import (
    CriteriaFactory,
    Progress,
    SkillFactory,
    arm,
    close_skill,
    criteria_results,
    decide,
    reset_world,
    tick_loop,
    timing,
)
from harness.episode.phases import EpisodeAbort
from harness.plan.seeding import EpisodeStreams
from harness.results import CycleRecord, EpisodeResult, InjectedFault, Outcome
from harness.scenario import Conditions
from harness.skill import Skill


def run_endurance(
    built: BuiltScenario,
    make_skill: SkillFactory,
    make_criteria: CriteriaFactory,
    index: int,
    seed: int,
    cycles: int,
    cycle_ticks: int,
    conditions: Conditions | None = None,
) -> EpisodeResult:
    """Run ``cycles`` task cycles of at most ``cycle_ticks`` each; whatever happens, a result.

    ``conditions`` replace the first cycle's; later cycles' always come from the seed, so a
    conditions file or a rerun repeats the whole run.
    """
    started = time.perf_counter()
    streams = EpisodeStreams.from_seed(seed)
    run = _Run(built, make_skill, make_criteria, streams, cycle_ticks)
    sampled = built.scenario.sample_conditions(streams.scenario)  # drawn even when given
    conditions = sampled if conditions is None else conditions
    fault: EpisodeAbort | None = None
    try:
        reset_world(built, conditions, prepare=True)
        for cycle in range(cycles):
            run.cycle(cycle, last=cycle + 1 == cycles)
    except EpisodeAbort as error:
        fault = error
    except Exception as error:  # the harness's or a scenario's own bug, kept distinct
        fault = phases.HARNESS.abort(error)
    finally:
        fault = run.close_skill(fault)
    return _result(built, index, seed, conditions, run, fault, time.perf_counter() - started)


class _Run:
    """One endurance run's cycles, with the skill object they share."""

    def __init__(
        self,
        built: BuiltScenario,
        make_skill: SkillFactory,
        make_criteria: CriteriaFactory,
        streams: EpisodeStreams,
        cycle_ticks: int,
    ) -> None:
        self.built, self.make_skill, self.make_criteria = built, make_skill, make_criteria
        self.streams, self.cycle_ticks = streams, cycle_ticks
        self.skill: Skill | None = None
        self.records: list[CycleRecord] = []
        self.faults: list[InjectedFault] = []

    def cycle(self, cycle: int, last: bool) -> None:
        """One task cycle; a skill that crashed is restarted, as an operator would, and the
        cycle counts as an intervention. The simulator failing ends the run."""
        built, spec = self.built, self.built.scenario.spec
        progress = Progress(criteria=list(self.make_criteria()))
        try:
            self._start(progress, cycle)
            assert self.skill is not None
            tick_loop(built, self.skill, built.world.read(), self.streams, progress, self.cycle_ticks)
        except EpisodeAbort as fault:
            if fault.outcome is not Outcome.SKILL_ERROR:
                raise
            progress.fault = fault
            self.close_skill(None)  # the operator restarts the controller (a new object)
        finally:
            self._end_faults(progress, cycle)
        results = criteria_results(progress, spec.control_dt)
        outcome, ended_by, reason = decide(progress, results, built.scenario)
        sim_s = progress.tick * spec.control_dt
        self.records.append(CycleRecord(cycle=cycle, outcome=outcome, ticks=progress.tick, sim_s=sim_s,
                                        ended_by=ended_by, reason=reason))  # fmt: skip
        if not last:
            renewed = built.scenario.sample_conditions(self.streams.scenario)
            if outcome is Outcome.SUCCESS:
                built.scenario.next_cycle(built.world, renewed)
            else:
                reset_world(built, renewed)  # an operator steps in and resets the cell

    def _start(self, progress: Progress, cycle: int) -> None:
        built = self.built
        arm(built, progress, self.streams, self.cycle_ticks, cycle)
        if self.skill is None:
            self.skill = phases.SKILL_CONSTRUCTOR.run(self.make_skill)
        skill, task = self.skill, built.task_info(self.cycle_ticks)
        phases.SKILL_RESET.run(lambda: skill.reset(task, self.streams.skill))

    def _end_faults(self, progress: Progress, cycle: int) -> None:
        injector = progress.injector
        if injector is not None:
            injector.clear_active(self.built.scenario, self.built.world, progress.tick)
            self.faults += [f.model_copy(update={"cycle": cycle}) for f in injector.injected(progress.tick)]

    def close_skill(self, fault: EpisodeAbort | None) -> EpisodeAbort | None:
        closing = Progress(fault=fault)
        close_skill(self.skill, closing)
        self.skill = None
        return closing.fault


def _result(
    built: BuiltScenario,
    index: int,
    seed: int,
    conditions: Conditions,
    run: _Run,
    fault: EpisodeAbort | None,
    wall_s: float,
) -> EpisodeResult:
    spec, records = built.scenario.spec, run.records
    interventions = [r for r in records if r.outcome is not Outcome.SUCCESS]
    ticks = sum(r.ticks for r in records)
    if fault is not None:
        outcome, ended_by, reason = fault.outcome, f"cycle {len(records)}: {fault.ended_by}", fault.reason
    elif interventions:
        first = interventions[0]
        outcome, ended_by = Outcome.FAILURE, "interventions"
        reason = (
            f"{len(interventions)} intervention(s) in {len(records)} cycles; first in cycle "
            f"{first.cycle}: {first.outcome.value} ({first.reason or first.ended_by})"
        )
    else:
        outcome, ended_by, reason = Outcome.SUCCESS, "cycles_done", ""
    return EpisodeResult(
        scenario=spec.id, index=index, seed=seed, outcome=outcome, ended_by=ended_by, reason=reason,
        conditions=conditions, criteria=[], cycles=records, faults=run.faults,
        metrics={"cycles": float(len(records)), "interventions": float(len(interventions))},
        timing=timing(spec, ticks, wall_s),
    )  # fmt: skip
