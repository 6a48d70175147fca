"""The report's provenance: what produced it, from which files, and how to check them again.

``Report.provenance`` records the software that ran (roboverify, Python, the platform, pybullet
and numpy), each scenario's engine parameters, the SHA-256 of every input file (the plan, every
scenario spec, the conditions file) and of the skills' code, the skills' names and versions,
every episode's seed, and the SHA-256 of ``journal.jsonl`` as it was when the report was
written. ``roboverify report verify DIR`` recomputes the hashes and names what changed.

File hashes are plain SHA-256 of the file's bytes (what ``sha256sum`` prints). A code package's
``sha256`` is the tree hash of ``manifest.json``'s ``code``; its ``files`` give each file's own
SHA-256, so a change can be traced to the file.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from pydantic import Field

from harness.results import ReportModel
from harness.skill_manifest import SkillManifest


class FileHash(ReportModel):
    """One input file: what it is to the run, where it was, and its SHA-256."""

    role: str = Field(description="'plan', 'scenario spec <id>' or 'conditions'.")
    path: str = Field(description="Absolute path when the report was written.")
    sha256: str


class EngineParameters(ReportModel):
    """How one scenario's episodes were stepped."""

    scenario: str
    control_rate_hz: float
    physics_rate_hz: float
    substeps: int = Field(description="Physics steps per control tick.")
    time_budget_s: float
    max_ticks: int


class SkillInfo(ReportModel):
    """A skill that ran: its name in the plan, its class and its version."""

    name: str = Field(description="As the plan names it (registered name or module:Attr).")
    cls: str = Field(description="module:qualname of the class.")
    version: str = Field(description="The class's own 'version', else its distribution's, else 'unknown'.")
    package: str = Field(description="The code package (see 'code') that holds it.")
    manifest: SkillManifest | None = Field(None, description="The skill package's manifest, as declared.")
    manifest_sha256: str = Field("", description="SHA-256 of the manifest (its JSON form).")


class CodeHash(ReportModel):
    """The files of one skill's top-level package (or module)."""

    package: str
    paths: list[str]
    sha256: str = Field(description="Tree hash over every file, as in manifest.json's 'code'.")
    files: dict[str, str] = Field(description="Path relative to its root -> SHA-256 of its bytes.")


class EpisodeSeed(ReportModel):
    scenario: str
    index: int
    seed: int


class Provenance(ReportModel):
    """Everything needed to tell whether a report still matches what produced it."""

    roboverify: str
    python: str
    platform: str
    pybullet: str
    numpy: str
    engine: list[EngineParameters]
    inputs: list[FileHash] = Field(description="The plan, every scenario spec, the conditions file.")
    skills: list[SkillInfo]
    code: list[CodeHash]
    seeds: list[EpisodeSeed] = Field(description="Every episode's seed, in plan order.")
    journal_sha256: str = Field(description="SHA-256 of journal.jsonl when the report was written.")


def sha256_of(path: Path) -> str:
    """SHA-256 of a file's bytes, as ``sha256sum`` prints it ("" if it cannot be read)."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as stream:
            for block in iter(lambda: stream.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return ""
    return digest.hexdigest()
