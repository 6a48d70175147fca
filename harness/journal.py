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

import contextlib
import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pydantic_core
from pydantic import BaseModel, ConfigDict, ValidationError

from harness.resolve import ResolvedPlan
from harness.results import EpisodeResult

JOURNAL = "journal.jsonl"
MANIFEST = "manifest.json"
FORMAT = 1


class Manifest(BaseModel):
    """What a run's results depend on; two runs with equal manifests give equal results."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    format: int = FORMAT
    roboverify: str
    plan: str
    plan_sha256: str
    scenarios: dict[str, str]  # spec id -> sha256 of its spec file
    code: dict[str, str]  # top-level package (or module) of a plugin -> sha256 of its files
    skill: str
    seed: int
    episodes: dict[str, int]
    conditions_sha256: str | None = None


def build_manifest(resolved: ResolvedPlan, version: str, conditions: Path | None = None) -> Manifest:
    classes: list[type] = [resolved.skill_class, *(c.criterion_class for c in resolved.criteria)]
    for entry in resolved.scenarios:
        classes += [entry.scenario_class, entry.sim_class, entry.skill_class]
    return Manifest(
        roboverify=version,
        plan=resolved.source,
        plan_sha256=file_sha256(Path(resolved.source)),
        scenarios={entry.spec.id: file_sha256(Path(entry.source)) for entry in resolved.scenarios},
        code={name: tree_sha256(paths) for name, paths in sorted(_code_roots(classes).items())},
        skill=json.dumps(
            {entry.spec.id: entry.skill.model_dump() for entry in resolved.scenarios}, sort_keys=True
        ),
        seed=resolved.plan.seed,
        episodes={entry.spec.id: entry.episodes for entry in resolved.scenarios},
        conditions_sha256=file_sha256(conditions) if conditions is not None else None,
    )


def differences(stored: Manifest, current: Manifest) -> list[str]:
    """What changed since the stored run started, in words."""
    labels = {
        "format": "journal format",
        "roboverify": "roboverify version",
        "plan_sha256": f"plan file ({current.plan})",
        "skill": "skill and its parameters",
        "seed": "seed (--seed)",
        "episodes": "episodes per scenario (--episodes)",
        "conditions_sha256": "conditions file (--conditions)",
    }
    found = [text for name, text in labels.items() if getattr(stored, name) != getattr(current, name)]
    if stored.scenarios.keys() != current.scenarios.keys():
        found.append(f"scenarios ({', '.join(stored.scenarios)} -> {', '.join(current.scenarios)})")
    else:
        found += [
            f"scenario spec {s}" for s in current.scenarios if stored.scenarios[s] != current.scenarios[s]
        ]
    changed = sorted(p for p in {*stored.code, *current.code} if stored.code.get(p) != current.code.get(p))
    found += [f"code of {package}" for package in changed]
    return found


def file_sha256(path: Path) -> str:
    return tree_sha256([path])


def tree_sha256(paths: list[Path]) -> str:
    """One hash over files and folders (every file below them, by relative name and content)."""
    digest = hashlib.sha256()
    for root in paths:
        files = sorted(_files(root)) if root.is_dir() else [root]
        for file in files:
            digest.update(str(file.relative_to(root) if root.is_dir() else file.name).encode() + b"\0")
            with contextlib.suppress(OSError), open(file, "rb") as stream:
                for block in iter(lambda s=stream: s.read(1 << 20), b""):  # type: ignore[misc]
                    digest.update(block)
            digest.update(b"\0")
    return digest.hexdigest()


def _files(root: Path) -> Iterator[Path]:
    for folder, subfolders, names in os.walk(root):
        subfolders[:] = sorted(d for d in subfolders if d != "__pycache__" and not d.startswith("."))
        for name in names:
            if not name.endswith((".pyc", ".pyo")) and not name.startswith("."):
                yield Path(folder) / name


def _code_roots(classes: list[type]) -> dict[str, list[Path]]:
    """The top-level package (all of it: a plugin may import its siblings) or module of each class.

    The harness itself is covered by its version; a plugin that lives inside it (the test
    doubles) contributes its own module file only.
    """
    roots: dict[str, list[Path]] = {}
    for cls in classes:
        name = cls.__module__ if cls.__module__.startswith("harness.") else cls.__module__.split(".")[0]
        module = sys.modules.get(name)
        if module is None or name in roots:
            continue
        package_paths = getattr(module, "__path__", None)
        if package_paths is not None:
            roots[name] = [Path(p) for p in package_paths]
        elif getattr(module, "__file__", None):
            roots[name] = [Path(str(module.__file__))]
    return roots


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


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file in the same folder, fsync, rename over ``path``, fsync the folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    sync_folder(path.parent)


def sync_folder(folder: Path) -> None:
    """Make a rename or a new file in ``folder`` survive a power cut (POSIX; a no-op elsewhere)."""
    with contextlib.suppress(OSError, AttributeError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
