"""A plan may give each scenario its own skill (different robots in one campaign)."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.errors import SpecError
from harness.plan.resolve import load_plan

PLAN = """skill: pick_place
scenarios:
  - workstation/pick_place-v1
  - spec: inspection/patrol-v1
    skill: {skill}
"""


def resolve(tmp_path: Path, skill: str) -> object:
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN.format(skill=skill), encoding="utf-8")
    return load_plan(path)


def test_each_scenario_gets_its_skill(tmp_path: Path) -> None:
    resolved = resolve(tmp_path, "patrol")
    workstation, inspection = resolved.scenarios  # type: ignore[attr-defined]
    assert (workstation.skill.name, inspection.skill.name) == ("pick_place", "patrol")
    assert type(inspection.make_skill()).__name__ == "PatrolSkill"


def test_a_scenario_skill_for_another_robot_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as caught:
        resolve(tmp_path, "order_picking")
    (problem,) = caught.value.problems
    assert "line 4, field 'scenarios[1].spec'" in problem
    assert "skill 'order_picking' drives robot" in problem


def test_unknown_scenario_skill_points_at_its_field(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as caught:
        resolve(tmp_path, "patroll")
    (problem,) = caught.value.problems
    assert problem.startswith("line 5, field 'scenarios[1].skill.name': unknown skill 'patroll'")
    assert "did you mean 'patrol'" in problem


def test_default_plan_covers_the_three_families() -> None:
    resolved = load_plan(None)
    families = {entry.spec.id.split("/")[0] for entry in resolved.scenarios}
    assert families == {"workstation", "inspection", "warehouse"}
    assert {entry.skill.name for entry in resolved.scenarios} == {"pick_place", "patrol", "order_picking"}
