"""The reference order picker succeeds; each faulty variant is caught with the intended outcome."""

from __future__ import annotations

from typing import Any

import pytest

from harness.campaign.run import run_plan
from harness.errors import SpecError
from harness.report.model import Report, RunVerdict
from harness.results import Outcome

pytestmark = pytest.mark.sim
SPEC = "warehouse/order_picking-v1"
CRITERIA = {"task_success": {}, "cycle_time": {"max_s": 60.0}, "speed_separation": {}}


def run(write_plan: Any, skill: str, episodes: int, gate: float = 0.9) -> Report:
    plan = write_plan(
        skill=skill, scenarios=[SPEC], episodes=episodes, criteria=CRITERIA, gates=[{"min": gate}]
    )
    return run_plan(plan)


def describe(report: Report) -> list[tuple[int, str, str]]:
    return [(e.index, e.outcome.value, e.reason) for e in report.episodes]


def test_reference_skill_delivers_the_order_past_the_worker(write_plan) -> None:  # type: ignore[no-untyped-def]
    report = run(write_plan, "order_picking", episodes=5, gate=0.5)
    assert all(e.outcome is Outcome.SUCCESS for e in report.episodes), describe(report)
    for episode in report.episodes:
        metrics = episode.metrics
        assert metrics["order_correct"] == 1.0 and metrics["items_dropped"] == 0.0
        assert metrics["items_picked"] == episode.conditions["order_size"]
        assert 4.0 < metrics["distance_travelled_m"] < 7.0
        assert 0.0 < metrics["transport_time_s"] < 30.0
        assert metrics["picks_per_hour"] > 100.0
        assert metrics["min_worker_separation_m"] > 0.5
        separation = next(c for c in episode.criteria if c.name == "speed_separation")
        assert separation.verdict.value == "pass" and separation.details["violations"] == 0
    assert report.verdict is RunVerdict.PASS


def test_mispicking_skill_fails_at_the_packing_station_with_the_wrong_item_named(write_plan) -> None:  # type: ignore[no-untyped-def]
    report = run(write_plan, "order_picking_mispick", episodes=2)
    for episode in report.episodes:
        assert episode.outcome is Outcome.FAILURE, describe(report)
        assert episode.ended_by == "task_failed"
        assert "order wrong at the packing station" in episode.reason
        assert episode.metrics["wrong_items"] + episode.metrics["extra_items"] >= 1.0
        assert episode.metrics["order_correct"] == 0.0


def test_dropping_skill_fails_with_the_drop_named(write_plan) -> None:  # type: ignore[no-untyped-def]
    report = run(write_plan, "order_picking_dropping", episodes=3)
    for episode in report.episodes:
        assert episode.outcome is Outcome.FAILURE, describe(report)
        assert "dropped outside the tote" in episode.reason
        assert episode.metrics["items_dropped"] == 1.0


def test_speeding_skill_is_stopped_by_speed_and_separation_monitoring(write_plan) -> None:  # type: ignore[no-untyped-def]
    report = run(write_plan, "order_picking_speeding", episodes=3)
    for episode in report.episodes:
        assert episode.outcome is Outcome.SAFETY_STOP, describe(report)
        assert episode.ended_by == "criterion:speed_separation"
        assert episode.reason.startswith("amr at ") and "human:0" in episode.reason


def test_colliding_skill_fails_naming_the_rack_it_hit(write_plan) -> None:  # type: ignore[no-untyped-def]
    report = run(write_plan, "order_picking_colliding", episodes=3)
    for episode in report.episodes:
        assert episode.outcome is Outcome.FAILURE, describe(report)
        assert episode.reason.startswith("amr hit rack:0 at tick ")


def test_slow_skill_runs_out_of_time(write_plan) -> None:  # type: ignore[no-untyped-def]
    report = run(write_plan, "order_picking_slow", episodes=1)
    (episode,) = report.episodes
    assert episode.outcome is Outcome.TIMEOUT, describe(report)
    assert episode.ended_by == "time_budget"
    assert episode.metrics["transport_time_s"] > 0.0


@pytest.mark.parametrize(
    ("skill", "reason"),
    [("order_picking_crashing", "deliberate fault"), ("order_picking_nan", "forward_speed is nan")],
)
def test_crashing_and_nan_skills_are_skill_errors(write_plan, skill: str, reason: str) -> None:  # type: ignore[no-untyped-def]
    report = run(write_plan, skill, episodes=2)
    for episode in report.episodes:
        assert episode.outcome is Outcome.SKILL_ERROR, describe(report)
        assert episode.ended_by.startswith("tick ")
        assert reason in episode.reason
    assert report.scenarios[0].scored == 2
    assert report.verdict is RunVerdict.FAIL


def test_a_workstation_skill_is_refused_by_the_warehouse(write_plan) -> None:  # type: ignore[no-untyped-def]
    """Refused when the plan loads: the skill's manifest claims workstation scenarios only."""
    with pytest.raises(
        SpecError, match=r"'pick_place' 1.0.0 is made for workstation/\*, not 'warehouse/order_"
    ):
        run(write_plan, "pick_place", episodes=1)
