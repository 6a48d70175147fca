"""``roboverify verify`` on the simulator: exit codes, output and report.json of real runs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from harness.verdicts.statistics import GateVerdict, decide_rate
from tests.harness.cli.helpers import verify, write

pytestmark = pytest.mark.usefixtures("plain_output")

INCONCLUSIVE_PLAN = """\
skill: pick_place
scenarios: [workstation/pick_place-v1]
episodes: 30
gates:
  - min: 0.5
    confidence: 0.99
"""


@pytest.mark.sim
def test_verify_too_few_episodes_is_inconclusive(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # with 3 episodes no outcome can decide a 0.5 gate at 99 %: the verdict is fixed by the math
    assert all(decide_rate(k, 3, 0.5, 0.99).verdict is GateVerdict.INCONCLUSIVE for k in range(4))
    code, report = verify(tmp_path, INCONCLUSIVE_PLAN, "--episodes", "3", "--seed", "7", "--quiet")
    assert code == 3
    assert report["verdict"] == "inconclusive"
    assert "run more episodes" in report["verdict_reason"]
    assert report["plan"]["seed"] == 7
    (scenario,) = report["scenarios"]
    assert (scenario["planned"], scenario["attempted"], scenario["scored"]) == (3, 3, 3)
    assert [e["index"] for e in report["episodes"]] == [0, 1, 2]
    (gate,) = report["gates"]
    assert gate["verdict"] == "inconclusive"
    out = capsys.readouterr().out
    assert "verifying skill pick_place on 1 scenario(s), 3 episodes, seed 7" in out
    assert str(tmp_path / "out" / "nested" / "report.json") in out.replace("\n", "")  # may wrap


FAILING_PLAN = """\
skill: pick_place_dropping
scenarios: [workstation/pick_place-v1]
episodes: 8
gates:
  - min: 0.8
"""


@pytest.mark.sim
def test_verify_a_faulty_skill_fails(tmp_path: Path) -> None:
    code, report = verify(tmp_path, FAILING_PLAN)  # with the progress bar, for once
    (scenario,) = report["scenarios"]
    # up to 4 successes in 8 still put the 95 % upper bound below 0.8
    assert scenario["successes"] <= 4, scenario
    assert decide_rate(scenario["successes"], 8, 0.8, 0.95).verdict is GateVerdict.FAIL
    assert code == 1
    assert report["verdict"] == "fail"
    (gate,) = report["gates"]
    assert gate["verdict"] == "fail"
    assert gate["upper_bound"] < 0.8
    assert scenario["scored"] == 8
    assert scenario["outcomes"].get("failure", 0) >= 4


PASSING_PLAN = """\
skill: pick_place
scenarios: [workstation/pick_place-v1]
episodes: 12
criteria:
  task_success: {}
  cycle_time: {max_s: 15}
gates:
  - min: 0.55
    confidence: 0.9
"""


@pytest.mark.sim
def test_verify_a_good_skill_passes(tmp_path: Path) -> None:
    # 10 successes in 12 clear 0.55 at 90 % with the exact bound (~0.610); 9 would not (~0.525)
    assert decide_rate(10, 12, 0.55, 0.9).verdict is GateVerdict.PASS
    assert decide_rate(9, 12, 0.55, 0.9).verdict is GateVerdict.INCONCLUSIVE
    code, report = verify(tmp_path, PASSING_PLAN, "--quiet")
    (scenario,) = report["scenarios"]
    assert scenario["successes"] >= 10, scenario
    assert code == 0
    assert report["verdict"] == "pass"
    (gate,) = report["gates"]
    assert gate["verdict"] == "pass"
    assert gate["lower_bound"] >= 0.55
    assert len(report["episodes"]) == 12
    assert {c["name"] for c in report["episodes"][0]["criteria"]} == {"task_success", "cycle_time"}


BROKEN_SPEC = """\
id: workstation/broken-v1
kind: plugins_for_tests:BrokenBuildScenario
sim: plugins_for_tests:TrackingPyBulletWorld
robot: franka_panda
control_rate_hz: 30
physics_rate_hz: 240
time_budget_s: 15
"""


BROKEN_PLAN = """\
skill: pick_place
scenarios:
  - spec: broken.yaml
episodes: 2
gates:
  - min: 0.5
"""


@pytest.fixture
def tracked_worlds(importable_test_plugins: None) -> Iterator[list[Any]]:
    """Test plugins importable by name; every world they create is closed afterwards."""
    from plugins_for_tests import TrackingPyBulletWorld

    TrackingPyBulletWorld.instances.clear()
    yield TrackingPyBulletWorld.instances
    for world in TrackingPyBulletWorld.instances:
        world.close()
    TrackingPyBulletWorld.instances.clear()


@pytest.mark.sim
def test_verify_with_a_world_that_cannot_be_built_is_invalid(
    tmp_path: Path, tracked_worlds: list[Any]
) -> None:
    from plugins_for_tests import BUILD_FAILURE

    write(tmp_path / "broken.yaml", BROKEN_SPEC)
    code, report = verify(tmp_path, BROKEN_PLAN, "--quiet")
    assert code == 4
    assert report["verdict"] == "invalid"
    assert "infrastructure errors" in report["verdict_reason"]
    (scenario,) = report["scenarios"]
    assert (scenario["attempted"], scenario["scored"], scenario["unscored"]) == (2, 0, 2)
    assert scenario["outcomes"] == {"sim_error": 2}
    for episode in report["episodes"]:
        assert episode["outcome"] == "sim_error"
        assert episode["ended_by"] == "build"
        assert episode["attempts"] == 3
        assert BUILD_FAILURE in episode["reason"]


@pytest.mark.sim
def test_worlds_whose_build_failed_are_closed(tmp_path: Path, tracked_worlds: list[Any]) -> None:
    write(tmp_path / "broken.yaml", BROKEN_SPEC)
    code, _ = verify(tmp_path, BROKEN_PLAN, "--quiet", "--backend", "inprocess")  # worlds made here
    assert code == 4
    assert len(tracked_worlds) == 6  # 2 episodes x 3 attempts
    assert [world.client for world in tracked_worlds] == [-1] * 6
