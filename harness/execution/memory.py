"""Resident memory of a process, for the workers' memory limit.

Read from ``/proc`` on Linux (a few microseconds, no dependency); elsewhere from psutil when it
is installed. Where neither works the limit cannot be enforced, and :func:`memory_limit_enforced`
says so.
"""

from __future__ import annotations

import importlib
import os
from functools import cache
from typing import Any

MB = 2**20


@cache
def _page_size() -> int:
    try:
        return os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):
        return 4096


def resident_mb(pid: int | None) -> float | None:
    """Resident set size of ``pid`` in MB, or None when it cannot be read (or the process is gone)."""
    if pid is None:
        return None
    try:
        with open(f"/proc/{pid}/statm", "rb") as stream:
            return int(stream.read().split()[1]) * _page_size() / MB
    except (OSError, ValueError, IndexError):
        pass
    psutil = _psutil()
    if psutil is None:
        return None
    try:
        return float(psutil.Process(pid).memory_info().rss) / MB
    except Exception:  # psutil's NoSuchProcess, AccessDenied, ...
        return None


@cache
def _psutil() -> Any:
    try:
        return importlib.import_module("psutil")
    except ImportError:
        return None


def memory_limit_enforced() -> bool:
    return resident_mb(os.getpid()) is not None
