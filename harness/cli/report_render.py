"""``roboverify report DIR [--format html|md|junit|pdf ...]``: write a run's renderings again.

Everything comes from ``DIR/report.json`` alone: neither the plan nor the journal is read, so a
report copied off a CI machine renders the same as it did there.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console

from harness.errors import UsageError
from harness.report.model import Report
from harness.report.renderings import DEFAULT_FORMATS, write_renderings
from harness.report.write import REPORT


def read_report(folder: Path) -> Report:
    """The report in ``folder/report.json``; a missing or unreadable one is a usage error."""
    path = folder / REPORT
    fix = (
        f"give the --out folder of a finished 'roboverify verify' run, "
        f"or run 'roboverify verify --out {folder}'"
    )
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UsageError(f"cannot read '{path}' ({error.strerror or error}): {fix}") from None
    try:
        return Report.model_validate_json(data)
    except ValueError as error:
        first = str(error).splitlines()[0]
        raise UsageError(
            f"'{path}' is not a roboverify report ({first}); {fix}; a report from another roboverify "
            "version renders with that version"
        ) from None


def run(args: argparse.Namespace, console: Console) -> int:
    folder: Path = args.folder
    report = read_report(folder)
    asked = args.format is not None
    written = write_renderings(report, folder, args.format or DEFAULT_FORMATS)
    for path in written.paths:
        console.print(f"wrote {path}", highlight=False, markup=False)
    for message in written.messages():
        console.print(message, style="red" if asked else "dim", highlight=False, markup=False)
    return 2 if asked and written.skipped else 0
