"""The journal of a run: every finished episode, durable the moment it finishes.

``DIR/journal.jsonl`` holds one episode result per line, written and fsynced as each episode
ends, in completion order. ``DIR/manifest.json`` holds what the results depend on (hashes of
the plan, the scenario specs, the plugins' code, the harness version, and the command line's
overrides), so that a resumed run only ever mixes results of the very same campaign.

Each line is ``{"chain":"<sha256>","result":{...}}``: ``chain`` is the SHA-256 of the previous
line's ``chain`` (for the first line: of ``manifest.json``'s bytes, which hold a random run id)
followed by this line's ``result`` bytes. A line that was edited, duplicated, moved, or pasted
from another run breaks the chain there, and the line is named. The chain finds changes; it
does not stop someone who rewrites the whole journal and recomputes it (sign the report for
that: ``roboverify report sign``).

A power cut or a full disk can tear the last line, which then has no newline; reading drops it
(the episode runs again). A complete line that does not follow the chain is never dropped:
reading stops with :class:`JournalError`. Files that are replaced rather than appended to (the
manifest, a journal cleaned on resume) are written to a temporary file, fsynced and renamed
over the old one: never half-written.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import pydantic_core
from pydantic import ValidationError

from harness.errors import RoboverifyError
from harness.results import EpisodeResult

JOURNAL = "journal.jsonl"

_PREFIX, _MIDDLE, _SUFFIX = b'{"chain":"', b'","result":', b"}"
_DIGEST = 64  # hex digits of a SHA-256


class JournalError(RoboverifyError):
    """A journal line that was edited, moved, duplicated or comes from another run."""

    def __init__(self, message: str, line: int) -> None:
        self.line = line
        super().__init__(message)


@dataclass
class JournalContents:
    results: list[EpisodeResult]
    dropped: int  # a torn last line (a power cut or a full disk): that episode runs again
    chain: str = ""  # the last good line's chain: where the next line continues
    whole: bytes = b""  # the journal without its torn last line


def chain_start(manifest: bytes) -> str:
    """The chain value before the journal's first line: the SHA-256 of the manifest's bytes."""
    return hashlib.sha256(b"roboverify journal\0" + manifest).hexdigest()


def _link(previous: str, result: bytes) -> str:
    return hashlib.sha256(previous.encode("ascii") + b"\0" + result).hexdigest()


def encode(result: EpisodeResult) -> bytes:
    """A result's JSON; infinities and NaN written as JSON5-style constants so they read back
    exactly."""
    return pydantic_core.to_json(result.model_dump(mode="python"), inf_nan_mode="constants")


def encode_line(result: EpisodeResult, previous: str) -> tuple[bytes, str]:
    """One journal line for ``result`` after the chain value ``previous``, and its own chain."""
    data = encode(result)
    chain = _link(previous, data)
    return _PREFIX + chain.encode("ascii") + _MIDDLE + data + _SUFFIX + b"\n", chain


def read_journal(path: Path, start: str) -> JournalContents:
    """Every result in the journal at ``path`` whose chain begins at ``start``; a torn last line
    is dropped; raises :class:`JournalError` naming the first line that breaks the chain."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return JournalContents([], 0, start)
    lines = data.split(b"\n")
    torn = lines.pop()  # after the last newline: empty, or a line that was never finished
    results, chain = [], start
    for number, line in enumerate(lines, start=1):
        result, chain = _read_line(path, number, line, chain)
        results.append(result)
    return JournalContents(results, 1 if torn.strip() else 0, chain, data[: len(data) - len(torn)])


def _read_line(path: Path, number: int, line: bytes, previous: str) -> tuple[EpisodeResult, str]:
    head = len(_PREFIX) + _DIGEST + len(_MIDDLE)
    well_formed = line.startswith(_PREFIX) and line[len(_PREFIX) + _DIGEST :].startswith(_MIDDLE)
    if not (well_formed and line.endswith(_SUFFIX)):
        raise JournalError(
            f"'{path}' line {number} is not a journal line of this roboverify version (no integrity "
            "chain): the journal was edited, or written by an older roboverify. Its episodes cannot "
            "be trusted; start a new run with another --out",
            number,
        )
    recorded, data = line[len(_PREFIX) : len(_PREFIX) + _DIGEST].decode("ascii", "replace"), line[head:-1]
    chain = _link(previous, data)
    if recorded != chain:
        raise JournalError(
            f"'{path}' line {number} was changed after it was written: its integrity hash does not "
            f"follow from {'line ' + str(number - 1) if number > 1 else 'the manifest'} (an edited "
            "result, a line duplicated or moved, or one from another run). The journal cannot be "
            "trusted; start a new run with another --out",
            number,
        )
    try:
        return EpisodeResult.model_validate_json(data), chain
    except ValidationError as error:
        raise JournalError(
            f"'{path}' line {number} holds no episode result ({error.error_count()} problem(s)); "
            "start a new run with another --out",
            number,
        ) from None


class Journal:
    """Appends results to ``journal.jsonl``, continuing the chain from ``chain``; each line is on
    disk before :meth:`append` returns.

    When a line cannot be written (a full disk, a folder gone read-only), the file is cut back
    to the lines before it, so no half line is left, and the :class:`OSError` is raised.
    """

    def __init__(self, path: Path, chain: str) -> None:
        self.path = path
        self.chain = chain
        self.descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        self.count = 0

    def append(self, result: EpisodeResult) -> None:
        line, chain = encode_line(result, self.chain)
        end = os.lseek(self.descriptor, 0, os.SEEK_END)
        try:
            view = memoryview(line)
            while view:
                view = view[os.write(self.descriptor, view) :]
            os.fsync(self.descriptor)
        except OSError:
            with contextlib.suppress(OSError):  # cutting back needs no space; a torn line is dropped anyway
                os.ftruncate(self.descriptor, end)
                os.fsync(self.descriptor)
            raise
        self.chain = chain
        self.count += 1

    def close(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self.descriptor)

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
