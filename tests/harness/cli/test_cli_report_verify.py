"""``roboverify report verify``: every recorded hash recomputed, each changed file named."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from harness.cli import main
from tests.harness.cli.helpers import change_one_byte, finished_run, write

pytestmark = pytest.mark.usefixtures("plain_output")

PlanWriter = Callable[..., Path]


@pytest.fixture
def run_folder(reach_plan: PlanWriter, tmp_path: Path) -> Path:
    return finished_run(reach_plan(), tmp_path / "out")


def checked(folder: Path, capsys: pytest.CaptureFixture[str], *options: str) -> tuple[int, list[str]]:
    """Exit code of ``report verify`` and the lines of the checks that did not pass."""
    capsys.readouterr()
    code = main(["report", "verify", str(folder), *options])
    lines = capsys.readouterr().out.splitlines()
    return code, [line for line in lines[:-1] if not line.startswith(("ok ", "not checked"))]


def test_an_untouched_run_passes(run_folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "verify", str(run_folder)]) == 0
    out = capsys.readouterr().out
    for item in ("report.json", "journal.jsonl", "plan", "scenario spec testing/reach-v1"):
        assert f"ok       {item}: " in out
    assert "ok       code of harness.testing.hostile (1 file(s)): " in out
    assert out.splitlines()[-1] == "all 5 checks passed"


@pytest.mark.parametrize(
    ("name", "old", "new", "item"),
    [
        ("out/report.json", b'"verdict_reason": "passed', b'"verdict_reason": "Passed', "report.json"),
        (
            "out/journal.jsonl",
            b'"outcome":"success"',
            b'"outcome":"Success"',
            "journal.jsonl",
        ),
        ("plan.yaml", b"episodes: 6", b"episodes: 7", "plan"),
        ("reach.yaml", b"time_budget_s: 5", b"time_budget_s: 6", "scenario spec testing/reach-v1"),
    ],
    ids=["report", "journal", "plan", "spec"],
)
def test_one_changed_byte_fails_naming_the_file(
    run_folder: Path, capsys: pytest.CaptureFixture[str], name: str, old: bytes, new: bytes, item: str
) -> None:
    path = run_folder.parent / name
    change_one_byte(path, old, new)
    code, failed = checked(run_folder, capsys)
    assert code == 1
    note = " (line 1 was edited or moved)" if item == "journal.jsonl" else ""
    assert failed == [f"changed  {item}: {path}{note}"]


def test_a_missing_journal_is_named(run_folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (run_folder / "journal.jsonl").unlink()
    assert checked(run_folder, capsys) == (1, [f"missing  journal.jsonl: {run_folder / 'journal.jsonl'}"])


def test_a_changed_conditions_file_is_named(
    reach_plan: PlanWriter, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan, conditions = reach_plan(), tmp_path / "conditions.jsonl"
    assert main(["conditions", str(plan), "--out", str(conditions)]) == 0
    folder = finished_run(plan, tmp_path / "out", "--conditions", str(conditions))
    assert checked(folder, capsys) == (0, [])
    change_one_byte(conditions, b'"seed"', b'"Seed"')
    assert checked(folder, capsys) == (1, [f"changed  conditions: {conditions}"])


@pytest.fixture
def own_skill(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A skill package of its own, declaring its version; returns its folder."""
    package = tmp_path / "lib" / "provenance_skill"
    package.mkdir(parents=True)
    write(
        package / "__init__.py",
        "from harness.testing.hostile import HostileSkill\n\n\n"
        "class ReachSkill(HostileSkill):\n    version = '1.4.2'\n",
    )
    monkeypatch.syspath_prepend(str(package.parent))
    yield package
    sys.modules.pop("provenance_skill", None)


def test_a_changed_or_added_file_of_the_skill_is_named(
    own_skill: Path, reach_plan: PlanWriter, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = reach_plan(skill={"name": "provenance_skill:ReachSkill"})
    folder = finished_run(plan, tmp_path / "out")
    assert checked(folder, capsys) == (0, [])
    change_one_byte(own_skill / "__init__.py", b"1.4.2", b"1.4.3")
    write(own_skill / "helpers.py", "")
    code, failed = checked(folder, capsys)
    assert code == 1
    assert failed == [
        f"changed  code of provenance_skill: {own_skill / '__init__.py'}",
        f"added    code of provenance_skill: {own_skill / 'helpers.py'}",
    ]


def test_a_folder_without_a_report_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "verify", str(tmp_path / "nowhere")]) == 2
    assert f"cannot read '{tmp_path / 'nowhere' / 'report.json'}'" in capsys.readouterr().err
    write(tmp_path / "report.json", '{"verdict": "pass"}')
    assert main(["report", "verify", str(tmp_path)]) == 2
    assert "is not a roboverify report" in capsys.readouterr().err
