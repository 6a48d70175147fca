"""Plugin registry: entry points, ``module:Attr`` references, hints and duplicates."""

from __future__ import annotations

import importlib
import subprocess
import sys
from collections.abc import Iterator
from importlib.metadata import EntryPoint, PathDistribution
from pathlib import Path

import pytest

import harness.registry
from harness.criterion import Criterion
from harness.errors import DuplicatePluginError, RoboverifyError, SpecError, UnknownPluginError
from harness.plan.resolve import load_plan
from harness.registry import (
    PLUGIN_KINDS,
    PluginKind,
    RegistryGroup,
    is_reference,
    load_plugin,
    load_reference,
    lookup_entries,
    plugin_infos,
    registered,
)
from harness.scenario import Scenario
from harness.skill import Skill
from harness.world import World

BUILTINS: list[tuple[RegistryGroup, str, str, str, type]] = [
    ("skills", "pick_place", "skills.pick_place", "PickPlaceSkill", Skill),
    ("known_bad_skills", "pick_place_dropping", "skills.pick_place_faults", "DroppingPickPlaceSkill", Skill),
    ("known_bad_skills", "pick_place_crashing", "skills.pick_place_faults", "CrashingPickPlaceSkill", Skill),
    (
        "scenarios",
        "workstation/pick_place",
        "scenarios.workstation.pick_place",
        "PickPlaceScenario",
        Scenario,
    ),
    ("criteria", "task_success", "criteria.task_success", "TaskSuccess", Criterion),
    ("criteria", "cycle_time", "criteria.cycle_time", "CycleTime", Criterion),
    ("sims", "pybullet", "sims.pybullet", "PyBulletWorld", World),
]


@pytest.fixture(autouse=True)
def fresh_registry() -> Iterator[None]:
    """``registered`` is cached; no test may see another's (possibly faked) entry points."""
    registered.cache_clear()
    yield
    registered.cache_clear()


# built-in plugins ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kind", "name", "module", "attribute", "base"), BUILTINS, ids=[b[1] for b in BUILTINS]
)
def test_every_builtin_entry_point_loads(
    kind: RegistryGroup, name: str, module: str, attribute: str, base: type
) -> None:
    plugin = load_plugin(kind, name)
    assert isinstance(plugin, type)
    assert issubclass(plugin, base)
    assert plugin is getattr(importlib.import_module(module), attribute)
    entry = registered(kind)[name]
    assert entry.value == f"{module}:{attribute}"
    assert entry.group == f"roboverify.{kind}"


@pytest.mark.parametrize("kind", PLUGIN_KINDS)
def test_builtins_are_listed_with_their_distribution(kind: PluginKind) -> None:
    expected = {name: f"{module}:{attribute}" for k, name, module, attribute, _ in BUILTINS if k == kind}
    infos = {info.name: info for info in plugin_infos(kind)}
    assert expected.keys() <= infos.keys()
    for name, value in expected.items():
        assert infos[name].value == value
        assert infos[name].distribution == "roboverify"
        assert infos[name].kind == kind


def test_builtin_scenario_ships_its_spec() -> None:
    scenario = load_plugin("scenarios", "workstation/pick_place")
    assert "workstation/pick_place-v1" in scenario.builtin_specs


def test_looking_up_names_imports_no_plugin_module() -> None:
    """Entry points are read without importing the plugins they point to."""
    code = (
        "import sys\n"
        "from harness.registry import PLUGIN_KINDS, registered\n"
        "for kind in PLUGIN_KINDS: registered(kind)\n"
        "loaded = [m for m in ('skills.pick_place', 'scenarios.workstation.pick_place',\n"
        "          'criteria.cycle_time', 'criteria.task_success', 'sims.pybullet', 'pybullet')\n"
        "          if m in sys.modules]\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


# module:Attr references --------------------------------------------------------------------------
def test_reference_loads_the_named_object() -> None:
    from criteria.cycle_time import CycleTime, CycleTimeParams

    assert is_reference("criteria.cycle_time:CycleTime")
    assert not is_reference("cycle_time")
    assert load_plugin("criteria", "criteria.cycle_time:CycleTime") is CycleTime
    assert load_reference("criteria.cycle_time:CycleTime.Params") is CycleTimeParams


def test_reference_kind_is_not_consulted() -> None:
    """A reference names an object directly, whatever group it is looked up in."""
    from skills.pick_place import PickPlaceSkill

    assert load_plugin("sims", "skills.pick_place:PickPlaceSkill") is PickPlaceSkill


def test_reference_to_a_missing_module() -> None:
    with pytest.raises(UnknownPluginError) as info:
        load_plugin("skills", "no_such_package.skills:Thing")
    message = str(info.value)
    assert "cannot import module 'no_such_package.skills'" in message
    assert "of reference 'no_such_package.skills:Thing'" in message
    assert "No module named 'no_such_package'" in message
    assert "check that the package is installed" in message


def test_reference_to_a_missing_attribute() -> None:
    with pytest.raises(UnknownPluginError) as info:
        load_plugin("criteria", "criteria.cycle_time:CycleTim")
    message = str(info.value)
    assert "module 'criteria.cycle_time' has no attribute 'CycleTim'" in message
    assert "(from reference 'criteria.cycle_time:CycleTim')" in message
    assert "expected 'package.module:Attribute'" in message


def test_reference_to_a_missing_nested_attribute() -> None:
    with pytest.raises(UnknownPluginError, match=r"no attribute 'CycleTime\.Nope'"):
        load_plugin("criteria", "criteria.cycle_time:CycleTime.Nope")


def test_reference_with_an_empty_module_name() -> None:
    with pytest.raises(UnknownPluginError, match="Thing"):
        load_plugin("skills", ":Thing")


def test_unknown_plugin_error_is_a_lookup_and_usage_error() -> None:
    with pytest.raises(UnknownPluginError) as info:
        load_plugin("skills", "nothing_like_it")
    assert isinstance(info.value, LookupError)
    assert isinstance(info.value, RoboverifyError)
    assert info.value.exit_code == 2


# unknown names ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kind", "typo", "singular", "meant"),
    [
        ("skills", "pick_plac", "skill", "pick_place"),
        ("skills", "pick_place_droping", "skill", "pick_place_dropping"),
        ("scenarios", "workstation/pickplace", "scenario", "workstation/pick_place"),
        ("criteria", "cycletime", "criterion", "cycle_time"),
        ("criteria", "task_sucess", "criterion", "task_success"),
        ("sims", "pybulet", "sim", "pybullet"),
    ],
)
def test_unknown_name_suggests_the_closest(kind: PluginKind, typo: str, singular: str, meant: str) -> None:
    with pytest.raises(UnknownPluginError) as info:
        load_plugin(kind, typo)
    message = str(info.value)
    assert message.startswith(f"unknown {singular} '{typo}'; did you mean '{meant}'")
    assert f"Registered: {', '.join(sorted(lookup_entries(kind)))}." in message
    assert "'package.module:Attribute' reference is accepted too" in message


def test_unknown_name_without_a_close_match_lists_what_exists() -> None:
    with pytest.raises(UnknownPluginError) as info:
        load_plugin("sims", "mujoco")
    message = str(info.value)
    assert message.startswith("unknown sim 'mujoco'")
    assert "did you mean" not in message
    assert "Registered: pybullet." in message


# duplicates across distributions ---------------------------------------------------------------
def fake_distribution(root: Path, name: str, entry_points: str) -> PathDistribution:
    """A real (on-disk) distribution, so its entry points know which distribution they are from."""
    info = root / f"{name.replace('-', '_')}-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(entry_points, encoding="utf-8")
    return PathDistribution(info)


def install_fake_entry_points(monkeypatch: pytest.MonkeyPatch, *distributions: PathDistribution) -> None:
    entries: list[EntryPoint] = [entry for dist in distributions for entry in dist.entry_points]

    def fake_entry_points(*, group: str) -> list[EntryPoint]:
        return [entry for entry in entries if entry.group == group]

    monkeypatch.setattr(harness.registry, "entry_points", fake_entry_points)
    registered.cache_clear()


@pytest.fixture
def two_distributions_claim_pick_place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = fake_distribution(
        tmp_path / "a",
        "robot-skills-a",
        "[roboverify.skills]\npick_place = skills.pick_place:PickPlaceSkill\n"
        "[roboverify.criteria]\ncycle_time = criteria.cycle_time:CycleTime\n",
    )
    second = fake_distribution(
        tmp_path / "b", "robot-skills-b", "[roboverify.skills]\npick_place = vendor_b.skills:Picker\n"
    )
    install_fake_entry_points(monkeypatch, first, second)


@pytest.mark.usefixtures("two_distributions_claim_pick_place")
def test_duplicate_name_names_both_distributions() -> None:
    with pytest.raises(DuplicatePluginError) as info:
        registered("skills")
    message = str(info.value)
    assert "skill 'pick_place' is registered twice" in message
    assert "'robot-skills-a' (skills.pick_place:PickPlaceSkill)" in message
    assert "'robot-skills-b' (vendor_b.skills:Picker)" in message
    assert "uninstall one of them" in message
    assert info.value.exit_code == 2


@pytest.mark.usefixtures("two_distributions_claim_pick_place")
def test_duplicate_name_fails_every_lookup_in_its_group_only() -> None:
    with pytest.raises(DuplicatePluginError):
        load_plugin("skills", "pick_place")
    with pytest.raises(DuplicatePluginError):
        plugin_infos("skills")
    from criteria.cycle_time import CycleTime

    assert load_plugin("criteria", "cycle_time") is CycleTime


@pytest.mark.usefixtures("two_distributions_claim_pick_place")
def test_duplicate_skill_in_a_plan_is_a_spec_error(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        "skill: pick_place\nscenarios: [workstation/pick_place-v1]\ncriteria: {}\n", encoding="utf-8"
    )
    with pytest.raises(SpecError) as info:
        load_plan(plan)
    # the fake distributions register no scenario or sim, so those are reported too
    (problem,) = [p for p in info.value.problems if "'skill.name'" in p]
    assert problem.startswith("line 1, field 'skill.name': skill 'pick_place' is registered twice")
    assert "'robot-skills-a'" in problem
    assert "'robot-skills-b'" in problem


def test_same_entry_point_seen_twice_is_not_a_duplicate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same distribution found on two path entries points at the same object: no conflict."""
    text = "[roboverify.skills]\npick_place = skills.pick_place:PickPlaceSkill\n"
    install_fake_entry_points(
        monkeypatch,
        fake_distribution(tmp_path / "site", "roboverify", text),
        fake_distribution(tmp_path / "user-site", "roboverify", text),
    )
    from skills.pick_place import PickPlaceSkill

    assert list(registered("skills")) == ["pick_place"]
    assert load_plugin("skills", "pick_place") is PickPlaceSkill


def test_fake_entry_points_do_not_leak_between_tests() -> None:
    assert registered("skills")["pick_place"].dist is not None
    assert registered("skills")["pick_place"].dist.name == "roboverify"
    assert "pick_place_dropping" in registered("known_bad_skills")


def test_registered_entry_point_whose_module_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    install_fake_entry_points(
        monkeypatch,
        fake_distribution(tmp_path, "vendor-b", "[roboverify.skills]\npicker = vendor_b.skills:Picker\n"),
    )
    with pytest.raises(UnknownPluginError) as info:
        load_plugin("skills", "picker")
    message = str(info.value)
    assert "vendor_b.skills:Picker" in message
    assert "'vendor-b'" in message


# known-bad skills: a group of their own, still found by skill lookups ---------------------------
def test_known_bad_skills_are_not_registered_as_skills_but_load_as_skills() -> None:
    from skills.patrol_faults import SpeedingPatrolSkill

    assert "patrol_speeding" not in registered("skills")
    assert registered("known_bad_skills")["patrol_speeding"].group == "roboverify.known_bad_skills"
    assert load_plugin("skills", "patrol_speeding") is SpeedingPatrolSkill
    assert "patrol_speeding" not in {info.name for info in plugin_infos("skills")}


def test_a_name_in_both_groups_is_a_duplicate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    install_fake_entry_points(
        monkeypatch,
        fake_distribution(
            tmp_path / "a", "robot-skills-a", "[roboverify.skills]\npicker = a.skills:Picker\n"
        ),
        fake_distribution(
            tmp_path / "b",
            "robot-skills-b",
            "[roboverify.known_bad_skills]\npicker = skills.pick_place_faults:DroppingPickPlaceSkill\n",
        ),
    )
    with pytest.raises(DuplicatePluginError) as info:
        load_plugin("skills", "picker")
    message = str(info.value)
    assert "skill 'picker' is registered twice: as a skill by 'robot-skills-a'" in message
    assert "known-bad skill by 'robot-skills-b' (skills.pick_place_faults:DroppingPickPlaceSkill)" in message
    assert info.value.exit_code == 2
