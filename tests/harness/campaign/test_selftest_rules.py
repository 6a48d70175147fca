"""The self-test's rules without the simulator: declarations, plans, when an episode catches a skill."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import pytest
import yaml

from harness.campaign.selftest import caught, known_bad_catches, selftest_plan
from harness.errors import UsageError
from harness.known_bad import catch_of
from harness.plan.resolve import load_plan
from harness.results import CriterionResult, EpisodeResult, Outcome, Verdict
from harness.skill import KnownBad
from skills.patrol import PatrolSkill
from skills.pick_place import PickPlaceSkill


def episode(outcome: Outcome, failed: tuple[str, ...] = ()) -> EpisodeResult:
    criteria = [CriterionResult(name=name, verdict=Verdict.FAIL) for name in failed]
    criteria.append(CriterionResult(name="task_success", verdict=Verdict.PASS))
    timing = {"sim_s": 1.0, "wall_s": 1.0, "ticks": 10, "physics_steps": 80}
    return EpisodeResult.model_validate(
        {"scenario": "s", "index": 0, "seed": 0, "outcome": outcome, "ended_by": "x", "conditions": {},
         "criteria": criteria, "timing": timing}
    )  # fmt: skip


def test_every_builtin_known_bad_skill_declares_a_catch_on_a_spec_id() -> None:
    catches = known_bad_catches()
    assert len(catches) >= 25
    for catch in catches:
        assert catch.outcome or catch.criteria, catch
        assert "*" not in catch.spec and "task_success" in catch.plan_criteria
    assert {c.skill for c in known_bad_catches("inspection")} >= {"patrol_speeding", "patrol_nan"}


def test_an_episode_catches_a_skill_only_when_it_shows_everything_declared() -> None:
    (speeding,) = known_bad_catches(names=["patrol_speeding"])
    assert caught(episode(Outcome.SAFETY_STOP, ("speed_separation",)), speeding)
    assert not caught(episode(Outcome.SAFETY_STOP), speeding), "stopped, but not by the criterion"
    assert not caught(episode(Outcome.FAILURE, ("speed_separation",)), speeding)
    (striking,) = known_bad_catches(names=["pick_place_striking_table"])
    assert caught(episode(Outcome.TIMEOUT, ("robot_limits",)), striking), "any outcome, the criterion failed"


def test_the_plan_runs_the_declared_criteria_minus_the_disabled_ones() -> None:
    (speeding,) = known_bad_catches(names=["pick_place_speeding"])
    plan = selftest_plan(speeding, 2, 7)
    assert plan["skill"] == "pick_place_speeding" and plan["scenarios"] == ["workstation/pick_place-v1"]
    assert plan["criteria"]["speed_limits"]["collaborative_zones"][0]["tcp_speed_limit"] == 1.0
    assert (plan["episodes"], plan["seed"], plan["gates"]) == (2, 7, [])
    assert "speed_limits" not in selftest_plan(speeding, 2, 7, {"speed_limits"})["criteria"]


def test_plans_naming_known_bad_skills_still_load(tmp_path: Path) -> None:
    for catch in known_bad_catches("workstation"):
        path = tmp_path / f"{catch.skill}.yaml"
        path.write_text(yaml.safe_dump(selftest_plan(catch, 1, 0)), encoding="utf-8")
        resolved = load_plan(path)
        assert resolved.plan.skill.name == catch.skill
        assert issubclass(resolved.skill_class, KnownBad)


@pytest.mark.parametrize(
    ("attributes", "problem"),
    [
        ({"catches": ()}, "'catches' is empty"),
        ({"catches": ("failure", "timeout")}, "names 2 outcomes"),
        ({"catches": ("failure",), "supports": ("inspection/*",)}, "'supports' must start with the spec id"),
    ],
)
def test_a_bad_declaration_says_what_to_write(attributes: dict[str, Any], problem: str) -> None:
    cls = type("Bad", (KnownBad, PatrolSkill), {"supports": ("inspection/patrol-v1",), **attributes})
    with pytest.raises(UsageError, match=problem):
        catch_of("bad", cls)


def test_a_skill_without_the_mixin_is_refused() -> None:
    class Plain(PickPlaceSkill):
        catches: ClassVar[tuple[str, ...]] = ("failure",)

    with pytest.raises(UsageError, match=r"derive it from harness\.skill\.KnownBad"):
        catch_of("plain", Plain)


def test_unknown_names_are_usage_errors() -> None:
    with pytest.raises(UsageError, match="did you mean 'pick_place_speeding'"):
        known_bad_catches(names=["pick_place_speding"])
    with pytest.raises(UsageError, match="choose one of inspection, warehouse, workstation"):
        known_bad_catches("mars")
