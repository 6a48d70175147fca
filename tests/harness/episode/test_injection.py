"""Fault injection on the point-robot doubles: timing, triggers, dropouts and world faults."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import pytest

from criteria.task_success import TaskSuccess
from harness.episode.engine import BuiltScenario, run_episode
from harness.episode.injection import arm_faults
from harness.faults import ArmedFault
from harness.records import TaskEvent, WorldState
from harness.results import EpisodeResult, InjectedFault, Outcome
from harness.testing import ObservingSkill, PointWorld, ReachScenario, ScriptedSkill, reach_spec
from harness.world import World


class FaultyReach(ReachScenario):
    """Reach, with a 'halfway' event and a world fault that moves the target while it lasts."""

    fault_kinds: ClassVar[frozenset[str]] = frozenset({"blocked_path"})

    def reset(self, world: World, conditions: dict[str, Any]) -> None:
        super().reset(world, conditions)
        self.original, self.halfway_seen, self.calls = self.target, False, []

    def events(self, state: WorldState, tick: int) -> tuple[TaskEvent, ...]:
        if not self.halfway_seen and state.robot.ee_position[0] > self.target[0] / 2:
            self.halfway_seen = True
            return (TaskEvent("halfway", "robot"),)
        return ()

    def inject_fault(self, world: World, fault: ArmedFault, state: WorldState) -> str:
        self.calls.append(("inject", self._tick(state)))
        self.target = self.original + np.array([0.0, 0.5, 0.0])
        return "target moved"

    def clear_fault(self, world: World, fault: ArmedFault) -> None:
        self.calls.append(("clear", None))
        self.target = self.original

    def _tick(self, state: WorldState) -> float:
        return float(state.robot.ee_position[0])


def slow_reach(tick: int, observation: Any) -> list[float]:
    """Creep towards the observed target, so faults land mid-episode."""
    position, target = observation["ee_position"], observation["target_position"]
    step = np.clip(np.asarray(target) - np.asarray(position), -0.01, 0.01)
    return [*(np.asarray(position) + step), 0.0, 0.0]


def run(faults: list[dict[str, Any]], seed: int = 3, scenario: type[ReachScenario] = ReachScenario,
        policy: Any = slow_reach, budget: float = 20) -> tuple[EpisodeResult, ObservingSkill]:  # fmt: skip
    spec = reach_spec(faults=faults, time_budget_s=budget)
    built = BuiltScenario.build(scenario(spec), PointWorld(spec.physics_rate_hz), "ee_pose")
    skill = ObservingSkill(ScriptedSkill(policy))
    result = run_episode(built, lambda: skill, lambda: [TaskSuccess()], 0, seed)
    return result, skill


# timing and determinism -------------------------------------------------------------------------
def test_a_dropout_at_a_fixed_time_fires_and_clears_on_the_planned_ticks() -> None:
    result, _ = run([{"kind": "sensor_dropout", "keys": ["ee_position"], "at_s": 1.0, "duration_s": 0.5}])
    assert result.faults == [
        InjectedFault(name="sensor_dropout", kind="sensor_dropout", tick=10, cleared_tick=15)
    ]  # 10 Hz control: 1.0 s is tick 10, half a second is 5 ticks


def test_the_same_seed_injects_the_same_faults_and_other_seeds_vary() -> None:
    faults = [{"kind": "sensor_dropout", "keys": ["ee_position"], "at_s": "uniform(0.5, 3.0)"}]
    first, again = run(faults, seed=11)[0], run(faults, seed=11)[0]
    assert first.deterministic_json() == again.deterministic_json()
    ticks = {run(faults, seed=seed)[0].faults[0].tick for seed in range(12)}
    assert len(ticks) > 5 and min(ticks) >= 5 and max(ticks) <= 30


def test_each_fault_draws_from_its_own_stream() -> None:
    """Adding a fault, or changing another's probability or distribution, never moves it."""
    first = {"kind": "sensor_dropout", "name": "a", "keys": ["ee_position"], "at_s": "uniform(0.5, 3)"}
    second = {**first, "name": "b"}
    variants = [
        [first, second],
        [{**first, "probability": 0.01}, second],
        [{**first, "at_s": 1.0}, second],
        [second],
        [{**first, "name": "c"}, first, second],
    ]
    specs = [reach_spec(faults=faults).faults for faults in variants]
    for seed in range(20):
        armed = [arm_faults(faults, np.random.SeedSequence(seed), 10.0) for faults in specs]
        ticks = {next(a.fire_tick for a in each if a.spec.label == "b") for each in armed}
        assert len(ticks) == 1, (seed, ticks)


def test_probability_arms_the_fault_in_about_that_share_of_episodes() -> None:
    spec = reach_spec(
        faults=[{"kind": "sensor_dropout", "keys": ["ee_position"], "at_s": 1, "probability": 0.3}]
    )
    armed = sum(bool(arm_faults(spec.faults, np.random.SeedSequence(seed), 10.0)) for seed in range(2000))
    assert 0.26 < armed / 2000 < 0.34


def test_a_fault_due_after_the_episode_ended_is_not_reported() -> None:
    result, _ = run([{"kind": "sensor_dropout", "keys": ["ee_position"], "at_s": 19.0}])
    assert result.outcome is Outcome.SUCCESS
    assert result.faults == []


def test_a_fault_that_fires_on_the_last_tick_is_not_counted() -> None:
    """The task ended on that very tick: the skill never lived through the fault."""
    fault = {"kind": "sensor_dropout", "keys": ["target_position"], "at_s": 0.3}  # due at tick 3
    ended_at_three = 0
    for seed in range(30):
        result, _ = run([fault], seed=seed, policy=lambda tick, obs: [*obs["target_position"], 0.0, 0.0])
        assert all(f.tick < result.timing.ticks for f in result.faults)
        if result.timing.ticks == 3:
            ended_at_three += 1
            assert result.faults == []
        elif result.timing.ticks > 3:
            assert [f.tick for f in result.faults] == [3]
    assert ended_at_three  # the case this test is about did happen


def test_a_fault_that_is_not_armed_leaves_the_episode_exactly_as_without_faults() -> None:
    plain, _ = run([], seed=5)
    fault = {"kind": "sensor_dropout", "keys": ["ee_position"], "at_s": 1.0, "probability": 1e-9}
    unarmed, _ = run([fault], seed=5)
    assert unarmed.faults == [] and plain.outcome is Outcome.SUCCESS
    assert unarmed.deterministic_json() == plain.deterministic_json()


def test_a_fault_may_follow_another_fault() -> None:
    first = {"kind": "sensor_dropout", "name": "first", "keys": ["ee_position"], "at_s": 1.0}
    second = {
        "kind": "sensor_dropout",
        "name": "second",
        "keys": ["target_position"],
        "after": "fault",
        "delay_s": 0.2,
    }
    result, _ = run([first, second])
    assert [(f.name, f.tick) for f in result.faults] == [("first", 10), ("second", 12)]


# sensor dropouts --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("mode", "check"),
    [
        ("hold", lambda seen, before: np.array_equal(seen, before)),
        ("zeros", lambda seen, before: not np.any(seen)),
        ("nan", lambda seen, before: np.all(np.isnan(seen))),
    ],
)
def test_dropout_modes_change_only_the_named_keys_while_active(mode: str, check: Any) -> None:
    fault = {"kind": "sensor_dropout", "keys": ["ee_position"], "at_s": 1.0, "duration_s": 0.5, "mode": mode}
    _, skill = run([fault], policy=lambda tick, obs: [0.01 * (tick + 1), 0.0, 0.0, 0.0, 0.0])
    seen = [np.asarray(o["ee_position"]) for o in skill.observations]  # seen[k] decides tick k + 1
    before = seen[9]  # the last reading before the fault fired at the end of tick 10
    for tick in range(10, 15):  # until it cleared at the end of tick 15
        assert check(seen[tick], before), (tick, seen[tick])
        assert np.array_equal(
            skill.observations[tick]["target_position"], skill.observations[0]["target_position"]
        )
    assert seen[15][0] > before[0] + 0.05  # fresh readings again once it cleared


def test_a_skill_blind_during_a_dropout_fails_to_notice_the_target_move() -> None:
    """Known bad: a skill that trusts a held reading keeps reaching for an old target."""
    faults = [{"kind": "sensor_dropout", "keys": ["target_position"], "at_s": 0.1, "duration_s": 30}]
    result, _ = run(faults, scenario=FaultyReach, budget=5)
    assert result.outcome is Outcome.SUCCESS  # the target never moved: holding the reading is harmless
    both = [*faults, {"kind": "blocked_path", "at_s": 0.5, "duration_s": 30}]
    result, _ = run(both, scenario=FaultyReach, budget=5)
    assert result.outcome is Outcome.TIMEOUT  # the target moved while the skill was blind to it


def test_two_dropouts_of_one_key_each_hold_their_own_reading() -> None:
    early = {
        "kind": "sensor_dropout",
        "name": "early",
        "keys": ["ee_position"],
        "at_s": 1.0,
        "duration_s": 0.5,
    }
    late = {**early, "name": "late", "at_s": 2.0}
    for faults in ([early, late], [late, early]):
        _, skill = run(faults, policy=lambda tick, obs: [0.01 * (tick + 1), 0.0, 0.0, 0.0, 0.0])
        seen = [float(o["ee_position"][0]) for o in skill.observations]
        assert seen[10:15] == [seen[9]] * 5 and seen[20:25] == [seen[19]] * 5, seen[8:26]


def test_a_held_reading_is_not_changed_by_a_skill_writing_into_its_observation() -> None:
    def scribble(tick: int, observation: Any) -> list[float]:
        observation["ee_position"][0] += 100.0  # a skill that uses its observation as scratch space
        return [0.01 * (tick + 1), 0.0, 0.0, 0.0, 0.0]

    fault = {"kind": "sensor_dropout", "keys": ["ee_position"], "at_s": 1.0, "duration_s": 0.5}
    spec = reach_spec(faults=[fault], time_budget_s=3)
    built = BuiltScenario.build(ReachScenario(spec), PointWorld(spec.physics_rate_hz), "ee_pose")
    seen: list[float] = []

    def recording(tick: int, observation: Any) -> list[float]:
        seen.append(float(observation["ee_position"][0]))
        return (
            scribble(tick, {"ee_position": np.array(observation["ee_position"])})
            if tick < 10
            else scribble(tick, observation)
        )

    run_episode(built, lambda: ScriptedSkill(recording), lambda: [TaskSuccess()], 0, 1)
    assert len(set(seen[10:15])) == 1 and seen[10] < 1.0


# world faults -----------------------------------------------------------------------------------
def test_an_event_triggered_world_fault_fires_after_its_delay_and_is_cleared() -> None:
    faults = [{"kind": "blocked_path", "after": "halfway", "delay_s": 0.3, "duration_s": 1.0}]
    result, skill = run(faults, scenario=FaultyReach)
    (fault,) = result.faults
    assert fault.subject == "robot" and fault.detail == "target moved"
    assert fault.cleared_tick == fault.tick + 10
    moved = [o["target_position"][1] for o in skill.observations]
    assert moved[fault.tick] - moved[fault.tick - 1] == pytest.approx(0.5)
    assert moved[fault.cleared_tick] == pytest.approx(moved[0])
    assert result.outcome is Outcome.SUCCESS  # the skill followed the target and came back


def test_a_world_fault_still_active_at_the_end_is_cleared_by_the_teardown() -> None:
    spec = reach_spec(faults=[{"kind": "blocked_path", "at_s": 0.5, "duration_s": 60}], time_budget_s=2)
    scenario = FaultyReach(spec)
    built = BuiltScenario.build(scenario, PointWorld(spec.physics_rate_hz), "ee_pose")
    result = run_episode(built, lambda: ScriptedSkill(slow_reach), lambda: [TaskSuccess()], 0, 1)
    assert result.faults[0].cleared_tick == result.timing.ticks == 20  # cleared by the teardown
    assert [call for call, _ in scenario.calls] == ["inject", "clear"]


def test_criteria_are_told_when_a_fault_starts_and_ends() -> None:
    from harness.testing import RecordingCriterion

    spec = reach_spec(
        faults=[{"kind": "sensor_dropout", "keys": ["ee_position"], "at_s": 1, "duration_s": 0.2}]
    )
    built = BuiltScenario.build(ReachScenario(spec), PointWorld(spec.physics_rate_hz), "ee_pose")
    recorder = RecordingCriterion()
    run_episode(built, lambda: ScriptedSkill(slow_reach), lambda: [recorder], 0, 1)
    events = {(r.tick, e.name) for r in recorder.records for e in r.events}
    assert events == {(10, "fault"), (12, "fault_cleared")}


class ReachWithWalls(FaultyReach):
    """A world fault that can only be injected once the point is past x = 0.2."""

    def inject_fault(self, world: World, fault: ArmedFault, state: WorldState) -> str | None:
        if state.robot.ee_position[0] < 0.2:
            return None
        return super().inject_fault(world, fault, state)


def test_a_fault_the_scenario_cannot_inject_yet_is_tried_again_every_tick() -> None:
    result, skill = run([{"kind": "blocked_path", "at_s": 0.2, "duration_s": 0.5}], scenario=ReachWithWalls)
    (fault,) = result.faults
    x_when_fired = skill.observations[fault.tick - 1]["ee_position"][0]  # what the tick saw before it
    assert fault.tick > 2 and x_when_fired >= 0.19  # due at tick 2, fired once there was room
    never, _ = run(
        [{"kind": "blocked_path", "at_s": 0.2}],
        scenario=ReachWithWalls,
        policy=lambda t, o: [0.1, 0, 0, 0, 0],
    )
    assert never.faults == []  # never injectable: not counted as injected
