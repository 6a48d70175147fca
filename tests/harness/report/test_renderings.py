"""Every run writes its renderings next to ``report.json``; HTML and PDF only where installed."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.errors import UsageError
from harness.report import renderings
from harness.report.model import Report
from harness.report.renderings import RENDERINGS, RenderingUnavailable, render, write_renderings
from tests.harness.cli.helpers import run_files


def load(out_dir: Path) -> Report:
    return Report.model_validate_json((out_dir / "report.json").read_bytes())


def test_a_run_writes_its_renderings_next_to_report_json(failing_run: Path) -> None:
    assert sorted(p.name for p in failing_run.iterdir()) == run_files()
    report = load(failing_run)
    for name in ("md", "junit"):
        assert (failing_run / RENDERINGS[name].file_name).read_bytes() == render(report, name)


def no_weasyprint(report: Report) -> bytes:
    raise UsageError("PDF reports need WeasyPrint; install it with: pip install 'roboverify[pdf]'")


def test_without_weasyprint_the_pdf_is_skipped_with_the_fix(
    failing_run: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(renderings, "render_pdf", no_weasyprint)
    written = write_renderings(load(failing_run), tmp_path, ["md", "html", "pdf"])
    assert [path.name for path in written.paths] == ["report.md", "report.html"]
    (message,) = written.messages()
    assert message.startswith("report.pdf not written:") and "pip install 'roboverify[pdf]'" in message
    with pytest.raises(RenderingUnavailable):
        render(load(failing_run), "pdf")


def test_html_and_pdf_are_written_once_each(
    failing_run: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(renderings, "render_pdf", lambda report: b"%PDF-1.7")
    written = write_renderings(load(failing_run), tmp_path, ["html", "pdf", "html"])
    assert [path.name for path in written.paths] == ["report.html", "report.pdf"]
    assert "<!DOCTYPE html>" in (tmp_path / "report.html").read_text(encoding="utf-8")
    assert (tmp_path / "report.pdf").read_bytes() == b"%PDF-1.7"
    assert not written.skipped
