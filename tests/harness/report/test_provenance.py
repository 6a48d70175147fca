"""The report's provenance: what a finished run records about itself, and report.sha256."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

import numpy as np
import pytest

from harness.records import FloatArray
from harness.report.model import SCHEMA_VERSION, Report, tool_version
from harness.skill import Observation, Skill
from harness.skill_manifest import manifest_of
from tests.harness.cli.helpers import finished_run

PlanWriter = Callable[..., Path]


@pytest.fixture
def report(reach_plan: PlanWriter, tmp_path: Path) -> Report:
    folder = finished_run(reach_plan(), tmp_path / "out", "--seed", "5")
    return Report.model_validate_json((folder / "report.json").read_bytes())


def test_the_run_records_the_software_and_the_engine(report: Report) -> None:
    provenance = report.provenance
    assert report.schema_version == SCHEMA_VERSION == "2.0"
    assert provenance is not None
    assert provenance.roboverify == tool_version()
    assert provenance.numpy == np.__version__
    assert provenance.python.split()[-1].count(".") == 2 and provenance.platform
    (engine,) = provenance.engine
    assert engine.model_dump() == {
        "scenario": "testing/reach-v1", "control_rate_hz": 10.0, "physics_rate_hz": 100.0,
        "substeps": 10, "time_budget_s": 5.0, "max_ticks": 50,
    }  # fmt: skip


def test_the_run_records_its_files_seeds_and_journal(report: Report, tmp_path: Path) -> None:
    provenance = report.provenance
    assert provenance is not None
    inputs = {entry.role: entry for entry in provenance.inputs}
    assert set(inputs) == {"plan", "scenario spec testing/reach-v1"}
    plan = tmp_path / "plan.yaml"
    assert inputs["plan"].path == str(plan.resolve())
    assert inputs["plan"].sha256 == hashlib.sha256(plan.read_bytes()).hexdigest() == report.plan.sha256
    assert [(s.scenario, s.index, s.seed) for s in provenance.seeds] == [
        (e.scenario, e.index, e.seed) for e in report.episodes
    ]
    journal = (tmp_path / "out" / "journal.jsonl").read_bytes()
    assert provenance.journal_sha256 == hashlib.sha256(journal).hexdigest()


def test_the_skill_and_its_code_match_the_manifest(report: Report, tmp_path: Path) -> None:
    provenance = report.provenance
    assert provenance is not None
    (skill,) = provenance.skills
    assert (skill.cls, skill.version) == ("harness.testing.hostile:HostileSkill", tool_version())
    (code,) = provenance.code
    assert code.package == skill.package == "harness.testing.hostile"
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["code"][code.package] == code.sha256
    hostile = Path(code.paths[0])
    assert code.files == {"hostile.py": hashlib.sha256(hostile.read_bytes()).hexdigest()}


def test_report_sha256_is_what_sha256sum_checks(reach_plan: PlanWriter, tmp_path: Path) -> None:
    folder = finished_run(reach_plan(), tmp_path / "out")
    digest = hashlib.sha256((folder / "report.json").read_bytes()).hexdigest()
    assert (folder / "report.sha256").read_text() == f"{digest}  report.json\n"


class Versioned(Skill):
    robot = "point"
    command_kind = "velocity"
    version: ClassVar[str] = "3.1.4"

    def act(self, observation: Observation) -> FloatArray:
        return np.zeros(2)


def test_a_skill_declares_its_version_else_its_distribution_gives_it() -> None:
    assert manifest_of(Versioned).version == "3.1.4"
    unversioned = type(
        "Unversioned",
        (Skill,),
        {"act": Versioned.act, "__module__": "nowhere_at_all", "robot": "point", "command_kind": "ee_pose"},
    )
    assert manifest_of(unversioned).version == "0+unknown"
