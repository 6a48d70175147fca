"""A run with an output folder: manifest, journal, resume, and the report at the end.

``Campaign.start`` refuses a folder that already holds a run; ``Campaign.resume`` continues one,
after checking that the plan, specs, code and overrides are still what they were. Either way
only missing episodes run, every finished one is journaled at once, and the report is built
from all of them, so a resumed run ends with the same report as an uninterrupted one.

A folder that cannot be written (a full disk, read-only, no permission) gives an
:class:`~harness.errors.OutputError`: before the first episode when it is so from the start,
else with every episode journaled so far kept, for ``--resume`` once the cause is fixed.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from harness.atomic import write_atomically
from harness.campaign.manifest import MANIFEST, Manifest, build_manifest, differences
from harness.campaign.provenance import with_provenance
from harness.campaign.run import run_plan
from harness.errors import OutputError, UsageError
from harness.execution.journal import JOURNAL, Journal, chain_start, read_journal
from harness.execution.runner import Backend, ResultHook
from harness.plan.conditions import ConditionsByScenario
from harness.plan.jobs import EpisodeJob, plan_jobs
from harness.plan.resolve import ResolvedPlan
from harness.report.model import Report, tool_version
from harness.report.renderings import RUN_FORMATS, write_renderings
from harness.report.write import write_report
from harness.results import EpisodeResult


@dataclass
class Campaign:
    out_dir: Path
    resolved: ResolvedPlan
    given: ConditionsByScenario | None
    restored: list[EpisodeResult] = field(default_factory=list)
    dropped: int = 0  # journal lines that could not be read (a torn last line): those run again
    journaled: int = 0  # episodes this invocation added to the journal
    lock: int | None = None  # descriptor of the output folder, locked while the run lasts
    conditions: Path | None = None  # the conditions file the episodes came from, if any
    skipped: list[str] = field(default_factory=list)  # renderings not written, and why
    chain: str = ""  # the journal's integrity chain after its last line (see harness.execution.journal)
    plan_argument: str = "PLAN "  # how the plan and its options are given, for the resume command

    @classmethod
    def start(
        cls,
        out_dir: Path,
        resolved: ResolvedPlan,
        given: ConditionsByScenario | None = None,
        conditions: Path | None = None,
    ) -> Campaign:
        """A new run in ``out_dir``, which must not hold one already."""
        existing = [name for name in (MANIFEST, JOURNAL) if (out_dir / name).exists()]
        if existing:
            raise UsageError(
                f"'{out_dir}' already holds a run ({', '.join(existing)}); continue it with --resume, "
                "or choose another --out"
            )
        manifest = build_manifest(resolved, tool_version(), conditions)
        manifest = manifest.model_copy(update={"run_id": secrets.token_hex(16)})
        content = manifest.model_dump_json(indent=2).encode()
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise _not_started(out_dir, error) from None
        lock = _lock(out_dir)
        try:
            _check_writable(out_dir)
            write_atomically(out_dir / JOURNAL, b"")
            write_atomically(out_dir / MANIFEST, content)
        except OSError as error:
            for name in (MANIFEST, JOURNAL):
                with contextlib.suppress(OSError):
                    (out_dir / name).unlink(missing_ok=True)
            _unlock(lock)
            raise _not_started(out_dir, error) from None
        chain = chain_start(content)
        return cls(out_dir, resolved, given, lock=lock, conditions=conditions, chain=chain)

    @classmethod
    def resume(
        cls,
        out_dir: Path,
        resolved: ResolvedPlan,
        given: ConditionsByScenario | None = None,
        conditions: Path | None = None,
    ) -> Campaign:
        """Continue the run in ``out_dir`` if it is the same campaign; refuse otherwise."""
        stored, content = _stored_manifest(out_dir)
        lock = _lock(out_dir)
        changed = differences(stored, build_manifest(resolved, tool_version(), conditions))
        if changed:
            _unlock(lock)
            raise UsageError(
                f"cannot resume the run in '{out_dir}': changed since it started: {'; '.join(changed)}. "
                "Resume with the same plan, files, code and options, or start a new run with another --out"
            )
        start = chain_start(content)
        campaign = cls(out_dir, resolved, given, lock=lock, conditions=conditions, chain=start)
        try:
            contents = read_journal(out_dir / JOURNAL, start)
            campaign.dropped = contents.dropped
            campaign.restored = campaign._check_restored(contents.results)
            if contents.dropped:  # rewrite without the torn line, so that new lines never follow it
                write_atomically(out_dir / JOURNAL, contents.whole)
            _check_writable(out_dir)
        except OSError as error:
            campaign.close()
            raise campaign._unwritable(error, "while resuming") from None
        except BaseException:
            campaign.close()
            raise
        campaign.chain = contents.chain
        return campaign

    def close(self) -> None:
        """Let another process use the folder."""
        _unlock(self.lock)
        self.lock = None

    def __enter__(self) -> Campaign:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def total(self) -> int:
        return len(self.jobs())

    def jobs(self) -> list[EpisodeJob]:
        return plan_jobs(self.resolved, self.given)

    @property
    def finished(self) -> int:
        """Episodes in the journal now."""
        return len(self.restored) + self.journaled

    def run(self, backend: Backend, on_result: ResultHook | None = None) -> Report:
        """Run the missing episodes, journaling each one as it finishes; return the report."""
        try:
            journal = Journal(self.out_dir / JOURNAL, self.chain)
        except OSError as error:
            raise self._unwritable(error, "while opening the journal") from None
        with journal:

            def record(result: EpisodeResult) -> None:
                try:
                    journal.append(result)
                except OSError as error:
                    raise self._unwritable(error, "while journaling an episode") from None
                self.chain = journal.chain
                self.journaled += 1
                if on_result is not None:
                    on_result(result)

            return run_plan(self.resolved, record, self.given, backend=backend, done=self.restored)

    def write(self, report: Report, formats: Sequence[str] = RUN_FORMATS) -> Path:
        """Write ``report.json`` with its provenance (the journal hashed as it is now), atomically
        and durably, its content hash ``report.sha256``, then its renderings next to it
        (by default ``report.md``, ``junit.xml``, ``report.html`` and, with WeasyPrint,
        ``report.pdf``); returns the path of ``report.json``."""
        report = with_provenance(report, self.resolved, self.conditions, self.out_dir / JOURNAL)
        try:
            path = write_report(report, self.out_dir)
            self.skipped = write_renderings(report, self.out_dir, formats).messages()
        except OSError as error:
            raise self._unwritable(error, "while writing the report") from None
        return path

    def _unwritable(self, error: OSError, when: str) -> OutputError:
        """The error for a folder that stopped taking writes: what happened, what is safe, the fix."""
        return OutputError(
            f"cannot write to '{self.out_dir}' {when}: {_reason(error)}. {self.finished} of "
            f"{self.total} episodes are safely journaled in {self.out_dir / JOURNAL}. {_fix(error)} "
            "(or copy the folder somewhere with room and give that as --out), then continue with: "
            f"roboverify verify {self.plan_argument}--out {self.out_dir} --resume",
            folder=str(self.out_dir),
            saved=self.finished,
            resumable=True,
        )

    def _check_restored(self, results: list[EpisodeResult]) -> list[EpisodeResult]:
        planned = {(job.scenario, job.index): job for job in self.jobs()}
        kept: dict[tuple[str, int], EpisodeResult] = {}
        for result in results:
            job = planned.get((result.scenario, result.index))
            if job is None or job.seed != result.seed:
                raise UsageError(
                    f"'{self.out_dir / JOURNAL}' holds episode {result.index} of '{result.scenario}' "
                    f"(seed {result.seed}), which this plan does not run; it belongs to another run"
                )
            kept[(result.scenario, result.index)] = result
        return list(kept.values())


def _not_started(out_dir: Path, error: OSError) -> OutputError:
    return OutputError(
        f"cannot write to '{out_dir}': {_reason(error)}; no episode has run. {_fix(error)}, "
        "or choose another --out",
        folder=str(out_dir),
    )


def _reason(error: OSError) -> str:
    name = errno.errorcode.get(error.errno or 0)
    return f"{error.strerror or error} ({name})" if name else str(error)


def _fix(error: OSError) -> str:
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return "Free space on its disk"
    if error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return "Make the folder writable"
    return "Fix the cause"


def _check_writable(out_dir: Path) -> None:
    """Write, fsync and remove a small file in ``out_dir``: a read-only folder or a full disk is
    found before any episode runs. Raises the :class:`OSError`."""
    probe = out_dir / f".roboverify-probe-{os.getpid()}"
    descriptor = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(descriptor, bytes(4096))
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
        with contextlib.suppress(OSError):
            probe.unlink()


def _stored_manifest(out_dir: Path) -> tuple[Manifest, bytes]:
    path = out_dir / MANIFEST
    if not path.is_file():
        raise UsageError(
            f"there is no run to resume in '{out_dir}' (no {MANIFEST}); start it without --resume"
        )
    try:
        content = path.read_bytes()
        return Manifest.model_validate_json(content), content
    except ValueError as error:
        raise UsageError(f"'{path}' is not a roboverify manifest ({error}); start a new run") from error


def _lock(out_dir: Path) -> int | None:
    """An exclusive lock on the folder itself (no lock file to leave behind): two runs must not
    append to one journal. Where folders cannot be locked (not POSIX), runs are not guarded."""
    try:
        import fcntl
    except ImportError:
        return None
    try:
        descriptor = os.open(out_dir, os.O_RDONLY)
    except OSError:
        return None
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(descriptor)
        raise UsageError(f"another roboverify run is using '{out_dir}'; wait for it to end") from None
    return descriptor


def _unlock(descriptor: int | None) -> None:
    if descriptor is not None:
        with contextlib.suppress(OSError):
            os.close(descriptor)  # closing the descriptor releases the lock
