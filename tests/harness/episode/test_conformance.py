"""The conformance check on the point robot: each known-bad skill trips exactly its own check."""

from __future__ import annotations

import pytest

from harness.episode.conformance import Conformance, check_skill_on
from harness.episode.conformance_checks import first_difference
from harness.episode.conformance_targets import Target
from harness.episode.findings import Finding, Status
from harness.skill import Skill
from harness.testing import PointWorld, ReachScenario, reach_spec
from harness.testing import nonconforming as bad
from harness.testing.hostile import WrongKindSkill


def check(skill_class: type[Skill], episodes: int = 2) -> Conformance:
    target = Target(reach_spec(), ReachScenario, PointWorld)
    return check_skill_on(skill_class.__name__, skill_class, [target], episodes=episodes, max_ticks=50)


def failures(result: Conformance) -> list[Finding]:
    return [finding for finding in result.findings if finding.status is Status.FAIL]


def test_a_conforming_skill_passes_every_check() -> None:
    result = check(bad.ConformingReach)
    assert not result.failed
    assert {f.status for f in result.findings} == {Status.PASS}
    assert {f.check for f in result.findings} >= {
        "interface.robot", "interface.command_kind", "interface.observation_keys",
        "interface.undeclared_reads", "commands.act", "commands.shape", "commands.finite",
        "commands.limits", "commands.latency", "determinism", "state_leak", "lifecycle.reset",
        "lifecycle.close",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("skill_class", "check_name", "found"),
    [
        (bad.UndeclaredKeyReach, "interface.undeclared_reads", "also read: ee_position"),
        (bad.WrongShapeReach, "commands.shape", "got shape (3,)"),
        (bad.OutOfLimitsReach, "commands.limits", "gripper_width=0.5 is outside its limits [0, 0.08]"),
        (bad.GlobalRandomReach, "determinism", "the two runs differ from tick 0"),
        (bad.LeakyReach, "state_leak", "run after episode 0 differs from a fresh run from tick 0"),
        (bad.RaisingCloseReach, "lifecycle.close", "RuntimeError: driver handle already released"),
        (bad.RaisingActReach, "commands.act", "tick 2: RuntimeError: planner lost its map"),
        (WrongKindSkill, "interface.command_kind", "emits 'joint_positions' commands"),
    ],
)
def test_each_known_bad_skill_fails_exactly_its_check(
    skill_class: type[Skill], check_name: str, found: str
) -> None:
    (finding,) = failures(check(skill_class))
    assert finding.check == check_name
    assert found in finding.found
    assert finding.expected and finding.fix
    assert finding.scenario == "testing/reach-v1"


def test_close_is_still_called_after_act_raised() -> None:
    result = check(bad.RaisingActReach)
    (close,) = [f for f in result.findings if f.check == "lifecycle.close"]
    assert close.status is Status.PASS


def test_state_leaks_are_not_judged_for_a_skill_that_is_not_deterministic() -> None:
    (leak,) = [f for f in check(bad.GlobalRandomReach).findings if f.check == "state_leak"]
    assert leak.status is Status.WARN
    assert "see determinism" in leak.found


def test_one_episode_still_checks_reuse_against_a_fresh_second_episode() -> None:
    (finding,) = failures(check(bad.LeakyReach, episodes=1))
    assert finding.check == "state_leak"


def test_the_json_form_carries_every_finding() -> None:
    data = check(bad.WrongShapeReach).as_dict()
    assert data["passed"] is False
    assert data["counts"]["fail"] == 1
    assert {"check", "status", "expected", "found", "fix", "scenario"} <= set(data["findings"][0])


def test_first_difference_of_command_sequences() -> None:
    import numpy as np

    same = [np.zeros(2), np.array([np.nan, 1.0])]
    assert first_difference(same, [a.copy() for a in same]) is None
    assert first_difference(same, same[:1]) == 1
    assert first_difference(same, [np.zeros(2), np.ones(2)]) == 1
