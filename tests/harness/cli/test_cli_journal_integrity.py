"""An edited journal is refused on resume, naming the line; a torn last line is still re-run."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from harness.campaign.manifest import MANIFEST
from harness.cli import main
from harness.execution.journal import JOURNAL

pytestmark = pytest.mark.usefixtures("plain_output")

PlanWriter = Callable[..., Path]
FAST = ("--backend", "inprocess", "-j", "1", "--quiet")


def verify(plan: Path, out: Path, *options: str) -> int:
    return main(["verify", str(plan), "--out", str(out), *FAST, *options])


def lines_of(out: Path) -> list[bytes]:
    return (out / JOURNAL).read_bytes().splitlines(keepends=True)


def edit_an_outcome(lines: list[bytes], other: list[bytes]) -> tuple[list[bytes], int]:
    """A failed episode turned into a success, the rest of its line left as it was."""
    number = next(n for n, line in enumerate(lines, 1) if b'"outcome":"success"' not in line)
    line = json.loads(lines[number - 1])
    line["result"]["outcome"], line["result"]["ended_by"] = "success", "task_succeeded"
    edited = json.dumps(line, separators=(",", ":")).encode() + b"\n"
    return [*lines[: number - 1], edited, *lines[number:]], number


def duplicate(lines: list[bytes], other: list[bytes]) -> tuple[list[bytes], int]:
    return [*lines[:3], lines[2], *lines[3:]], 4


def swap(lines: list[bytes], other: list[bytes]) -> tuple[list[bytes], int]:
    return [lines[0], lines[2], lines[1], *lines[3:]], 2


def paste_from_another_run(lines: list[bytes], other: list[bytes]) -> tuple[list[bytes], int]:
    return [*lines[:2], other[2], *lines[3:]], 3


def drop_a_middle_line(lines: list[bytes], other: list[bytes]) -> tuple[list[bytes], int]:
    return [*lines[:1], *lines[2:]], 2


@pytest.mark.parametrize(
    "edit",
    [edit_an_outcome, duplicate, swap, paste_from_another_run, drop_a_middle_line],
    ids=lambda f: f.__name__,
)
def test_an_edited_journal_is_refused_on_resume_naming_the_line(
    reach_plan: PlanWriter,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    edit: Callable[[list[bytes], list[bytes]], tuple[list[bytes], int]],
) -> None:
    plan = reach_plan({"behaviour": "raise", "rate": 0.5})
    out, other = tmp_path / "out", tmp_path / "other"
    verify(plan, out)
    verify(plan, other)  # the same plan and seed: only the run id (and wall-clock times) differ
    edited, number = edit(lines_of(out), lines_of(other))
    (out / JOURNAL).write_bytes(b"".join(edited[:-1]))  # as if cut short, so that resume has work
    capsys.readouterr()
    assert verify(plan, out, "--resume") == 2
    error = " ".join(capsys.readouterr().err.split())
    assert f"'{out / JOURNAL}' line {number} was changed after it was written" in error
    assert "start a new run with another --out" in error


def test_a_line_without_integrity_hash_is_refused(
    reach_plan: PlanWriter, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = reach_plan()
    out = tmp_path / "out"
    verify(plan, out)
    lines = lines_of(out)
    bare = json.dumps(json.loads(lines[1])["result"]).encode() + b"\n"  # a line as older versions wrote it
    (out / JOURNAL).write_bytes(lines[0] + bare)
    capsys.readouterr()
    assert verify(plan, out, "--resume") == 2
    assert f"'{out / JOURNAL}' line 2 is not a journal line" in " ".join(capsys.readouterr().err.split())


def test_a_run_started_by_an_older_version_is_refused(
    reach_plan: PlanWriter, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = reach_plan()
    out = tmp_path / "out"
    verify(plan, out)
    manifest = json.loads((out / MANIFEST).read_text())
    manifest["format"] = 1
    del manifest["run_id"]
    (out / MANIFEST).write_text(json.dumps(manifest))
    capsys.readouterr()
    assert verify(plan, out, "--resume") == 2
    assert "changed since it started: journal format" in capsys.readouterr().err


def test_a_torn_last_line_is_still_dropped_and_run_again(
    reach_plan: PlanWriter, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = reach_plan({"behaviour": "raise", "rate": 0.5})
    out = tmp_path / "out"
    verify(plan, out)
    lines = lines_of(out)
    (out / JOURNAL).write_bytes(b"".join(lines[:4]) + lines[4][:50])
    (out / "report.json").unlink()
    capsys.readouterr()
    main(["verify", str(plan), "--out", str(out), "--backend", "inprocess", "-j", "1", "--resume"])
    assert (
        "resuming: 4 episodes already done; 1 unreadable journal line(s) dropped" in capsys.readouterr().out
    )
    assert len(lines_of(out)) == 6
    assert lines_of(out)[:4] == lines[:4]
    assert main(["report", "verify", str(out)]) == 0
