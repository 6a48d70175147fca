"""Endurance runs: one world, the task repeated cycle after cycle without a reset.

Between successful cycles the scenario only renews the work (:meth:`Scenario.next_cycle`); the
robot carries on from where it stopped and the skill object lives on (its ``reset`` starts each
cycle), so drift, leaked state and wear-like slowdowns show up as they would on a shift. A cycle
that fails, times out or is stopped is an *intervention*: the cell is reset, as an operator
would, and the run goes on. Criteria judge every cycle on its own.
"""

from __future__ import annotations

import time

from harness.criterion import EpisodeContext
from harness.engine import (
    BuiltScenario,
    CriteriaFactory,
    EpisodeFault,
    Progress,
    SkillFactory,
    call_skill,
    close_skill,
    criteria_results,
    decide,
    describe,
    tick_loop,
)
from harness.results import CycleRecord, EpisodeResult, Outcome, Timing
from harness.scenario import Conditions
from harness.seeding import EpisodeStreams
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
    """Run ``cycles`` task cycles of at most ``cycle_ticks`` each; whatever happens, a result."""
    started = time.perf_counter()
    streams = EpisodeStreams.from_seed(seed)
    scenario = built.scenario
    if conditions is None:
        conditions = scenario.sample_conditions(streams.scenario)
    records: list[CycleRecord] = []
    fault: EpisodeFault | None = None
    skill: Skill | None = None
    try:
        _reset(built, conditions, prepare=True)
        skill = call_skill("constructor", make_skill)
        _run_cycles(built, skill, make_criteria, streams, cycles, cycle_ticks, records)
    except EpisodeFault as error:
        fault = error
    except Exception as error:  # the harness's or a scenario's own bug, kept distinct
        fault = EpisodeFault(Outcome.HARNESS_ERROR, "harness_error", describe(error))
    finally:
        closing = Progress(fault=fault)
        close_skill(skill, closing)
        fault = closing.fault
    return _result(built, index, seed, conditions, records, fault, time.perf_counter() - started)


def _reset(built: BuiltScenario, conditions: Conditions, prepare: bool = False) -> None:
    try:
        if prepare:
            built.prepare()
        built.scenario.reset(built.world, conditions)
    except Exception as error:
        raise EpisodeFault(Outcome.SIM_ERROR, "reset", describe(error)) from error


def _run_cycles(
    built: BuiltScenario,
    skill: Skill,
    make_criteria: CriteriaFactory,
    streams: EpisodeStreams,
    cycles: int,
    cycle_ticks: int,
    records: list[CycleRecord],
) -> None:
    scenario = built.scenario
    spec = scenario.spec
    for cycle in range(cycles):
        progress = Progress(criteria=list(make_criteria()))
        context = EpisodeContext(spec.id, spec.control_dt, cycle_ticks, built.robot_limits)
        for criterion in progress.criteria:
            criterion.reset(context)
        call_skill("reset", lambda: skill.reset(built.task_info(), streams.skill))
        tick_loop(built, skill, built.world.read(), streams, progress, cycle_ticks)
        outcome, ended_by, reason = decide(progress, criteria_results(progress, spec.control_dt), scenario)
        records.append(
            CycleRecord(
                cycle=cycle,
                outcome=outcome,
                ticks=progress.tick,
                sim_s=progress.tick * spec.control_dt,
                ended_by=ended_by,
                reason=reason,
            )
        )
        if cycle + 1 < cycles:
            renewed = scenario.sample_conditions(streams.scenario)
            if outcome is Outcome.SUCCESS:
                scenario.next_cycle(built.world, renewed)
            else:
                _reset(built, renewed)  # an operator steps in and resets the cell


def _result(
    built: BuiltScenario,
    index: int,
    seed: int,
    conditions: Conditions,
    records: list[CycleRecord],
    fault: EpisodeFault | None,
    wall_s: float,
) -> EpisodeResult:
    spec = built.scenario.spec
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
        conditions=conditions, criteria=[], cycles=records,
        metrics={"cycles": float(len(records)), "interventions": float(len(interventions))},
        timing=Timing(sim_s=ticks * spec.control_dt, ticks=ticks, physics_steps=ticks * spec.substeps,
                      wall_s=wall_s),
    )  # fmt: skip
