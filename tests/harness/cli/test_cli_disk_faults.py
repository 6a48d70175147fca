"""A full disk or a read-only output folder: a clear error, every journaled episode kept, and
``--resume`` ending with the report an uninterrupted run gives."""

from __future__ import annotations

import errno
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from harness.campaign.manifest import MANIFEST
from harness.cli import main
from harness.execution.journal import JOURNAL, chain_start, read_journal

pytestmark = pytest.mark.usefixtures("plain_output")

PlanWriter = Callable[..., Path]
FAST = ("--backend", "inprocess", "-j", "1", "--quiet")


def verify(plan: Path, out: Path, *options: str) -> int:
    return main(["verify", str(plan), "--out", str(out), *FAST, *options])


def journaled(out: Path) -> int:
    return len(read_journal(out / JOURNAL, chain_start((out / MANIFEST).read_bytes())).results)


def report_of(out: Path) -> dict[str, Any]:
    """report.json without what depends on the wall clock (and the journal, which holds it)."""
    report: dict[str, Any] = json.loads((out / "report.json").read_text())
    for key in ("created_utc", "wall_s"):
        report.pop(key)
    report["provenance"].pop("journal_sha256")
    for episode in report["episodes"]:
        episode["timing"].pop("wall_s")
    return report


def is_journal(descriptor: int, out: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(descriptor), os.stat(out / JOURNAL))
    except OSError:
        return False


def full_disk_after(out: Path, lines: int, call: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """From the journal's ``lines + 1``-th line on, ``os.write`` writes half of it and then fails
    with ENOSPC (``call="write"``), or the line is written whole and ``os.fsync`` fails."""
    real_write, real_fsync = os.write, os.fsync
    written = [0]

    def write(descriptor: int, data: Any) -> int:
        if not is_journal(descriptor, out):
            return real_write(descriptor, data)
        if call == "write" and written[0] >= lines:
            real_write(descriptor, bytes(data)[: len(data) // 2])
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        written[0] += 1
        return real_write(descriptor, data)

    def fsync(descriptor: int) -> None:
        if call == "fsync" and is_journal(descriptor, out) and written[0] > lines:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_fsync(descriptor)

    monkeypatch.setattr(os, "write", write)
    monkeypatch.setattr(os, "fsync", fsync)


@pytest.mark.parametrize("call", ["write", "fsync"])
def test_a_full_disk_while_journaling_keeps_every_episode_and_resume_finishes(
    reach_plan: PlanWriter, tmp_path: Path, capsys: pytest.CaptureFixture[str], call: str
) -> None:
    plan = reach_plan({"behaviour": "raise", "rate": 0.5})
    whole = tmp_path / "whole"
    expected = verify(plan, whole)
    out = tmp_path / "out"
    capsys.readouterr()
    with pytest.MonkeyPatch.context() as patch:
        full_disk_after(out, 3, call, patch)
        assert verify(plan, out) == 2
    error = " ".join(capsys.readouterr().err.split())
    assert f"cannot write to '{out}' while journaling an episode: No space left on device (ENOSPC)" in error
    assert f"3 of 6 episodes are safely journaled in {out / JOURNAL}" in error
    assert "Free space on its disk" in error
    assert f"continue with: roboverify verify {plan} --out {out} --resume" in error
    content = (out / JOURNAL).read_bytes()
    assert content.count(b"\n") == 3 and content.endswith(b"\n"), "no half line left"
    assert journaled(out) == 3
    assert not (out / "report.json").exists()

    assert verify(plan, out, "--resume") == expected
    assert journaled(out) == 6
    assert report_of(out) == report_of(whole)


def test_a_full_disk_while_writing_the_report_keeps_the_journal(
    reach_plan: PlanWriter,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import harness.report.write

    plan = reach_plan({"behaviour": "raise", "rate": 0.5})
    whole = tmp_path / "whole"
    expected = verify(plan, whole)
    out = tmp_path / "out"

    def no_space(path: Path, data: bytes) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    with monkeypatch.context() as patch:
        patch.setattr(harness.report.write, "write_atomically", no_space)
        capsys.readouterr()
        assert verify(plan, out) == 2
    error = " ".join(capsys.readouterr().err.split())
    assert f"cannot write to '{out}' while writing the report" in error
    assert "6 of 6 episodes are safely journaled" in error
    assert f"--out {out} --resume" in error
    assert journaled(out) == 6

    assert verify(plan, out, "--resume") == expected
    assert report_of(out) == report_of(whole)


def read_only(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``os.open`` refuses to create or write files in ``folder``: a read-only file system."""
    real_open = os.open
    writing = os.O_WRONLY | os.O_RDWR | os.O_CREAT

    def open_(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if flags & writing and Path(os.fsdecode(path)).parent == folder:
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), os.fsdecode(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", open_)


def test_a_read_only_folder_is_refused_before_the_first_episode(
    reach_plan: PlanWriter,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    plan = reach_plan({"behaviour": "raise", "rate": 0.5})
    out = tmp_path / "out"
    out.mkdir()
    read_only(out, monkeypatch)
    assert verify(plan, out) == 2
    error = " ".join(capsys.readouterr().err.split())
    assert f"cannot write to '{out}': Read-only file system (EROFS); no episode has run" in error
    assert "Make the folder writable, or choose another --out" in error
    assert list(out.iterdir()) == [], "nothing left behind: a later run starts afresh"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes to read-only folders")
def test_a_folder_without_write_permission_is_refused(
    reach_plan: PlanWriter, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    out.chmod(0o500)
    try:
        assert verify(reach_plan(), out) == 2
    finally:
        out.chmod(0o700)
    error = " ".join(capsys.readouterr().err.split())
    assert f"cannot write to '{out}': Permission denied (EACCES); no episode has run" in error
    assert list(out.iterdir()) == []


def test_resume_in_a_folder_gone_read_only_is_refused_before_any_episode(
    reach_plan: PlanWriter,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    plan = reach_plan({"behaviour": "raise", "rate": 0.5})
    out = tmp_path / "out"
    with pytest.MonkeyPatch.context() as patch:
        full_disk_after(out, 2, "write", patch)
        assert verify(plan, out) == 2
    before = (out / JOURNAL).read_bytes()
    read_only(out, monkeypatch)
    capsys.readouterr()
    assert verify(plan, out, "--resume") == 2
    error = " ".join(capsys.readouterr().err.split())
    assert f"cannot write to '{out}' while resuming: Read-only file system (EROFS)" in error
    assert "2 of 6 episodes are safely journaled" in error
    assert (out / JOURNAL).read_bytes() == before


def test_a_full_disk_stops_worker_processes_too(
    reach_plan: PlanWriter,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    plan = reach_plan({"behaviour": "raise", "rate": 0.5})
    out = tmp_path / "out"
    full_disk_after(out, 2, "write", monkeypatch)
    code = main(["verify", str(plan), "--out", str(out), "--backend", "local", "-j", "2", "--quiet"])
    assert code == 2
    assert "2 of 6 episodes are safely journaled" in " ".join(capsys.readouterr().err.split())
    monkeypatch.undo()
    assert journaled(out) == 2
