"""Running a plan once per pytest run, however many items, tests or xdist workers ask.

Each run is keyed by its plan file's path and contents and the run's overrides; the first
process to ask runs it under a file lock in the pytest run's shared temporary folder (or in
``--roboverify-out``), the others wait and read its ``report.json``. So a plan's gates, split
across xdist workers, still share one set of episodes, and no episode runs twice.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock

from harness.campaign.folder import Campaign
from harness.campaign.follow_ups import with_follow_ups
from harness.errors import UsageError
from harness.execution.backends import make_backend
from harness.plan.jobs import with_overrides
from harness.plan.resolve import ResolvedPlan, load_plan
from harness.pytest_plugin.settings import Settings
from harness.report.model import Report
from harness.report.renderings import RUN_FORMATS
from harness.report.reproduce import failed_episodes, reproduce_command
from harness.report.write import REPORT
from harness.results import EpisodeResult
from harness.verdicts.summaries import ScenarioSummary

RUN_MARKER = ".roboverify-pytest-run"  # names the pytest run that wrote a run folder
QUICK_FORMATS = ("md", "junit")  # without --roboverify-out: no HTML, so a run stays quick


@dataclass(frozen=True)
class VerificationRun:
    """A finished run: its report, its folder, and its episodes in plan order."""

    report: Report
    out_dir: Path
    rerun_test: str = ""  # the pytest command that runs the test again, for a fixture's run

    @property
    def results(self) -> list[EpisodeResult]:
        return self.report.episodes

    @property
    def summary(self) -> ScenarioSummary:
        """The first scenario's summary (the only one, for a ``roboverify_run`` run)."""
        return self.report.scenarios[0]

    def failed(self) -> list[EpisodeResult]:
        return failed_episodes(self.report)

    def reproduce(self, episode: EpisodeResult) -> str:
        """The one-line command that runs ``episode`` again, on its own."""
        return reproduce_command(self.report, episode)

    def __iter__(self) -> Iterator[EpisodeResult]:
        return iter(self.results)

    def __len__(self) -> int:
        return len(self.results)


def run_plan_file(
    plan_path: Path, label: str, settings: Settings, shared: Path, rerun_test: str = ""
) -> VerificationRun:
    """The run of ``plan_path`` with the run's overrides, made once per pytest run."""
    resolved = with_overrides(load_plan(plan_path), settings.episodes, settings.seed)
    key = _key(plan_path, settings)
    folder = settings.out / label if settings.out is not None else shared / f"{label}-{key}"
    shared.mkdir(parents=True, exist_ok=True)
    with FileLock(str(shared / f"{label}-{key}.lock")):
        if _written_in_this_run(folder, settings.test_run):
            return VerificationRun(_read(folder), folder, rerun_test)
        _clear_earlier_run(folder, ours=settings.out is None)
        folder.mkdir(parents=True)
        (folder / RUN_MARKER).write_text(settings.test_run, encoding="utf-8")  # before: a crash leaves it
        report = _run(resolved, folder, settings)
    return VerificationRun(report, folder, rerun_test)


def _key(plan_path: Path, settings: Settings) -> str:
    """Names a run by what decides its episodes: the plan file and the run's overrides."""
    digest = hashlib.sha256(str(plan_path.resolve()).encode())
    digest.update(plan_path.read_bytes())
    digest.update(f"|{settings.episodes}|{settings.seed}".encode())
    return digest.hexdigest()[:12]


def _written_in_this_run(folder: Path, test_run: str) -> bool:
    marker = folder / RUN_MARKER
    return marker.is_file() and marker.read_text(encoding="utf-8") == test_run and (folder / REPORT).is_file()


def _clear_earlier_run(folder: Path, ours: bool) -> None:
    """Replace a run this plugin wrote by an earlier pytest run (or one cut short); in a folder the
    user chose, never one it did not write."""
    if not folder.exists():
        return
    if not ours and not (folder / RUN_MARKER).is_file():
        raise UsageError(
            f"'{folder}' exists and was not written by roboverify's pytest plugin; "
            "choose another --roboverify-out, or move that folder away"
        )
    shutil.rmtree(folder)


def _run(resolved: ResolvedPlan, folder: Path, settings: Settings) -> Report:
    jobs = settings.jobs
    backend = make_backend("inprocess" if jobs == 0 else "local", jobs or None, log=folder / "workers.log")
    with Campaign.start(folder, resolved) as campaign:
        report = with_follow_ups(campaign.run(backend), campaign.resolved, backend)
        campaign.write(report, RUN_FORMATS if settings.out is not None else QUICK_FORMATS)
    return _read(folder)  # with its provenance


def _read(folder: Path) -> Report:
    return Report.model_validate_json((folder / REPORT).read_bytes())
