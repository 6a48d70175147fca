"""Every registered scenario honours the contract, with its reference skill and a random one.

Checked for each built-in spec: observation keys and shapes match the declaration on every
tick, episodes end within the budget, nothing is an infrastructure error, and results are
deterministic per seed.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from criteria.task_success import TaskSuccess
from harness.episode.engine import BuiltScenario, run_episode
from harness.plan.loading import load_model
from harness.plan.resolve import builtin_specs
from harness.registry import load_plugin, plugin_infos
from harness.results import EpisodeResult
from harness.scenario import Scenario
from harness.skill import Skill
from harness.spec import ScenarioSpec
from harness.testing import ObservingSkill, RandomSkill

pytestmark = pytest.mark.sim
SPECS = sorted(builtin_specs().items())


def build(spec: ScenarioSpec) -> tuple[BuiltScenario, type[Skill]]:
    scenario_class: type[Scenario] = load_plugin("scenarios", spec.kind)
    assert scenario_class.reference_skill, f"{spec.kind} names no reference skill"
    skill_class: type[Skill] = load_plugin("skills", scenario_class.reference_skill)
    world = load_plugin("sims", spec.sim)(spec.physics_rate_hz)
    return BuiltScenario.build(scenario_class(spec), world, skill_class.command_kind), skill_class


def episode(built: BuiltScenario, make: Callable[[], Skill], seed: int) -> EpisodeResult:
    return run_episode(built, make, lambda: [TaskSuccess()], 0, seed)


def test_every_registered_scenario_ships_a_spec() -> None:
    kinds = {load_model(ScenarioSpec, path).model.kind for _, path in SPECS}
    assert {info.name for info in plugin_infos("scenarios")} <= kinds


@pytest.mark.parametrize(("spec_id", "path"), SPECS, ids=[s for s, _ in SPECS])
def test_reference_skill_keeps_the_contract(spec_id: str, path: object) -> None:
    spec = load_model(ScenarioSpec, path).model  # type: ignore[arg-type]
    built, skill_class = build(spec)
    try:
        shapes = built.scenario.observation_shapes()
        assert set(shapes) == set(built.scenario.observation_keys)
        assert set(skill_class.observation_keys) <= set(shapes)
        for seed in (1, 2):
            observer = ObservingSkill(skill_class())
            first = episode(built, lambda o=observer: o, seed)  # type: ignore[misc]
            assert first.outcome.scored, first.reason
            assert first.timing.ticks <= spec.max_ticks
            for observation in observer.observations:
                assert {k: np.shape(v) for k, v in observation.items()} == dict(shapes)
                assert all(np.isfinite(v).all() for v in observation.values())
            again = episode(built, skill_class, seed)
            assert again.deterministic_json() == first.deterministic_json()
    finally:
        built.world.close()


@pytest.mark.parametrize(("spec_id", "path"), SPECS, ids=[s for s, _ in SPECS])
def test_random_skill_cannot_break_the_harness(spec_id: str, path: object) -> None:
    spec = load_model(ScenarioSpec, path).model  # type: ignore[arg-type]
    built, _ = build(spec)
    try:
        for seed in (3, 4):
            result = episode(built, RandomSkill, seed)
            assert result.outcome.scored, result.reason
            assert result.timing.ticks <= spec.max_ticks
            assert episode(built, RandomSkill, seed).deterministic_json() == result.deterministic_json()
    finally:
        built.world.close()
