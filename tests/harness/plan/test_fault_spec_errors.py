"""Malformed fault declarations and recovery gates: file, line, field and the fix; exit code 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.cli import main
from harness.errors import SpecError
from harness.plan.resolve import load_plan

SPEC = """\
id: workstation/slippery-v1
kind: workstation/pick_place
robot: franka_panda
control_rate_hz: 30
time_budget_s: 15
faults:
  - kind: object_slip
    after: grasped
"""

PLAN = """\
skill: pick_place
scenarios:
  - spec: spec.yaml
episodes: 2
"""


def problems(tmp_path: Path, spec: str, plan: str = PLAN) -> list[str]:
    (tmp_path / "spec.yaml").write_text(spec, encoding="utf-8")
    (tmp_path / "plan.yaml").write_text(plan, encoding="utf-8")
    with pytest.raises(SpecError) as info:
        load_plan(tmp_path / "plan.yaml")
    return info.value.problems


def test_the_valid_spec_declares_one_fault(tmp_path: Path) -> None:
    (tmp_path / "spec.yaml").write_text(SPEC, encoding="utf-8")
    (tmp_path / "plan.yaml").write_text(PLAN, encoding="utf-8")
    (scenario,) = load_plan(tmp_path / "plan.yaml").scenarios
    assert [fault.label for fault in scenario.spec.faults] == ["object_slip"]


def test_a_fault_the_scenario_cannot_inject_names_what_it_supports(tmp_path: Path) -> None:
    (problem,) = problems(tmp_path, SPEC.replace("object_slip", "blocked_path"))
    assert problem.startswith(f"{tmp_path / 'spec.yaml'}: line 7, field 'faults[0].kind': ")
    assert "'workstation/pick_place' cannot inject 'blocked_path'" in problem
    assert "it supports object_slip, sensor_dropout" in problem


def test_a_dropout_of_an_unknown_observation_suggests_the_right_key(tmp_path: Path) -> None:
    spec = SPEC + "  - kind: sensor_dropout\n    at_s: 2\n    keys: [ee_position, object_position]\n"
    (problem,) = problems(tmp_path, spec)
    assert "field 'faults[1].keys[1]'" in problem
    assert "did you mean 'object_positions'?" in problem


def test_a_fault_without_a_trigger_says_how_to_give_one(tmp_path: Path) -> None:
    (problem,) = problems(tmp_path, SPEC.replace("    after: grasped\n", ""))
    assert "line 7, field 'faults[0]'" in problem
    assert "give exactly one trigger: 'at_s'" in problem and "after: grasped" in problem


def test_an_unknown_fault_option_is_named_with_its_line(tmp_path: Path) -> None:
    (problem,) = problems(tmp_path, SPEC + "    frction: 0.1\n")
    assert "line 9, field 'faults[0].frction'" in problem


def test_a_recovery_gate_must_name_a_declared_fault(tmp_path: Path) -> None:
    plan = PLAN + "gates:\n  - metric: recovery_rate\n    fault: object_slp\n    min: 0.8\n"
    (problem,) = problems(tmp_path, SPEC, plan)
    assert problem.startswith("line 7, field 'gates[0].fault': ")
    assert "no gated scenario injects a fault named 'object_slp' (declared: object_slip)" in problem


def test_the_command_line_exits_2_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "spec.yaml").write_text(SPEC.replace("object_slip", "person_steps_in"), encoding="utf-8")
    (tmp_path / "plan.yaml").write_text(PLAN, encoding="utf-8")
    code = main(["verify", str(tmp_path / "plan.yaml"), "--out", str(tmp_path / "out")])
    assert code == 2
    assert "cannot inject 'person_steps_in'" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_a_fault_after_an_event_the_scenario_never_emits_suggests_the_right_one(tmp_path: Path) -> None:
    (problem,) = problems(tmp_path, SPEC.replace("after: grasped", "after: grasp"))
    assert "line 8, field 'faults[0].after'" in problem
    assert "'workstation/pick_place' emits no event 'grasp'; did you mean 'grasped'?" in problem
