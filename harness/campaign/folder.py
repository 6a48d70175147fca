"""A run with an output folder: manifest, journal, resume, and the report at the end.

``Campaign.start`` refuses a folder that already holds a run; ``Campaign.resume`` continues one,
after checking that the plan, specs, code and overrides are still what they were. Either way
only missing episodes run, every finished one is journaled at once, and the report is built
from all of them, so a resumed run ends with the same report as an uninterrupted one.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from harness.atomic import write_atomically
from harness.campaign.manifest import MANIFEST, Manifest, build_manifest, differences
from harness.campaign.provenance import with_provenance
from harness.campaign.run import run_plan
from harness.errors import UsageError
from harness.execution.journal import JOURNAL, Journal, encode, read_journal
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
        out_dir.mkdir(parents=True, exist_ok=True)
        lock = _lock(out_dir)
        write_atomically(out_dir / JOURNAL, b"")
        write_atomically(out_dir / MANIFEST, manifest.model_dump_json(indent=2).encode())
        return cls(out_dir, resolved, given, lock=lock, conditions=conditions)

    @classmethod
    def resume(
        cls,
        out_dir: Path,
        resolved: ResolvedPlan,
        given: ConditionsByScenario | None = None,
        conditions: Path | None = None,
    ) -> Campaign:
        """Continue the run in ``out_dir`` if it is the same campaign; refuse otherwise."""
        stored = _stored_manifest(out_dir)
        lock = _lock(out_dir)
        changed = differences(stored, build_manifest(resolved, tool_version(), conditions))
        if changed:
            _unlock(lock)
            raise UsageError(
                f"cannot resume the run in '{out_dir}': changed since it started: {'; '.join(changed)}. "
                "Resume with the same plan, files, code and options, or start a new run with another --out"
            )
        contents = read_journal(out_dir / JOURNAL)
        campaign = cls(out_dir, resolved, given, dropped=contents.dropped, lock=lock, conditions=conditions)
        try:
            campaign.restored = campaign._check_restored(contents.results)
        except BaseException:
            campaign.close()
            raise
        # rewrite without unreadable lines, so that new lines never follow a torn one
        write_atomically(out_dir / JOURNAL, b"".join(encode(r) for r in campaign.restored))
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
        with Journal(self.out_dir / JOURNAL) as journal:

            def record(result: EpisodeResult) -> None:
                journal.append(result)
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
        path = write_report(report, self.out_dir)
        self.skipped = write_renderings(report, self.out_dir, formats).messages()
        return path

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


def _stored_manifest(out_dir: Path) -> Manifest:
    path = out_dir / MANIFEST
    if not path.is_file():
        raise UsageError(
            f"there is no run to resume in '{out_dir}' (no {MANIFEST}); start it without --resume"
        )
    try:
        return Manifest.model_validate_json(path.read_bytes())
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
