"""Silence what native code writes straight to file descriptors 1 and 2 (bypassing Python)."""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress


@contextmanager
def quiet_native_output() -> Iterator[None]:
    with ExitStack() as stack:
        for stream, descriptor in ((sys.stdout, 1), (sys.stderr, 2)):
            stack.enter_context(_silenced(stream, descriptor))
        yield


@contextmanager
def _silenced(stream: object, descriptor: int) -> Iterator[None]:
    try:
        getattr(stream, "flush", lambda: None)()
        saved = os.dup(descriptor)
    except (OSError, ValueError):  # no real file descriptor (e.g. an embedded interpreter)
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, descriptor)
        yield
    finally:
        _flush_c_stdio()  # buffered C output must not reach the real stream later
        os.dup2(saved, descriptor)
        os.close(saved)
        os.close(devnull)


def _flush_c_stdio() -> None:
    with suppress(OSError, AttributeError):  # no C runtime reachable this way: nothing to flush
        ctypes.CDLL(None).fflush(None)
