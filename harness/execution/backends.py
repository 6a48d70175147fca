"""Choosing where episodes run: ``--backend local|ray|inprocess`` and ``-j``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from harness.errors import UsageError

if TYPE_CHECKING:  # the command line's parser imports this module: keep it light
    from harness.execution.runner import Backend

BACKENDS = ("local", "ray", "inprocess")
"""Where episodes run: isolated worker processes here, a Ray cluster, or this process."""


def make_backend(
    name: str, workers: int | None = None, *, address: str | None = None, log: Path | None = None
) -> Backend:
    """The backend called ``name``; Ray is imported only when it is asked for."""
    if address is not None and name != "ray":
        raise UsageError("--address is the address of a Ray cluster; use it with --backend ray")
    if name == "local":
        from harness.execution.pool import LocalBackend

        return LocalBackend(workers, log=log)
    if name == "ray":
        from harness.execution.ray_backend import RayBackend

        return RayBackend(address=address, workers=workers)
    if name == "inprocess":
        if workers not in (None, 1):
            raise UsageError("--backend inprocess runs one episode at a time; drop -j or use --backend local")
        from harness.execution.runner import InProcessBackend

        return InProcessBackend()
    raise UsageError(f"unknown backend '{name}'; choose one of {', '.join(BACKENDS)}")


def describe(backend: Backend) -> str:
    """'2 worker processes', 'Ray cluster at ...', 'this process (no isolation)'."""
    text = getattr(backend, "description", None)
    return text if isinstance(text, str) else "this process (no isolation, no limits)"
