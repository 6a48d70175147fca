"""--trusted-plugins-only and ROBOVERIFY_TRUSTED_PLUGINS_ONLY on the command line: exit 2."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from harness.cli import main
from harness.plan.trust import ENVIRONMENT

REGISTERED_PLAN = {
    "skill": "pick_place",
    "scenarios": ["workstation/pick_place-v1"],
    "episodes": 2,
    "criteria": {"task_success": {}},
}


def _plan(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "plan.yaml"
    path.write_text(yaml.safe_dump(REGISTERED_PLAN), encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def _no_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENVIRONMENT, raising=False)


@pytest.mark.usefixtures("plain_output")
def test_the_commands_refuse_with_exit_2(
    reach_plan: Callable[..., Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    plan = str(reach_plan())
    out = str(tmp_path / "out")
    assert main(["verify", plan, "--out", out, "--trusted-plugins-only"]) == 2
    assert not (tmp_path / "out").exists(), "nothing runs"
    assert main(["conditions", plan, "--out", str(tmp_path / "c.jsonl"), "--trusted-plugins-only"]) == 2
    assert main(["check-skill", "harness.testing:ScriptedSkill", "--trusted-plugins-only"]) == 2
    assert main(["skill", "show", "harness.testing:ScriptedSkill", "--trusted-plugins-only"]) == 2
    err = capsys.readouterr().err
    assert err.count("module:Attr reference") >= 4
    assert "Traceback" not in err
    monkeypatch.setenv(ENVIRONMENT, "1")
    assert main(["verify", plan, "--out", out]) == 2
    assert "module:Attr reference" in capsys.readouterr().err
    monkeypatch.delenv(ENVIRONMENT)
    assert main(["conditions", plan, "--out", str(tmp_path / "c.jsonl")]) == 0


@pytest.mark.usefixtures("plain_output")
def test_verify_refuses_a_conditions_file_outside(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    work = tmp_path / "work"
    plan = str(_plan(work))
    assert main(["conditions", plan, "--out", str(tmp_path / "c.jsonl")]) == 0
    monkeypatch.chdir(work)
    options = [
        "--conditions",
        str(tmp_path / "c.jsonl"),
        "--out",
        str(work / "out"),
        "--trusted-plugins-only",
    ]
    assert main(["verify", plan, *options]) == 2
    assert "--conditions:" in capsys.readouterr().err and not (work / "out").exists()


@pytest.mark.usefixtures("plain_output")
def test_check_skill_refuses_a_spec_outside_and_its_module_attr_kind(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from harness.plan.resolve import builtin_specs

    spec = yaml.safe_load(builtin_specs()["workstation/pick_place-v1"].read_text(encoding="utf-8"))
    (tmp_path / "outside.yaml").write_text(yaml.safe_dump(spec), encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    (work / "inside.yaml").write_text(yaml.safe_dump({**spec, "kind": "a.b:Kind"}), encoding="utf-8")
    monkeypatch.chdir(work)
    options = ["--episodes", "1", "--trusted-plugins-only"]
    assert main(["check-skill", "pick_place", "--scenario", "../outside.yaml", *options]) == 2
    assert "--scenario: '../outside.yaml' is outside" in capsys.readouterr().err
    assert main(["check-skill", "pick_place", "--scenario", "inside.yaml", *options]) == 2
    assert "inside.yaml: field 'kind': 'a.b:Kind' is a module:Attr reference" in capsys.readouterr().err
