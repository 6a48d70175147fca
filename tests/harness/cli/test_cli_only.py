"""``roboverify verify --only SCENARIO#INDEX`` runs one episode again exactly as it ran, and the
report's reproduce command says so."""

from __future__ import annotations

import shlex
from collections.abc import Callable
from pathlib import Path

from harness.cli import main
from harness.report.model import Report
from harness.report.reproduce import reproduce_command
from tests.harness.cli.helpers import read_report

PlanWriter = Callable[..., Path]


def test_one_episode_runs_again_byte_for_byte(reach_plan: PlanWriter, tmp_path: Path) -> None:
    plan = reach_plan({"behaviour": "raise", "rate": 0.5})
    assert main(["verify", str(plan), "--out", str(tmp_path / "all"), "--quiet", "--seed", "3"]) in (0, 1, 3)
    full = Report.model_validate(read_report(tmp_path / "all"))
    failed = next(e for e in full.episodes if e.outcome.value == "skill_error")
    command = shlex.split(reproduce_command(full, failed))
    assert command[:2] == ["roboverify", "verify"] and f"{failed.scenario}#{failed.index}" in command
    main([*command[1:], "--out", str(tmp_path / "one"), "--quiet"])
    (again,) = Report.model_validate(read_report(tmp_path / "one")).episodes
    assert again.deterministic_json() == failed.deterministic_json()


def test_only_names_the_form_it_takes(reach_plan: PlanWriter, tmp_path: Path, capsys: object) -> None:
    code = main(["verify", str(reach_plan()), "--out", str(tmp_path / "x"), "--only", "nope#1"])
    assert code == 2
