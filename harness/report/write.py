"""Writing ``report.json``: atomically, so a reader never sees a half-written file.

Next to it goes ``report.sha256``, the SHA-256 of its bytes in ``sha256sum`` format
(``<hex>  report.json``), which ``roboverify report verify`` and ``sha256sum -c`` check.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from harness.atomic import write_atomically
from harness.report.model import Report

REPORT = "report.json"
REPORT_SHA256 = "report.sha256"


def write_report(report: Report, out_dir: Path) -> Path:
    """Write ``out_dir/report.json`` and its ``report.sha256`` atomically and durably; returns
    the report's path."""
    target = out_dir / REPORT
    content = report.model_dump_json(indent=2).encode("utf-8")
    write_atomically(target, content)
    write_atomically(out_dir / REPORT_SHA256, f"{hashlib.sha256(content).hexdigest()}  {REPORT}\n".encode())
    return target


def remove_report(out_dir: Path) -> None:
    """Remove ``report.json``, ``report.sha256`` and every rendering from ``out_dir``: what is
    left after writing them failed part-way must not pass for a report. The journal stays, so
    ``roboverify verify --resume`` writes the report again."""
    from harness.report.renderings import RENDERINGS

    for name in (REPORT, REPORT_SHA256, *(rendering.file_name for rendering in RENDERINGS.values())):
        (out_dir / name).unlink(missing_ok=True)
