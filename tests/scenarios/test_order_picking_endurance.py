"""Order after order without a reset: the AMR comes back from the packing station to be loaded."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from criteria.task_success import TaskSuccess
from harness.episode.endurance import run_endurance
from harness.episode.engine import BuiltScenario
from harness.plan.loading import load_model
from harness.results import EpisodeResult, Outcome
from harness.skill import Observation, Skill
from harness.spec import ScenarioSpec
from harness.testing import ObservingSkill
from scenarios.warehouse.order_picking import OrderPickingScenario
from sims.pybullet import PyBulletWorld
from skills.order_picking import OrderPickingSkill

pytestmark = pytest.mark.sim
SPEC_FILE = Path(__file__).resolve().parents[2] / "scenarios" / "warehouse" / "order_picking-v1.yaml"
SEED = 7


def endure(skill: Skill, cycles: int, cycle_ticks: int | None = None) -> EpisodeResult:
    spec = load_model(ScenarioSpec, SPEC_FILE).model
    world = PyBulletWorld(spec.physics_rate_hz)
    built = BuiltScenario.build(OrderPickingScenario(spec), world, OrderPickingSkill.command_kind)
    try:
        budget = cycle_ticks or spec.max_ticks
        return run_endurance(built, lambda: skill, lambda: [TaskSuccess()], 0, SEED, cycles, budget)
    finally:
        built.world.close()


class StayingAtThePackingStationSkill(OrderPickingSkill):
    """Faulty: never drives back, so the arm waits for a tote that does not come."""

    def drive_back(self, observation: Observation) -> tuple[float, float]:
        return 0.0, 0.0


def test_the_reference_keeps_delivering_orders_without_a_reset() -> None:
    skill = ObservingSkill(OrderPickingSkill())
    result = endure(skill, cycles=3)
    assert result.outcome is Outcome.SUCCESS, result.reason
    assert [c.outcome for c in result.cycles] == [Outcome.SUCCESS] * 3
    starts = np.cumsum([0] + [c.ticks for c in result.cycles])[:-1]
    first = [skill.observations[i] for i in starts]
    pick_dock = np.array(OrderPickingScenario.layout.amr_start)
    for cycle in (1, 2):
        seen = first[cycle]
        # it starts docked at the packing station, where the last order went ...
        assert np.linalg.norm(seen["amr_pose"][:2] - seen["dock_pose"][:2]) < 0.15
        # ... with a new order on a restocked shelf
        assert not np.allclose(seen["item_positions"], first[cycle - 1]["item_positions"])
        # and comes back to be loaded before it delivers again
        during = skill.observations[starts[cycle] : starts[cycle] + result.cycles[cycle].ticks]
        assert min(np.linalg.norm(o["amr_pose"][:2] - pick_dock) for o in during) < 0.05
        assert result.cycles[cycle].ticks > result.cycles[0].ticks / 2


def test_a_vehicle_that_never_comes_back_needs_an_intervention() -> None:
    result = endure(StayingAtThePackingStationSkill(), cycles=3, cycle_ticks=900)  # 30 s a cycle
    outcomes = [c.outcome for c in result.cycles]
    assert outcomes == [Outcome.SUCCESS, Outcome.TIMEOUT, Outcome.SUCCESS]  # the reset brings it back
    assert result.cycles[1].ticks == 900  # docked at the packing station, but not with a new order
    assert result.metrics["interventions"] == 1.0 and result.outcome is Outcome.FAILURE
