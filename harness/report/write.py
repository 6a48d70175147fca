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
