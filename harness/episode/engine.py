"""One episode, in phases: setup, the tick loop, teardown that always runs, and the result.

The tick loop is the hot path: no validation models, no logging, nothing it can avoid.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from harness.criterion import Criterion, EpisodeContext, EpisodeEnd
from harness.episode.commands import validate_command
from harness.episode.injection import FaultInjector, arm_faults
from harness.errors import InvalidCommand, UsageError
from harness.plan.seeding import EpisodeStreams
from harness.records import RobotHardLimits, StepRecord, TaskStatus, WorldState
from harness.results import CriterionResult, EpisodeResult, Outcome, Timing, Verdict
from harness.scenario import Conditions, Scenario
from harness.skill import CommandSpace, Skill, TaskInfo
from harness.spec import ScenarioSpec
from harness.world import World

SkillFactory = Callable[[], Skill]
_NO_METRICS: Mapping[str, float] = MappingProxyType({})  # shared by every step record
CriteriaFactory = Callable[[], Sequence[Criterion]]


class EpisodeAbort(Exception):
    """Ends an episode early with an outcome that says whose fault it was."""

    def __init__(self, outcome: Outcome, ended_by: str, reason: str) -> None:
        super().__init__(reason)
        self.outcome, self.ended_by, self.reason = outcome, ended_by, reason


@dataclass
class BuiltScenario:
    """A scenario together with the world it built once; reset for every episode."""

    scenario: Scenario
    world: World
    command_space: CommandSpace
    robot_limits: Mapping[str, RobotHardLimits] = field(default_factory=dict)
    episodes_started: int = 0

    def prepare(self) -> None:
        """Called before each episode: a world that cannot be restored exactly is rebuilt."""
        if self.episodes_started and not self.world.restores_exactly:
            fresh = type(self.world)(self.world.physics_rate_hz)
            self.world.close()
            self.world = fresh
            self.scenario.build(fresh)
            fresh.save_baseline()
        self.episodes_started += 1

    @classmethod
    def build(cls, scenario: Scenario, world: World, command_kind: str) -> BuiltScenario:
        try:
            scenario.build(world)
            world.save_baseline()
        except BaseException:
            world.close()  # a half-built world must not keep its simulator client
            raise
        spaces = scenario.command_spaces(world)
        if command_kind not in spaces:
            world.close()
            raise UsageError(
                f"the skill emits '{command_kind}' commands but robot '{scenario.spec.robot}' "
                f"accepts {', '.join(sorted(spaces))}; pick a skill written for this robot"
            )
        return cls(scenario, world, spaces[command_kind], dict(world.robot_limits()))

    def task_info(self, max_ticks: int | None = None) -> TaskInfo:
        """What the skill is told; ``max_ticks``: its budget, if not the spec's (a cycle's)."""
        spec = self.scenario.spec
        return TaskInfo(
            scenario=spec.id,
            robot=spec.robot,
            control_dt=spec.control_dt,
            max_ticks=spec.max_ticks if max_ticks is None else max_ticks,
            command_space=self.command_space,
            observation_shapes=self.scenario.observation_shapes(),
            goal=self.scenario.goal(),
        )


@dataclass
class Progress:
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
    spec = built.scenario.spec
    if conditions is None:
        conditions = built.scenario.sample_conditions(streams.scenario)
    progress = Progress()
    skill: Skill | None = None
    try:
        skill, state = _setup(built, make_skill, make_criteria, conditions, streams, progress)
        tick_loop(built, skill, state, streams, progress)
    except EpisodeAbort as fault:
        progress.fault = fault
    except Exception as error:  # the harness's or a scenario's own bug, kept distinct
        progress.fault = EpisodeAbort(Outcome.HARNESS_ERROR, "harness_error", describe(error))
    finally:
        close_skill(skill, progress)
        _clear_faults(built, progress)
    results = criteria_results(progress, spec.control_dt)
    outcome, ended_by, reason = decide(progress, results, built.scenario)
    return EpisodeResult(
        scenario=spec.id,
        index=index,
        seed=seed,
        outcome=outcome,
        ended_by=ended_by,
        reason=reason,
        conditions=conditions,
        criteria=results,
        metrics=built.scenario.episode_metrics() if progress.fault is None else {},
        faults=progress.injector.injected(progress.tick) if progress.injector is not None else [],
        timing=Timing(
            sim_s=progress.tick * spec.control_dt,
            ticks=progress.tick,
            physics_steps=progress.tick * spec.substeps,
            wall_s=time.perf_counter() - started,
        ),
    )


def failed_to_start(spec: ScenarioSpec, index: int, seed: int, reason: str) -> EpisodeResult:
    """The result of an episode whose world could not even be built (infrastructure)."""
    return EpisodeResult(
        scenario=spec.id,
        index=index,
        seed=seed,
        outcome=Outcome.SIM_ERROR,
        ended_by="build",
        reason=reason,
        conditions={},
        criteria=[],
        timing=Timing(sim_s=0.0, ticks=0, physics_steps=0, wall_s=0.0),
    )


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
    skill = call_skill("constructor", make_skill)
    call_skill("reset", lambda: skill.reset(built.task_info(), streams.skill))
    return skill, state


def reset_world(built: BuiltScenario, conditions: Conditions, prepare: bool = False) -> None:
    """Put the world in the state ``conditions`` describe; failing is the simulator's fault."""
    try:
        if prepare:
            built.prepare()
        built.scenario.reset(built.world, conditions)
    except Exception as error:
        raise EpisodeAbort(Outcome.SIM_ERROR, "reset", describe(error)) from error


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
    """Run control ticks until the task ends, a criterion stops it or ``max_ticks`` pass."""
    scenario, world, space = built.scenario, built.world, built.command_space
    spec = scenario.spec
    kind, substeps, dt, noise = space.kind, spec.substeps, spec.control_dt, streams.observation_noise
    injector = progress.injector
    # criteria that only judge the end are not called every tick
    folding = [(c.name, c.fold) for c in progress.criteria if _folds(c)]
    for tick in range(spec.max_ticks if max_ticks is None else max_ticks):
        observation = scenario.observe(state, noise)
        if injector is not None:
            observation = injector.observe(observation)
        try:
            raw = skill.act(observation)
        except Exception as error:
            raise EpisodeAbort(
                Outcome.SKILL_ERROR, f"tick {tick}", f"skill raised {describe(error)}"
            ) from error
        try:
            command = validate_command(raw, space, tick)
        except InvalidCommand as error:
            raise EpisodeAbort(
                Outcome.SKILL_ERROR, f"tick {tick}", f"invalid command: {error.reason}"
            ) from error
        try:
            scenario.apply(world, kind, command)
            world.step(substeps)
            state = world.read()
        except Exception as error:
            raise EpisodeAbort(Outcome.SIM_ERROR, f"tick {tick}", describe(error)) from error
        progress.tick = done = tick + 1
        events = scenario.events(state, done)  # first: a drop noticed now ends the task now
        if injector is not None:
            events = injector.after_tick(scenario, world, state, done, events)
        status = scenario.status(state, done)
        record = StepRecord(done, done * dt, command, state, status, events, _NO_METRICS)
        for name, fold in folding:
            reason = fold(record)
            if reason is not None:
                progress.stop = (name, reason)
        progress.status = status
        if status is TaskStatus.SUCCEEDED:
            progress.success_tick = done
        if status is not TaskStatus.RUNNING or progress.stop is not None:
            return


def _folds(criterion: Criterion) -> bool:
    return getattr(criterion.fold, "__func__", None) is not Criterion.fold


def call_skill(phase: str, call: Callable[[], Skill | None]) -> Skill:
    try:
        return call()  # type: ignore[return-value]
    except Exception as error:
        raise EpisodeAbort(Outcome.SKILL_ERROR, phase, f"skill {phase} raised {describe(error)}") from error


def close_skill(skill: Skill | None, progress: Progress) -> None:
    if skill is None:
        return
    try:
        skill.close()
    except Exception as error:
        if progress.fault is None:
            progress.fault = EpisodeAbort(
                Outcome.SKILL_ERROR, "close", f"skill close raised {describe(error)}"
            )


def _clear_faults(built: BuiltScenario, progress: Progress) -> None:
    if progress.injector is None:
        return
    try:
        progress.injector.clear_active(built.scenario, built.world, progress.tick)
    except Exception as error:
        if progress.fault is None:
            progress.fault = EpisodeAbort(Outcome.HARNESS_ERROR, "teardown", describe(error))


def criteria_results(progress: Progress, control_dt: float) -> list[CriterionResult]:
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


def describe(error: BaseException) -> str:
    frames = traceback.extract_tb(error.__traceback__)
    where = f" at {frames[-1].filename}:{frames[-1].lineno}" if frames else ""
    return f"{type(error).__name__}: {error}{where}"
