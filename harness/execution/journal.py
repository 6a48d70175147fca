"""The journal of a run: every finished episode, durable the moment it finishes.

``DIR/journal.jsonl`` holds one episode result per line, written and fsynced as each episode
ends, in completion order. ``DIR/manifest.json`` holds what the results depend on (hashes of
the plan, the scenario specs, the plugins' code, the harness version, and the command line's
overrides), so that a resumed run only ever mixes results of the very same campaign.

A power cut can tear the last line; reading drops it (the episode runs again). Files that are
replaced rather than appended to (the manifest, a journal cleaned on resume) are written to a
temporary file, fsynced and renamed over the old one: never half-written.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pydantic_core
from pydantic import ValidationError

from harness.results import EpisodeResult

JOURNAL = "journal.jsonl"


@dataclass
class JournalContents:
    results: list[EpisodeResult]
    dropped: int  # unreadable lines: a torn last line after a power cut, or damage


def read_journal(path: Path) -> JournalContents:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return JournalContents([], 0)
    results, dropped = [], 0
    for line in data.split(b"\n"):
        if not line.strip():
            continue
        try:
            results.append(EpisodeResult.model_validate_json(line))
        except ValidationError:
            dropped += 1
    return JournalContents(results, dropped)


def encode(result: EpisodeResult) -> bytes:
    """One line; infinities and NaN written as JSON5-style constants so they read back exactly."""
    return pydantic_core.to_json(result.model_dump(mode="python"), inf_nan_mode="constants") + b"\n"


class Journal:
    """Appends results to ``journal.jsonl``; each line is on disk before :meth:`append` returns."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.stream: IO[bytes] = open(path, "ab")  # noqa: SIM115 - closed by close()
        self.count = 0

    def append(self, result: EpisodeResult) -> None:
        self.stream.write(encode(result))
        self.stream.flush()
        os.fsync(self.stream.fileno())
        self.count += 1

    def close(self) -> None:
        self.stream.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
