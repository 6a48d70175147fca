"""The patrol's rules without a simulator: reports, contacts, metrics, sampling, malformed specs."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from harness.errors import SpecError
from harness.plan.loading import load_model
from harness.plan.resolve import load_plan
from harness.records import Contact, Separation
from harness.spec import ScenarioSpec
from scenarios.inspection.layout import Layout
from scenarios.inspection.patrol import PatrolScenario
from scenarios.inspection.rules import Checkpoint, PatrolLog

SPEC_FILE = Path(__file__).resolve().parents[2] / "scenarios" / "inspection" / "patrol-v1.yaml"


def log() -> PatrolLog:
    return PatrolLog([Checkpoint("checkpoint:0", 4.0, False), Checkpoint("checkpoint:1", 7.5, True)], 0.3)


def test_correct_reports_then_ending_the_patrol_succeed() -> None:
    patrol = log()
    patrol.report(0, 4.1, anomaly=False, visible=True, tick=10)
    patrol.report(1, 7.4, anomaly=True, visible=True, tick=20)
    assert not patrol.succeeded  # the skill has not said it is done
    patrol.end_patrol(30)
    assert patrol.succeeded and not patrol.failure
    metrics = patrol.metrics(0.05, 4.0)
    assert metrics["coverage"] == 1.0 and metrics["anomalies_detected"] == 1.0
    assert metrics["reading_error_max"] == pytest.approx(0.1)


@pytest.mark.parametrize(
    ("index", "value", "anomaly", "visible", "reason"),
    [
        (0, 4.0, True, True, "false alarm: checkpoint:0 reported anomalous at tick 5, it is normal"),
        (1, 7.5, False, True, "missed anomaly: checkpoint:1 reported normal at tick 5"),
        (0, 4.5, False, True, "checkpoint:0 read 4.5 at tick 5, actual 4 (tolerance 0.3)"),
        (0, 4.0, False, False, "reported checkpoint:0 at tick 5 without it in view"),
    ],
)
def test_a_wrong_or_blind_report_fails_at_once(
    index: int, value: float, anomaly: bool, visible: bool, reason: str
) -> None:
    patrol = log()
    patrol.report(index, value, anomaly, visible, tick=5)
    assert patrol.failure == reason


def test_repeated_reports_are_ignored_and_a_gap_fails_the_end_of_the_patrol() -> None:
    patrol = log()
    patrol.report(0, 4.0, anomaly=False, visible=True, tick=5)
    patrol.report(0, 9.0, anomaly=True, visible=True, tick=6)  # already covered: ignored
    assert not patrol.failure
    patrol.end_patrol(7)
    assert patrol.failure == "patrol ended at tick 7 with checkpoint:1 not inspected"
    assert patrol.metrics(0.05, 4.0)["anomalies_missed"] == 1.0


def test_contacts_name_the_fixture_or_the_body_region_and_ignore_the_floor() -> None:
    floor = Contact("robot", "front_left_wheel_link", "floor", "base", 100.0)
    person = Contact("human:1", "lower_leg_left", "robot", "base_link", 5.0)
    rack = Contact("robot", "base_link", "rack:3", "base", 50.0)
    patrol = log()
    patrol.check_contacts([floor], "robot", 3)
    assert not patrol.failure
    patrol.check_contacts([floor, person, rack], "robot", 4)
    assert patrol.failure == "robot touched human:1 (lower_leg_left) at tick 4"
    other = log()
    other.check_contacts([rack], "robot", 9)
    assert other.failure == "robot hit rack:3 at tick 9"


def test_distance_and_separation_metrics() -> None:
    patrol = log()
    patrol.track(0.5, [Separation("robot", "base_link", "human:0", "chest", 2.5)])
    patrol.track(0.25, [Separation("robot", "base_link", "human:0", "hand_left", 1.25)])
    patrol.ticks = 40
    metrics = patrol.metrics(0.05, 4.0)
    assert metrics["distance_m"] == pytest.approx(0.75)
    assert metrics["min_separation_m"] == pytest.approx(1.25)
    assert metrics["patrol_time_s"] == pytest.approx(2.0)
    assert all(isinstance(v, float) and math.isfinite(v) for v in metrics.values())


def test_gauges_face_into_their_aisles() -> None:
    layout = Layout()
    for face, (aisle, face_y, _) in enumerate(layout.faces()):
        _, y, facing = layout.checkpoint_pose(face, 5.0)
        centre = layout.aisle_y[aisle]
        assert abs(centre - face_y) == pytest.approx(layout.aisle_half_width)
        assert math.copysign(1.0, centre - y) == math.copysign(1.0, math.sin(facing))  # looks at the aisle
        assert abs(centre - y) < layout.read_range


def test_sampled_conditions_spread_gauges_and_people() -> None:
    scenario = PatrolScenario(load_model(ScenarioSpec, SPEC_FILE).model)
    for seed in range(200):
        conditions = scenario.sample_conditions(np.random.default_rng(seed))
        faces, xs = conditions["checkpoint_face"], conditions["checkpoint_x"]
        assert len(faces) == len(xs) == 5
        for i in range(5):
            for j in range(i):
                assert faces[i] != faces[j] or abs(xs[i] - xs[j]) >= 1.0
        assert len(set(conditions["person_aisle"])) == 2
        assert conditions["people_count"] in (1, 2)
    again = scenario.sample_conditions(np.random.default_rng(7))
    assert again == scenario.sample_conditions(np.random.default_rng(7))


# malformed specs --------------------------------------------------------------------------------
SPEC = """\
id: inspection/custom-v1
kind: inspection/patrol
robot: husky
control_rate_hz: 20
physics_rate_hz: 60
time_budget_s: 120
randomize:
  checkpoint_reeding: uniform(0, 5)
observation_noise:
  checkpoint_reading: 0.1
"""


def test_misspelt_randomize_and_noise_keys_get_did_you_mean(tmp_path: Path) -> None:
    (tmp_path / "spec.yaml").write_text(SPEC, encoding="utf-8")
    plan = tmp_path / "plan.yaml"
    plan.write_text("skill: patrol\nscenarios:\n  - spec: spec.yaml\n", encoding="utf-8")
    with pytest.raises(SpecError) as info:
        load_plan(plan)
    text = str(info.value)
    assert "line 8" in text and "did you mean 'checkpoint_reading'?" in text
    assert "line 10" in text and "did you mean 'checkpoint_readings'?" in text


def test_an_arm_skill_on_the_patrol_is_refused(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text("skill: pick_place\nscenarios:\n  - inspection/patrol-v1\n", encoding="utf-8")
    with pytest.raises(SpecError, match="drives robot 'franka_panda' but scenario 'inspection/patrol-v1'"):
        load_plan(plan)
