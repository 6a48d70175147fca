"""An unexpected exception inside roboverify: its traceback saved to a file, one line printed.

Errors roboverify raises on purpose (:class:`~harness.errors.RoboverifyError`) are the user's
to fix and say how. Anything else is a bug in roboverify: the command exits with
:data:`INTERNAL_ERROR` and prints one line naming the file that holds the traceback, which goes
in the run's output folder when the command has one, else in the system's temporary folder.
"""

from __future__ import annotations

import platform
import sys
import tempfile
import traceback
from datetime import datetime
from pathlib import Path

INTERNAL_ERROR = 70
"""Exit code of an internal error: ``EX_SOFTWARE`` of ``sysexits.h``."""

_output_folder: list[Path] = []


def note_output_folder(folder: Path) -> None:
    """Save a crash's traceback in ``folder`` (once it exists) rather than the temporary folder."""
    _output_folder[:] = [folder]


def forget_output_folder() -> None:
    _output_folder.clear()


def crash_file_name(now: datetime | None = None) -> str:
    return f"roboverify-crash-{(now or datetime.now()).strftime('%Y%m%d-%H%M%S-%f')}.txt"


def save_traceback(error: BaseException, argv: list[str]) -> Path | None:
    """Write the traceback with the version, Python and command line; returns the file, or
    None when neither the output folder nor the temporary folder can be written."""
    from harness.report.model import tool_version

    text = "".join(
        [
            f"roboverify {tool_version()}, Python {platform.python_version()}, {platform.platform()}\n",
            f"command: roboverify {' '.join(argv)}\n\n",
            *traceback.format_exception(error),
        ]
    )
    name = crash_file_name()
    folders = [folder for folder in _output_folder if folder.is_dir()]
    for folder in [*folders, Path(tempfile.gettempdir())]:
        path = folder / name
        try:
            path.write_text(text, encoding="utf-8")
        except OSError:
            continue
        return path
    return None


def report_crash(error: BaseException, argv: list[str]) -> tuple[str, bool]:
    """Save the traceback; return the one line to print and whether the file was written."""
    from harness.report.model import tool_version

    path = save_traceback(error, argv)
    where = f"the traceback is in {path}" if path is not None else "the traceback could not be saved"
    line = (
        f"internal error: this is a bug in roboverify {tool_version()} ({type(error).__name__}), "
        f"not in your plan or skill; {where}; please report it with that file attached"
    )
    return line, path is not None


def print_unsaved(error: BaseException) -> None:
    """The last resort when no file could hold the traceback: print it after the line."""
    traceback.print_exception(error, file=sys.stderr)
