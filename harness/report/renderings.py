"""The report's renderings: HTML, Markdown, JUnit XML and PDF, each written next to ``report.json``.

``RENDERINGS`` maps a format to the file it is written to and the function that renders it from
the :class:`~harness.report.model.Report` alone, so ``roboverify report DIR`` can write any of
them again later. PDF needs WeasyPrint (``pip install 'roboverify[pdf]'``, imported only when a
PDF is made); without it the PDF is skipped with a message saying so rather than failing the run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from harness.atomic import write_atomically
from harness.errors import UsageError
from harness.report.html import render_html
from harness.report.junit import render_junit
from harness.report.markdown import render_markdown
from harness.report.model import Report
from harness.report.pdf import render_pdf
from harness.report.write import REPORT, REPORT_SHA256

Render = Callable[[Report], str | bytes]


class Rendering(NamedTuple):
    file_name: str
    render: Render


class RenderingUnavailable(Exception):
    """The code a format needs is not installed; the message says what to install."""


def _pdf(report: Report) -> bytes:
    """The PDF, or :class:`RenderingUnavailable` when WeasyPrint (or Pango) is not installed."""
    try:
        return render_pdf(report)
    except UsageError as missing:
        raise RenderingUnavailable(str(missing)) from missing


RENDERINGS: dict[str, Rendering] = {
    "html": Rendering("report.html", render_html),
    "md": Rendering("report.md", render_markdown),
    "junit": Rendering("junit.xml", render_junit),
    "pdf": Rendering("report.pdf", _pdf),
}
OPTIONAL = frozenset({"pdf"})  # the formats that may be missing (WeasyPrint is an extra)
DEFAULT_FORMATS = ("html", "md", "junit")  # roboverify report DIR
RUN_FORMATS = ("html", "md", "junit", "pdf")  # every run


@dataclass
class Written:
    """What :func:`write_renderings` wrote, and the formats it skipped (format: why)."""

    paths: list[Path] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)

    def messages(self) -> list[str]:
        return [f"{RENDERINGS[name].file_name} not written: {why}" for name, why in self.skipped.items()]


def render(report: Report, name: str) -> bytes:
    """The rendering ``name`` of ``report``, encoded (text as UTF-8)."""
    rendered = RENDERINGS[name].render(report)
    return rendered.encode("utf-8") if isinstance(rendered, str) else rendered


def write_renderings(report: Report, folder: Path, formats: Iterable[str]) -> Written:
    """Write each format's file in ``folder`` atomically; skip an optional one not installed."""
    written = Written()
    for name in dict.fromkeys(formats):
        try:
            data = render(report, name)
        except RenderingUnavailable as missing:
            if name not in OPTIONAL:
                raise
            written.skipped[name] = str(missing)
            continue
        path = folder / RENDERINGS[name].file_name
        write_atomically(path, data)
        written.paths.append(path)
    return written


def remove_report(out_dir: Path) -> None:
    """Remove ``report.json``, ``report.sha256`` and every rendering from ``out_dir``: what is
    left after writing them failed part-way must not pass for a report. The journal stays, so
    ``roboverify verify --resume`` writes the report again."""
    for name in (REPORT, REPORT_SHA256, *(rendering.file_name for rendering in RENDERINGS.values())):
        (out_dir / name).unlink(missing_ok=True)
