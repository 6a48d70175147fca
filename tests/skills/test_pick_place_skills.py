"""The reference skill succeeds; each faulty variant is caught with the intended outcome."""

from __future__ import annotations

import pytest

from harness.campaign.run import run_plan
from harness.report.model import RunVerdict
from harness.results import Outcome
from skills.pick_place import nearest_grasp_yaw

pytestmark = pytest.mark.sim
CRITERIA = {"task_success": {}, "cycle_time": {"max_s": 12.0}}


def test_reference_skill_succeeds_on_every_seed_of_a_sample(write_plan) -> None:  # type: ignore[no-untyped-def]
    report = run_plan(write_plan(episodes=12, criteria=CRITERIA, gates=[{"min": 0.6}]))
    outcomes = [e.outcome for e in report.episodes]
    assert outcomes.count(Outcome.SUCCESS) >= 11, [(e.seed, e.outcome, e.reason) for e in report.episodes]
    assert report.verdict is RunVerdict.PASS
    cycle = [c for e in report.episodes for c in e.criteria if c.name == "cycle_time"]
    assert all(c.measured is not None and 1.0 < c.measured < 12.0 for c in cycle if c.verdict.value != "n/a")


def test_dropping_skill_is_caught_as_a_failure_with_the_drop_named(write_plan) -> None:  # type: ignore[no-untyped-def]
    report = run_plan(
        write_plan(
            skill="pick_place_dropping",
            episodes=4,
            criteria=CRITERIA,
            gates=[{"min": 0.5, "confidence": 0.8}],
        )
    )
    for episode in report.episodes:
        assert episode.outcome is Outcome.FAILURE, episode
        assert episode.ended_by == "task_failed"
        assert "dropped outside the tray" in episode.reason
        assert episode.metrics["drops"] == 1.0
    assert report.verdict is RunVerdict.FAIL


def test_crashing_skill_is_a_skill_error_counted_against_the_skill(write_plan) -> None:  # type: ignore[no-untyped-def]
    report = run_plan(
        write_plan(skill="pick_place_crashing", episodes=3, gates=[{"min": 0.5, "confidence": 0.8}])
    )
    for episode in report.episodes:
        assert episode.outcome is Outcome.SKILL_ERROR
        assert episode.ended_by.startswith("tick ")
        assert "deliberate fault" in episode.reason
    summary = report.scenarios[0]
    assert (summary.attempted, summary.scored, summary.successes) == (3, 3, 0)
    assert report.verdict is RunVerdict.FAIL


@pytest.mark.parametrize(
    ("object_yaw", "reference", "expected"),
    [(0.1, 0.0, 0.1), (1.6, 0.0, 1.6 - 1.5707963), (-3.0, 0.785, -3.0 + 3.1415927)],
)
def test_grasp_yaw_uses_the_nearest_equivalent_face(
    object_yaw: float, reference: float, expected: float
) -> None:
    assert nearest_grasp_yaw(object_yaw, reference) == pytest.approx(expected, abs=1e-6)
