"""Skill manifests: declared on the class, validated with file, line and attribute, enforced
when a plan pairs a skill with a scenario, recorded in the report, shown by the CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pytest

from harness.cli import main
from harness.errors import SpecError
from harness.records import FloatArray
from harness.registry import load_plugin, plugin_infos
from harness.skill import Observation, Skill
from harness.skill_manifest import manifest_of

REFERENCE = ("pick_place", "collab_pick_place", "order_picking", "patrol")


def skill(**attributes: Any) -> type[Skill]:
    """A point-robot skill class with the given manifest attributes."""

    def act(self: Skill, observation: Observation) -> FloatArray:
        return np.zeros(5)

    body: dict[str, Any] = {"robot": "point", "command_kind": "ee_pose", "act": act, "__module__": __name__}
    body.update(attributes)
    return type("Probe", (Skill,), body)


@pytest.mark.parametrize("name", REFERENCE)
def test_every_reference_skill_declares_its_whole_manifest(name: str) -> None:
    manifest = manifest_of(load_plugin("skills", name), name)
    assert manifest.name == name and manifest.version == "1.0.0"
    assert set(manifest.declared) == {"name", "version", "supports", "maintainer", "license"}
    assert manifest.license == "Apache-2.0" and manifest.supports and manifest.parameters is not None


def test_every_registered_skill_has_a_valid_manifest() -> None:
    for info in plugin_infos("skills"):
        manifest = manifest_of(load_plugin("skills", info.name), info.name)
        assert manifest.robot and manifest.command_kind, info.name


def test_a_subclass_is_a_skill_of_its_own_name_but_keeps_the_version() -> None:
    dropping = manifest_of(load_plugin("skills", "pick_place_dropping"), "pick_place_dropping")
    assert (dropping.name, dropping.version) == ("pick_place_dropping", "1.0.0")
    assert "name" not in dropping.declared


@pytest.mark.parametrize(
    ("attributes", "where", "fix"),
    [
        ({"version": "one point two"}, "attribute 'version'", "is not a PEP 440 version; write e.g. '1.2.0'"),
        (
            {"supports": ("workstation/*", "bad spec!")},
            "attribute 'supports.1'",
            "write e.g. 'workstation/*'",
        ),
        ({"name": "9lives"}, "attribute 'name'", "String should match pattern"),
        ({"maintainer": "x" * 300}, "attribute 'maintainer'", "at most 200 characters"),
    ],
)
def test_a_bad_manifest_names_the_file_line_attribute_and_fix(
    attributes: dict[str, Any], where: str, fix: str
) -> None:
    with pytest.raises(SpecError) as caught:
        manifest_of(skill(**attributes))
    (problem,) = caught.value.problems
    assert where in problem and fix in problem and "skill Probe" in problem
    assert caught.value.file.endswith("test_skill_manifest.py")


class BadlyVersioned(Skill):
    robot = "point"
    command_kind = "ee_pose"
    version: ClassVar[str] = "latest"

    def act(self, observation: Observation) -> FloatArray:
        return np.zeros(5)


def test_the_line_is_where_the_class_is_defined() -> None:
    with pytest.raises(SpecError) as caught:
        manifest_of(BadlyVersioned)
    line = next(
        i
        for i, text in enumerate(Path(__file__).read_text().splitlines(), 1)
        if "class BadlyVersioned" in text
    )
    assert caught.value.problems[0].startswith(
        f"line {line}, skill BadlyVersioned, attribute 'version': 'latest'"
    )


def test_the_hash_changes_with_the_manifest_and_only_with_it() -> None:
    first, again = manifest_of(skill(version="1.0.0")), manifest_of(skill(version="1.0.0"))
    assert first.sha256 == again.sha256 != manifest_of(skill(version="1.0.1")).sha256


class NarrowSkill(Skill):
    """Reaches targets, for one family of scenarios only."""

    name: ClassVar[str] = "narrow"
    version: ClassVar[str] = "2.1.0"
    robot = "point"
    command_kind = "ee_pose"
    observation_keys = ("ee_position", "target_position")
    supports: ClassVar[tuple[str, ...]] = ("testing/elsewhere-*",)
    maintainer: ClassVar[str] = "Reach Team <reach@example.org>"
    license: ClassVar[str] = "MIT"

    def act(self, observation: Observation) -> FloatArray:
        return np.array([*observation["target_position"], 0.0, 0.0])


class ReachingSkill(NarrowSkill):
    name: ClassVar[str] = "reaching"
    supports: ClassVar[tuple[str, ...]] = ("testing/reach-*",)


def test_a_plan_pairing_a_skill_with_a_scenario_it_does_not_claim_is_refused(reach_plan) -> None:  # type: ignore[no-untyped-def]
    plan = reach_plan()
    text = plan.read_text().replace("harness.testing.hostile:HostileSkill", f"{__name__}:NarrowSkill")
    plan.write_text(text.replace("params: {}", "params: {}"))
    code = main(["verify", str(plan), "--out", str(plan.parent / "run"), "--quiet"])
    assert code == 2
    with pytest.raises(
        SpecError, match=r"'tests.harness.test_skill_manifest:NarrowSkill' 2.1.0 is made for "
    ):
        from harness.plan.resolve import load_plan

        load_plan(plan)


def test_the_report_records_each_skills_manifest(reach_plan, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    plan = reach_plan()
    plan.write_text(
        plan.read_text().replace("harness.testing.hostile:HostileSkill", f"{__name__}:ReachingSkill")
    )
    out = tmp_path / "run"
    assert main(["verify", str(plan), "--out", str(out), "--quiet", "--backend", "inprocess"]) == 0
    [recorded] = json.loads((out / "report.json").read_text())["provenance"]["skills"]
    assert recorded["version"] == "2.1.0"
    assert recorded["manifest"]["name"] == "reaching" and recorded["manifest"]["license"] == "MIT"
    assert recorded["manifest_sha256"] == manifest_of(ReachingSkill).sha256


def test_skill_show_prints_the_manifest_and_exports_it(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["skill", "show", "pick_place"]) == 0
    table = capsys.readouterr().out
    assert "skill pick_place 1.0.0" in table and "workstation/*" in table and "Apache-2.0" in table
    assert main(["skill", "show", f"{__name__}:ReachingSkill", "--format", "json"]) == 0
    exported = json.loads(capsys.readouterr().out)
    assert exported["version"] == "2.1.0" and exported["sha256"] == manifest_of(ReachingSkill).sha256
    assert main(["skill", "show", "pick_place_dropping"]) == 0
    assert "(not declared)" in capsys.readouterr().out
    assert main(["skill", "show", "pick_plac"]) == 2
    assert "did you mean 'pick_place'" in capsys.readouterr().err


def test_list_shows_each_skills_version_and_scope(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list"]) == 0
    assert "version 1.0.0, robot franka_panda" in " ".join(capsys.readouterr().out.split())
