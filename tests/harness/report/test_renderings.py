"""Every run writes its renderings next to ``report.json``; HTML and PDF only where installed."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest

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


def test_a_missing_html_or_pdf_module_is_skipped_with_the_fix(
    failing_run: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "harness.report.html", None)  # import raises ModuleNotFoundError
    monkeypatch.setitem(sys.modules, "harness.report.pdf", None)
    written = write_renderings(load(failing_run), tmp_path, ["md", "html", "pdf"])
    assert [path.name for path in written.paths] == ["report.md"]
    assert written.messages() == [
        "report.html not written: this installation has no HTML rendering",
        "report.pdf not written: PDF needs WeasyPrint: pip install 'roboverify[pdf]'",
    ]
    with pytest.raises(RenderingUnavailable):
        render(load(failing_run), "html")


def test_html_and_pdf_come_from_their_modules_when_installed(
    failing_run: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    html = types.ModuleType("harness.report.html")
    html.render_html = lambda report: f"<p>{report.verdict.value}</p>"  # type: ignore[attr-defined]
    pdf = types.ModuleType("harness.report.pdf")
    pdf.render_pdf = lambda report: b"%PDF-1.7"  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "harness.report.html", html)
    monkeypatch.setitem(sys.modules, "harness.report.pdf", pdf)
    written = write_renderings(load(failing_run), tmp_path, ["html", "pdf", "html"])
    assert [path.name for path in written.paths] == ["report.html", "report.pdf"]
    assert (tmp_path / "report.html").read_text(encoding="utf-8") == "<p>fail</p>"
    assert (tmp_path / "report.pdf").read_bytes() == b"%PDF-1.7"
    assert not written.skipped


def test_a_pdf_module_without_weasyprint_is_skipped(
    failing_run: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def render_pdf(report: Report) -> bytes:
        import weasyprint  # type: ignore[import-not-found]  # noqa: F401

        return b""

    pdf = types.ModuleType("harness.report.pdf")
    pdf.render_pdf = render_pdf  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "harness.report.pdf", pdf)
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    written = write_renderings(load(failing_run), tmp_path, ["pdf"])
    assert not written.paths
    assert "pip install 'roboverify[pdf]'" in written.skipped["pdf"]
