"""One episode, in phases: setup, the tick loop, teardown that always runs, and the result.

Each phase's errors are turned into an outcome the same way (``harness.episode.phases``). The
tick loop is the hot path: no validation models, no logging, nothing it can avoid.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from harness.criterion import Criterion, EpisodeContext, EpisodeEnd
from harness.episode import phases
from harness.episode.built import BuiltScenario
from harness.episode.commands import validate_command
from harness.episode.injection import FaultInjector, arm_faults
from harness.episode.phases import EpisodeAbort, Phase
from harness.errors import InvalidCommand
from harness.plan.seeding import EpisodeStreams
from harness.records import FloatArray, StepRecord, TaskStatus, WorldState
from harness.results import CriterionResult, EpisodeResult, Outcome, Timing, Verdict
from harness.scenario import Conditions, Scenario
from harness.skill import Skill
from harness.spec import ScenarioSpec

__all__ = ["BuiltScenario", "CriteriaFactory", "EpisodeAbort", "Progress", "SkillFactory", "run_episode"]

SkillFactory = Callable[[], Skill]
CriteriaFactory = Callable[[], Sequence[Criterion]]
_NO_METRICS: Mapping[str, float] = MappingProxyType({})  # shared by every step record


@dataclass
class Progress:
    """How far an episode (or one endurance cycle) got, and how it is ending."""

    tick: int = 0
    status: TaskStatus = TaskStatus.RUNNING
    success_tick: int | None = None
    stop: tuple[str, str] | None = None  # (criterion, reason)
    fault: EpisodeAbort | None = None
    criteria: list[Criterion] = field(default_factory=list)
    injector: FaultInjector | None = None


def run_episode(
    built: BuiltScenario,
    make_skill: SkillFactory,
    make_criteria: CriteriaFactory,
    index: int,
    seed: int,
    conditions: Conditions | None = None,
) -> EpisodeResult:
    """Run one episode; whatever the skill does, a result comes back."""
    started = time.perf_counter()
    streams = EpisodeStreams.from_seed(seed)
    if conditions is None:
        conditions = built.scenario.sample_conditions(streams.scenario)
    progress = Progress()
    skill: Skill | None = None
    try:
        skill, state = _setup(built, make_skill, make_criteria, conditions, streams, progress)
        tick_loop(built, skill, state, streams, progress)
    except EpisodeAbort as fault:
        progress.fault = fault
    except Exception as error:
        progress.fault = phases.HARNESS.abort(error)
    finally:
        close_skill(skill, progress)
        _clear_faults(built, progress)
    return _result(built, index, seed, conditions, progress, time.perf_counter() - started)


def _result(
    built: BuiltScenario, index: int, seed: int, conditions: Conditions, progress: Progress, wall_s: float
) -> EpisodeResult:
    spec = built.scenario.spec
    results = criteria_results(progress, spec.control_dt)
    outcome, ended_by, reason = decide(progress, results, built.scenario)
    injector = progress.injector
    return EpisodeResult(
        scenario=spec.id, index=index, seed=seed, outcome=outcome, ended_by=ended_by, reason=reason,
        conditions=conditions, criteria=results,
        metrics=built.scenario.episode_metrics() if progress.fault is None else {},
        faults=injector.injected(progress.tick) if injector is not None else [],
        timing=timing(spec, progress.tick, wall_s),
    )  # fmt: skip


def timing(spec: ScenarioSpec, ticks: int, wall_s: float) -> Timing:
    """Simulated time and steps of ``ticks`` control ticks (integer ticks: no float drift)."""
    return Timing(
        sim_s=ticks * spec.control_dt, ticks=ticks, physics_steps=ticks * spec.substeps, wall_s=wall_s
    )


def failed_to_start(spec: ScenarioSpec, index: int, seed: int, reason: str) -> EpisodeResult:
    """The result of an episode whose world could not even be built (infrastructure)."""
    return EpisodeResult(
        scenario=spec.id, index=index, seed=seed, outcome=Outcome.SIM_ERROR, ended_by="build",
        reason=reason, conditions={}, criteria=[], timing=timing(spec, 0, 0.0),
    )  # fmt: skip


def _setup(
    built: BuiltScenario,
    make_skill: SkillFactory,
    make_criteria: CriteriaFactory,
    conditions: Conditions,
    streams: EpisodeStreams,
    progress: Progress,
) -> tuple[Skill, WorldState]:
    reset_world(built, conditions, prepare=True)
    state = built.world.read()
    progress.criteria = list(make_criteria())
    arm(built, progress, streams, built.scenario.spec.max_ticks)
    skill = phases.SKILL_CONSTRUCTOR.run(make_skill)
    phases.SKILL_RESET.run(lambda: skill.reset(built.task_info(), streams.skill))
    return skill, state


def reset_world(built: BuiltScenario, conditions: Conditions, prepare: bool = False) -> None:
    """Put the world in the state ``conditions`` describe; failing is the simulator's fault."""

    def reset() -> None:
        if prepare:
            built.prepare()
        built.scenario.reset(built.world, conditions)

    phases.WORLD_RESET.run(reset)


def arm(
    built: BuiltScenario, progress: Progress, streams: EpisodeStreams, max_ticks: int, cycle: int = 0
) -> None:
    """Reset the criteria for a task of ``max_ticks`` and decide its faults (for ``cycle``)."""
    spec = built.scenario.spec
    context = EpisodeContext(spec.id, spec.control_dt, max_ticks, built.robot_limits)
    for criterion in progress.criteria:
        criterion.reset(context)
    armed = arm_faults(spec.faults, streams.faults, spec.control_rate_hz, cycle)
    progress.injector = FaultInjector(armed) if armed else None


def tick_loop(
    built: BuiltScenario,
    skill: Skill,
    state: WorldState,
    streams: EpisodeStreams,
    progress: Progress,
    max_ticks: int | None = None,
) -> None:
    """Run control ticks until the task ends, a criterion stops it or ``max_ticks`` pass.

    ``phase`` says whose code runs, so one handler can say whose fault an error is.
    """
    scenario, world, space = built.scenario, built.world, built.command_space
    kind, substeps, noise = space.kind, scenario.spec.substeps, streams.observation_noise
    injector, judge = progress.injector, _Judge(built, progress)
    phase, tick = phases.HARNESS, 0
    try:
        for tick in range(scenario.spec.max_ticks if max_ticks is None else max_ticks):
            observation = scenario.observe(state, noise)
            if injector is not None:
                observation = injector.observe(observation)
            phase = phases.SKILL_ACT
            raw = skill.act(observation)
            phase = phases.COMMAND
            command = validate_command(raw, space, tick)
            phase = phases.SIMULATION
            scenario.apply(world, kind, command)
            world.step(substeps)
            state = world.read()
            phase = phases.HARNESS
            if judge.tick(tick + 1, command, state):
                return
    except Exception as error:
        raise _whose(phase, error).abort(error, tick) from error


def _whose(phase: Phase, error: Exception) -> Phase:
    # only a rejected command is the skill's; anything else raised while checking it is ours
    return phases.HARNESS if phase is phases.COMMAND and not isinstance(error, InvalidCommand) else phase


class _Judge:
    """After each tick: events, faults, task status, the criteria's folds, and whether to stop."""

    def __init__(self, built: BuiltScenario, progress: Progress) -> None:
        self.scenario, self.world, self.progress = built.scenario, built.world, progress
        self.dt, self.injector = built.scenario.spec.control_dt, progress.injector
        # criteria that only judge the end are not called every tick
        self.folding = [(c.name, c.fold) for c in progress.criteria if _folds(c)]

    def tick(self, done: int, command: FloatArray, state: WorldState) -> bool:
        """Judge tick ``done`` (1-based); True when the episode ends here."""
        scenario, progress = self.scenario, self.progress
        progress.tick = done
        events = scenario.events(state, done)  # first: a drop noticed now ends the task now
        if self.injector is not None:
            events = self.injector.after_tick(scenario, self.world, state, done, events)
        status = scenario.status(state, done)
        record = StepRecord(done, done * self.dt, command, state, status, events, _NO_METRICS)
        for name, fold in self.folding:
            reason = fold(record)
            if reason is not None:
                progress.stop = (name, reason)
        progress.status = status
        if status is TaskStatus.SUCCEEDED:
            progress.success_tick = done
        return status is not TaskStatus.RUNNING or progress.stop is not None


def _folds(criterion: Criterion) -> bool:
    return getattr(criterion.fold, "__func__", None) is not Criterion.fold


def close_skill(skill: Skill | None, progress: Progress) -> None:
    """Teardown: close the skill whatever happened; an error there counts only if nothing
    else went wrong first."""
    if skill is None:
        return
    try:
        phases.SKILL_CLOSE.run(skill.close)
    except EpisodeAbort as fault:
        progress.fault = progress.fault or fault


def _clear_faults(built: BuiltScenario, progress: Progress) -> None:
    injector = progress.injector
    if injector is None:
        return
    try:
        phases.TEARDOWN.run(lambda: injector.clear_active(built.scenario, built.world, progress.tick))
    except EpisodeAbort as fault:
        progress.fault = progress.fault or fault


def criteria_results(progress: Progress, control_dt: float) -> list[CriterionResult]:
    """Every criterion's verdict on the episode (none when infrastructure ended it)."""
    if progress.fault is not None and not progress.fault.outcome.scored:
        return []
    end = EpisodeEnd(
        status=progress.status,
        last_tick=progress.tick,
        truncated=progress.status is TaskStatus.RUNNING and progress.stop is None and progress.fault is None,
        success_tick=progress.success_tick,
        control_dt=control_dt,
    )
    return [criterion.result(end) for criterion in progress.criteria]


def decide(
    progress: Progress, results: list[CriterionResult], scenario: Scenario
) -> tuple[Outcome, str, str]:
    """The episode's (outcome, ended_by, reason), in order of precedence."""
    if progress.fault is not None:
        fault = progress.fault
        return fault.outcome, fault.ended_by, fault.reason
    if progress.stop is not None:
        name, reason = progress.stop
        return Outcome.SAFETY_STOP, f"criterion:{name}", reason
    if progress.status is TaskStatus.FAILED:
        return Outcome.FAILURE, "task_failed", scenario.failure_reason()
    if progress.status is TaskStatus.RUNNING:
        return Outcome.TIMEOUT, "time_budget", f"task not done after {progress.tick} ticks"
    failed = [r.name for r in results if r.required and r.verdict is Verdict.FAIL]
    if failed:
        return Outcome.FAILURE, f"criterion:{failed[0]}", f"required criteria failed: {', '.join(failed)}"
    return Outcome.SUCCESS, "task_succeeded", ""
