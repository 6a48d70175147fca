"""Running ``roboverify`` through ``harness.cli.main`` on plans written to a folder."""

from __future__ import annotations

import json
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from harness.cli import main
from harness.report.model import RunVerdict


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def read_report(out_dir: Path) -> dict[str, Any]:
    report: dict[str, Any] = json.loads((out_dir / "report.json").read_text(encoding="utf-8"))
    return report


def run_files() -> list[str]:
    """The files a finished run leaves in its folder (the PDF where WeasyPrint is installed)."""
    files = ["journal.jsonl", "junit.xml", "manifest.json", "report.html", "report.json", "report.md"]
    files.append("report.sha256")
    if find_spec("weasyprint") is not None:
        files.append("report.pdf")
    return sorted(files)


def verify(tmp_path: Path, plan_text: str, *options: str) -> tuple[int, dict[str, Any]]:
    """Run ``roboverify verify`` on a plan written to tmp_path; return exit code and report."""
    plan = write(tmp_path / "plan.yaml", plan_text)
    out_dir = tmp_path / "out" / "nested"  # --out creates missing parents
    code = main(["verify", str(plan), "--out", str(out_dir), *options])
    files = sorted(p.name for p in out_dir.iterdir())
    assert files == run_files(), "no temporary files left"
    report = read_report(out_dir)
    assert RunVerdict(report["verdict"]).exit_code == code, "exit code and report disagree"
    return code, report


def finished_run(plan: Path, out_dir: Path, *options: str) -> Path:
    """Run ``plan`` in this process into ``out_dir`` (fast: the point-robot plans); returns it."""
    code = main(
        ["verify", str(plan), "--out", str(out_dir), "--backend", "inprocess", "-j", "1", "--quiet", *options]
    )
    assert (out_dir / "report.json").is_file(), f"exit code {code} and no report"
    return out_dir


def change_one_byte(path: Path, old: bytes, new: bytes) -> None:
    """Replace the first ``old`` in ``path`` by ``new``, which differs from it in one byte."""
    content = path.read_bytes()
    assert old in content and len(old) == len(new), (path, old)
    assert sum(a != b for a, b in zip(old, new, strict=True)) == 1
    path.write_bytes(content.replace(old, new, 1))
