"""The reference patrol succeeds; each faulty patrol is caught with the outcome it was built for."""

from __future__ import annotations

from typing import Any

import pytest

from harness.campaign.run import run_plan
from harness.report.model import Report, RunVerdict
from harness.results import EpisodeResult, Outcome

pytestmark = pytest.mark.sim
SPEC = "inspection/patrol-v1"
CRITERIA = {"task_success": {}, "cycle_time": {"max_s": 180.0}, "speed_separation": {}}


def run(write_plan: Any, skill: str, episodes: int, **fields: Any) -> Report:
    plan = {"skill": skill, "scenarios": [SPEC], "episodes": episodes, "criteria": CRITERIA, **fields}
    # at 80 % confidence three episodes decide a 0.5 gate exactly, either way: these tests are about outcomes
    return run_plan(write_plan(gates=[{"min": 0.5, "confidence": 0.8}], **plan))


def described(report: Report) -> list[tuple[int, str, str]]:
    return [(e.index, e.outcome.value, e.reason) for e in report.episodes]


def only(report: Report, outcome: Outcome) -> list[EpisodeResult]:
    assert all(e.outcome is outcome for e in report.episodes), described(report)
    return list(report.episodes)


def test_reference_patrol_covers_every_checkpoint_and_keeps_clear_of_people(write_plan: Any) -> None:
    report = run(write_plan, "patrol", 3)
    for episode in only(report, Outcome.SUCCESS):
        metrics = episode.metrics
        assert metrics["coverage"] == 1.0
        assert metrics["false_alarms"] == 0.0 and metrics["anomalies_missed"] == 0.0
        assert metrics["anomalies_detected"] == metrics["anomalies"]
        assert metrics["reading_error_max"] <= 0.3
        assert 25.0 < metrics["distance_m"] < 40.0
        assert metrics["patrol_time_s"] == pytest.approx(episode.timing.sim_s)
        safety = next(c for c in episode.criteria if c.name == "speed_separation")
        assert safety.verdict.value == "pass", safety.details
    assert report.verdict is RunVerdict.PASS


def test_speeding_patrol_is_stopped_by_speed_and_separation_monitoring(write_plan: Any) -> None:
    for episode in only(run(write_plan, "patrol_speeding", 3), Outcome.SAFETY_STOP):
        assert episode.ended_by == "criterion:speed_separation"
        assert "human:" in episode.reason and "protective distance" in episode.reason


def test_colliding_patrol_fails_naming_the_wall_it_hit(write_plan: Any) -> None:
    for episode in only(run(write_plan, "patrol_colliding", 2), Outcome.FAILURE):
        assert episode.ended_by == "task_failed"
        assert episode.reason.startswith("robot hit wall:2 at tick ")


def test_skipping_patrol_fails_naming_the_checkpoint_left_out(write_plan: Any) -> None:
    for episode in only(run(write_plan, "patrol_skipping", 2), Outcome.FAILURE):
        assert "not inspected" in episode.reason and "checkpoint:" in episode.reason
        assert episode.metrics["coverage"] == pytest.approx(0.8)


def test_false_alarm_fails_the_patrol(write_plan: Any) -> None:
    for episode in only(run(write_plan, "patrol_false_alarm", 2), Outcome.FAILURE):
        assert episode.reason.startswith("false alarm: checkpoint:")
        assert episode.metrics["false_alarms"] == 1.0


def test_missed_anomaly_fails_the_patrol(write_plan: Any) -> None:
    # seeds 0 and 1 of plan seed 0 both have an anomalous gauge
    for episode in only(run(write_plan, "patrol_missing_anomaly", 2), Outcome.FAILURE):
        assert episode.reason.startswith("missed anomaly: checkpoint:")
        assert episode.metrics["anomalies_missed"] >= 1.0


def test_slow_patrol_times_out(write_plan: Any) -> None:
    (episode,) = only(run(write_plan, "patrol_slow", 1), Outcome.TIMEOUT)
    assert episode.ended_by == "time_budget"
    assert episode.metrics["coverage"] < 1.0


@pytest.mark.parametrize(
    ("skill", "reason"),
    [("patrol_crashing", "skill raised RuntimeError"), ("patrol_nan", "forward_speed is nan")],
)
def test_crashing_and_nan_patrols_are_skill_errors(write_plan: Any, skill: str, reason: str) -> None:
    report = run(write_plan, skill, 3)
    for episode in only(report, Outcome.SKILL_ERROR):
        assert episode.ended_by.startswith("tick ") and reason in episode.reason
    assert report.verdict is RunVerdict.FAIL
