"""Checking a finished run's folder against its report: every hash the report records, again.

``report.json`` against ``report.sha256``, ``journal.jsonl`` against the provenance's journal
hash (and, when it changed, the first line whose integrity chain breaks), and the plan, every
scenario spec, the conditions file and every file of the skills' code against theirs. Each
check names the file it read and says ``ok``, ``changed`` or ``missing`` (a file of the skills'
code that is new since is ``added``).
"""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from harness.campaign.manifest import MANIFEST
from harness.campaign.provenance import file_hashes
from harness.errors import UsageError
from harness.execution.journal import JOURNAL, JournalError, chain_start, read_journal
from harness.report.model import Report
from harness.report.provenance import CodeHash, FileHash, Provenance, sha256_of
from harness.report.signature import read_report_bytes
from harness.report.write import REPORT, REPORT_SHA256


class Status(enum.StrEnum):
    OK = "ok"
    CHANGED = "changed"
    MISSING = "missing"
    ADDED = "added"
    FAILED = "failed"  # a signature that does not hold


@dataclass(frozen=True)
class Check:
    """One recomputed hash: what the file is to the run, where it is, and whether it matched."""

    item: str
    path: str
    status: Status
    note: str = ""

    @property
    def ok(self) -> bool:
        return self.status is Status.OK


def audit_folder(folder: Path) -> list[Check]:
    """Every check of the run in ``folder``; raises UsageError if it holds no such report."""
    content, provenance = read_checkable_report(folder)
    checks = [_report_hash(folder, content), _journal(folder, provenance)]
    checks += [_input(entry) for entry in provenance.inputs]
    for code in provenance.code:
        checks += _code(code)
    return checks


def read_checkable_report(folder: Path) -> tuple[bytes, Provenance]:
    """``folder/report.json``'s bytes and provenance; raises UsageError if it has none."""
    content = read_report_bytes(folder)
    return content, _provenance(folder / REPORT, content)


def _provenance(path: Path, content: bytes) -> Provenance:
    try:
        report = Report.model_validate_json(content)
    except ValidationError as error:
        raise UsageError(
            f"'{path}' is not a roboverify report ({error.error_count()} problem(s)); "
            "give the output folder of a finished 'roboverify verify' run"
        ) from None
    if report.provenance is None:
        raise UsageError(
            f"'{path}' records no provenance (a report of schema {report.schema_version}); "
            "run the plan again with this version of roboverify to get one that can be checked"
        )
    return report.provenance


def _report_hash(folder: Path, content: bytes) -> Check:
    sidecar = folder / REPORT_SHA256
    try:
        recorded = sidecar.read_text(encoding="utf-8").split()[0]
    except (OSError, UnicodeDecodeError, IndexError):
        return Check(f"{REPORT} (no readable {REPORT_SHA256})", str(sidecar), Status.MISSING)
    same = hashlib.sha256(content).hexdigest() == recorded
    return Check(REPORT, str(folder / REPORT), Status.OK if same else Status.CHANGED)


def _journal(folder: Path, provenance: Provenance) -> Check:
    """The journal's hash; when it changed, the first line whose integrity chain breaks."""
    check = _compare(JOURNAL, folder / JOURNAL, provenance.journal_sha256)
    if check.status is Status.CHANGED:
        try:
            start = chain_start((folder / MANIFEST).read_bytes())
            read_journal(folder / JOURNAL, start)
        except JournalError as error:
            return Check(JOURNAL, check.path, check.status, f"line {error.line} was edited or moved")
        except OSError:
            pass
    return check


def _input(entry: FileHash) -> Check:
    return _compare(entry.role, Path(entry.path), entry.sha256)


def _compare(item: str, path: Path, recorded: str) -> Check:
    if not path.is_file():
        return Check(item, str(path), Status.MISSING)
    return Check(item, str(path), Status.OK if sha256_of(path) == recorded else Status.CHANGED)


def _code(code: CodeHash) -> list[Check]:
    """One check per file of the package that differs; a single ``ok`` when none does."""
    now = file_hashes(code.paths)
    found = []
    for name in sorted({*code.files, *now}):
        before, after = code.files.get(name), now.get(name)
        if before != after:
            status = Status.ADDED if before is None else Status.MISSING if after is None else Status.CHANGED
            found.append(Check(f"code of {code.package}", _path_of(code.paths, name), status))
    item = f"code of {code.package} ({len(code.files)} file(s))"
    return found or [Check(item, ", ".join(code.paths), Status.OK)]


def _path_of(paths: list[str], name: str) -> str:
    """Where the file ``name`` of a package's ``files`` is: a module's own file, or in its folder."""
    for root in map(Path, paths):
        if root.name == name and not root.is_dir():
            return str(root)
    folders = [Path(p) for p in paths if Path(p).is_dir()]
    return str(folders[0] / name) if folders else name
