"""--trusted-plugins-only: registered plugins and files under trusted folders only."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from harness.errors import SpecError, UsageError
from harness.plan.resolve import builtin_specs, load_plan
from harness.plan.trust import ENVIRONMENT, TrustPolicy

TRUSTED = TrustPolicy(trusted_plugins_only=True)
REGISTERED_PLAN = {
    "skill": "pick_place",
    "scenarios": ["workstation/pick_place-v1"],
    "episodes": 2,
    "criteria": {"task_success": {}},
}


def _plan(folder: Path, **fields: object) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "plan.yaml"
    path.write_text(yaml.safe_dump({**REGISTERED_PLAN, **fields}), encoding="utf-8")
    return path


def _problems(path: Path, policy: TrustPolicy) -> str:
    with pytest.raises(SpecError) as raised:
        load_plan(path, policy)
    return str(raised.value)


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(ENVIRONMENT, raising=False)


def test_registered_plugins_and_built_in_specs_are_accepted(tmp_path: Path) -> None:
    assert load_plan(_plan(tmp_path), TRUSTED).scenarios[0].skill.name == "pick_place"
    assert load_plan(None, TRUSTED).plan.name == "default"  # the built-in plan names only registered ones


def test_a_module_attr_skill_is_refused_with_the_file_field_and_fix(tmp_path: Path) -> None:
    path = _plan(tmp_path, skill="skills.pick_place:PickPlaceSkill")
    message = _problems(path, TRUSTED)
    assert str(path) in message
    assert "field 'skill.name'" in message
    assert "'skills.pick_place:PickPlaceSkill' is a module:Attr reference" in message
    assert "entry points (group 'roboverify.skills')" in message
    assert "--trusted-plugins-only" in message


def test_every_place_a_plan_names_code_is_checked(tmp_path: Path) -> None:
    spec = yaml.safe_load(builtin_specs()["workstation/pick_place-v1"].read_text(encoding="utf-8"))
    spec |= {"kind": "scenarios.anywhere:Scenario", "sim": "sims.anywhere:World"}
    (tmp_path / "spec.yaml").write_text(yaml.safe_dump(spec), encoding="utf-8")
    path = _plan(
        tmp_path,
        baseline_skill="harness.testing:ScriptedSkill",
        criteria={"criteria.anywhere:Criterion": {}},
        scenarios=[
            "spec.yaml",
            {"spec": "workstation/pick_place-v1", "skill": "harness.testing:ScriptedSkill"},
            "workstation/pick_place-v1",
        ],
    )
    message = _problems(path, TRUSTED)
    for field in ("baseline_skill.name", "criteria.criteria.anywhere:Criterion", "scenarios[1].skill.name"):
        assert f"field '{field}'" in message, field
    assert "field 'kind'" in message and "field 'sim'" in message
    assert "module 'scenarios.anywhere'" not in message, "refused before anything is imported"


def test_a_spec_path_outside_the_working_directory_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(builtin_specs()["workstation/pick_place-v1"], tmp_path / "outside.yaml")
    work = tmp_path / "work"
    path = _plan(work, scenarios=["../outside.yaml"])
    monkeypatch.chdir(work)
    message = _problems(path, TRUSTED)
    assert "field 'scenarios[0].spec'" in message
    assert "outside.yaml' is outside" in message and "--trusted-dir DIR" in message
    # a trusted folder accepts it, and without the option nothing changes
    assert load_plan(path, TrustPolicy(True, (tmp_path,))).scenarios[0].spec.id == "workstation/pick_place-v1"
    assert load_plan(path, TrustPolicy()).scenarios[0].spec.id == "workstation/pick_place-v1"


def test_a_symlink_out_of_the_working_directory_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(builtin_specs()["workstation/pick_place-v1"], tmp_path / "outside.yaml")
    work = tmp_path / "work"
    work.mkdir()
    (work / "inside.yaml").symlink_to(tmp_path / "outside.yaml")
    monkeypatch.chdir(work)
    assert "is outside" in _problems(_plan(work, scenarios=["inside.yaml"]), TRUSTED)


def test_without_the_option_module_attr_references_load_as_before(reach_plan: Callable[..., Path]) -> None:
    assert load_plan(reach_plan()).scenarios[0].skill.name == "harness.testing.hostile:HostileSkill"


@pytest.mark.parametrize("value", ["1", "true", "YES", "on"])
def test_the_environment_variable_turns_it_on(
    value: str, reach_plan: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENVIRONMENT, value)
    assert TrustPolicy.from_environment().trusted_plugins_only
    with pytest.raises(SpecError, match="module:Attr reference"):
        load_plan(reach_plan())  # as the pytest plugin loads plans


@pytest.mark.parametrize("value", ["", "0", "no"])
def test_the_environment_variable_off(value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENVIRONMENT, value)
    assert not TrustPolicy.from_environment().trusted_plugins_only


def test_check_path_and_check_plugin_raise_usage_errors(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"^--conditions: '.*' is outside"):
        TRUSTED.check_path(tmp_path.parent / "conditions.jsonl", "--conditions")
    TRUSTED.check_path(tmp_path / "conditions.jsonl", "--conditions")
    TRUSTED.check_plugin("skills", "pick_place", "skill")
    TrustPolicy().check_plugin("skills", "a.b:C", "skill")
