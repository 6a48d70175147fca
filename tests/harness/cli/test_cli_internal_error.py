"""An unexpected exception inside roboverify: exit 70, one line, the traceback in a file, and
no half-written report."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

from harness.cli import main
from harness.cli.crash import INTERNAL_ERROR
from harness.report import renderings
from harness.report.renderings import Rendering

RUN = ["--backend", "inprocess", "-j", "1", "--quiet", "--no-history"]


class Boom(RuntimeError):
    pass


def _boom(*args: object, **kwargs: object) -> str:
    raise Boom("a bug planted by the test")


def _one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


def _crash_file(line: str) -> Path:
    assert line.startswith("internal error: this is a bug in roboverify")
    assert "please report it" in line
    path = Path(line.split("the traceback is in ", 1)[1].split(";", 1)[0])
    text = path.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text
    assert "Boom: a bug planted by the test" in text
    return path


@pytest.mark.usefixtures("plain_output")
def test_a_renderer_that_raises_leaves_no_report(
    reach_plan: Callable[..., Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # report.json and report.sha256 are written by then, report.html too: all must go
    monkeypatch.setitem(renderings.RENDERINGS, "md", Rendering("report.md", _boom))
    out_dir = tmp_path / "out"
    code = main(["verify", str(reach_plan()), "--out", str(out_dir), *RUN])
    assert code == INTERNAL_ERROR == 70
    path = _crash_file(_one_line(capsys.readouterr().err))
    assert path.parent == out_dir and path.name.startswith("roboverify-crash-")
    left = sorted(p.name for p in out_dir.iterdir())
    assert left == ["journal.jsonl", "manifest.json", path.name], "no report, hash or rendering left"


@pytest.mark.usefixtures("plain_output")
def test_a_crash_before_the_report_is_saved_in_the_output_folder(
    reach_plan: Callable[..., Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("harness.cli.verify.with_follow_ups", _boom)
    out_dir = tmp_path / "out"
    assert main(["verify", str(reach_plan()), "--out", str(out_dir), *RUN]) == INTERNAL_ERROR
    path = _crash_file(_one_line(capsys.readouterr().err))
    assert path.parent == out_dir
    assert not (out_dir / "report.json").exists()
    # the journal kept every episode: the run resumes to its report once the bug is gone
    monkeypatch.undo()
    monkeypatch.chdir(tmp_path)
    assert main(["verify", str(reach_plan()), "--out", str(out_dir), "--resume", *RUN]) in (0, 1, 3)
    assert (out_dir / "report.json").is_file()


@pytest.mark.usefixtures("plain_output")
def test_without_an_output_folder_the_traceback_goes_to_the_temporary_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    monkeypatch.setattr("harness.cli.plan_size.run", _boom)
    assert main(["plan-size", "--min", "0.9"]) == INTERNAL_ERROR
    path = _crash_file(_one_line(capsys.readouterr().err))
    assert path.parent == temporary
    assert "command: roboverify plan-size --min 0.9" in path.read_text(encoding="utf-8")


@pytest.mark.usefixtures("plain_output")
def test_errors_on_purpose_keep_their_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", str(tmp_path / "missing.yaml"), "--out", str(tmp_path / "out")]) == 2
    assert "internal error" not in capsys.readouterr().err


ROOT = Path(__file__).resolve().parents[3]


def _table_codes(markdown: str) -> list[int]:
    start = markdown.index("| exit code | meaning |")
    rows = markdown[start:].split("\n\n", 1)[0].splitlines()[2:]
    return [int(row.split("|")[1]) for row in rows]


def test_one_exit_code_table_in_the_help_the_readme_and_the_docs(capsys: pytest.CaptureFixture[str]) -> None:
    from harness.cli.parser import EXIT_CODES

    codes = [code for code, _ in EXIT_CODES]
    assert codes == [0, 1, 2, 3, 4, 70, 130]
    with pytest.raises(SystemExit):
        main(["--help"])
    epilog = capsys.readouterr().out.split("exit codes:", 1)[1]
    assert [int(line.split()[0]) for line in epilog.strip().splitlines()] == codes
    for document in ("README.md", "docs/cli.md"):
        assert _table_codes((ROOT / document).read_text(encoding="utf-8")) == codes, document
