"""Writing ``report.json``: atomically, so a reader never sees a half-written file."""

from __future__ import annotations

from pathlib import Path

from harness.atomic import write_atomically
from harness.report.model import Report

REPORT = "report.json"


def write_report(report: Report, out_dir: Path) -> Path:
    """Write ``out_dir/report.json`` atomically and durably; returns its path."""
    target = out_dir / REPORT
    write_atomically(target, report.model_dump_json(indent=2).encode("utf-8"))
    return target
