"""``roboverify report DIR``: the renderings written again from report.json alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.cli import main
from harness.report import renderings
from harness.report.renderings import render
from harness.report.write import REPORT
from tests.harness.report.test_renderings import load, no_weasyprint

pytestmark = pytest.mark.usefixtures("plain_output")


def test_renders_the_asked_formats_from_report_json_alone(
    failing_run: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("report.md", "junit.xml", "journal.jsonl", "manifest.json"):
        (failing_run / name).unlink()
    assert main(["report", str(failing_run), "--format", "md", "--format", "junit"]) == 0
    report = load(failing_run)
    assert (failing_run / "report.md").read_bytes() == render(report, "md")
    assert (failing_run / "junit.xml").read_bytes() == render(report, "junit")
    out = capsys.readouterr().out
    assert f"wrote {failing_run / 'report.md'}" in out


def test_by_default_renders_html_md_and_junit(failing_run: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (failing_run / "report.md").unlink()
    assert main(["report", "render", str(failing_run)]) == 0
    assert (failing_run / "report.md").is_file()
    assert not (failing_run / "report.pdf").exists()


def test_a_format_asked_for_but_not_installed_is_an_error(
    failing_run: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(renderings, "render_pdf", no_weasyprint)
    assert main(["report", str(failing_run), "--format", "pdf", "--format", "md"]) == 2
    out = " ".join(capsys.readouterr().out.split())
    assert "report.pdf not written:" in out and "roboverify[pdf]" in out
    assert "wrote" in out  # the others are written all the same


def test_a_folder_without_a_report_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", str(tmp_path)]) == 2
    error = capsys.readouterr().err
    assert f"cannot read '{tmp_path / REPORT}'" in error
    assert "finished 'roboverify verify' run" in error


def test_an_unreadable_report_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / REPORT).write_text('{"verdict": "pass"', encoding="utf-8")
    assert main(["report", str(tmp_path), "--format", "md"]) == 2
    error = capsys.readouterr().err
    assert f"'{tmp_path / REPORT}' is not a roboverify report" in error
    assert not (tmp_path / "report.md").exists()
