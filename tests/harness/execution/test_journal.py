"""Journal and manifest: durable lines that read back exactly, torn lines dropped, and resume
refused when anything the results depend on has changed."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import pytest

from harness.campaign.folder import Campaign
from harness.campaign.manifest import MANIFEST, Manifest
from harness.errors import UsageError
from harness.execution.journal import (
    JOURNAL,
    Journal,
    JournalContents,
    chain_start,
    encode_line,
    read_journal,
)
from harness.execution.runner import InProcessBackend
from harness.plan.resolve import load_plan
from harness.results import CriterionResult, EpisodeResult, Outcome, Timing, Verdict
from tests.harness.cli.helpers import run_files

PlanWriter = Callable[..., Path]
START = chain_start(b"{}")  # the chain of a journal whose manifest is '{}'


def result(index: int, **timing: float) -> EpisodeResult:
    return EpisodeResult(
        scenario="testing/reach-v1",
        index=index,
        seed=index,
        outcome=Outcome.SUCCESS,
        ended_by="task_succeeded",
        conditions={"target_x": 0.3, "far": math.inf},
        criteria=[CriterionResult(name="c", verdict=Verdict.PASS, margin=-math.inf, measured=math.nan)],
        timing=Timing(**{"sim_s": 0.5, "ticks": 5, "physics_steps": 50, "wall_s": 0.01, **timing}),
    )


def test_lines_read_back_exactly_infinities_and_nan_included(tmp_path: Path) -> None:
    path = tmp_path / JOURNAL
    written = [result(0), result(1, sim_s=math.inf)]
    with Journal(path, START) as journal:
        for item in written:
            journal.append(item)
    contents = read_journal(path, START)
    assert contents.dropped == 0
    assert [r.model_dump_json() for r in contents.results] == [r.model_dump_json() for r in written]
    assert math.isnan(contents.results[0].criteria[0].measured or 0.0)
    assert path.read_bytes().count(b"\n") == 2, "one line per episode"


def test_a_torn_last_line_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / JOURNAL
    first, chain = encode_line(result(0), START)
    path.write_bytes(first + encode_line(result(1), chain)[0][:40])
    contents = read_journal(path, START)
    assert [r.index for r in contents.results] == [0]
    assert contents.dropped == 1


def run_campaign(plan: Path, out: Path, resume: bool = False) -> Campaign:
    opened = Campaign.resume if resume else Campaign.start
    with opened(out, load_plan(plan)) as campaign:
        campaign.write(campaign.run(InProcessBackend()))
    return campaign


def test_one_folder_serves_one_run_at_a_time(reach_plan: PlanWriter, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_campaign(reach_plan(), out)
    busy = r"another roboverify run is using .*; wait for it to end"
    with Campaign.resume(out, load_plan(reach_plan())), pytest.raises(UsageError, match=busy):
        Campaign.resume(out, load_plan(reach_plan()))
    Campaign.resume(out, load_plan(reach_plan())).close()  # free again


def test_a_new_run_writes_manifest_journal_and_report(reach_plan: PlanWriter, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_campaign(reach_plan(), out)
    assert sorted(p.name for p in out.iterdir()) == run_files()
    manifest = Manifest.model_validate_json((out / MANIFEST).read_bytes())
    assert manifest.episodes == {"testing/reach-v1": 6}
    assert set(manifest.code) == {"criteria", "harness.testing.hostile", "harness.testing"}
    assert len(journal_of(out).results) == 6


def journal_of(out: Path) -> JournalContents:
    return read_journal(out / JOURNAL, chain_start((out / MANIFEST).read_bytes()))


def test_a_folder_with_a_run_is_not_overwritten(reach_plan: PlanWriter, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_campaign(reach_plan(), out)
    with pytest.raises(UsageError, match=r"already holds a run .*continue it with --resume"):
        run_campaign(reach_plan(), out)


def test_resume_runs_only_missing_episodes_and_ends_with_the_same_report(
    reach_plan: PlanWriter, tmp_path: Path
) -> None:
    plan = reach_plan({"behaviour": "raise", "rate": 0.5})
    full = run_campaign(plan, tmp_path / "full")
    out = tmp_path / "cut"
    run_campaign(plan, out)
    lines = (out / JOURNAL).read_bytes().splitlines(keepends=True)
    (out / JOURNAL).write_bytes(b"".join(lines[:2]) + lines[2][:30])  # a power cut mid-line
    (out / "report.json").unlink()
    resumed = run_campaign(plan, out, resume=True)
    assert (len(resumed.restored), resumed.dropped, resumed.journaled) == (2, 1, 4)
    assert _same_report(full.out_dir, out)
    assert len(journal_of(out).results) == 6
    assert not [p for p in out.iterdir() if p.name.startswith(".")], "no temporary files left"


def _same_report(a: Path, b: Path) -> bool:
    import json

    first, second = (json.loads((d / "report.json").read_text()) for d in (a, b))
    for report in (first, second):
        for key in ("created_utc", "wall_s"):
            report.pop(key)
        report["provenance"].pop("journal_sha256")  # the journal holds wall-clock times
        for episode in report["episodes"]:
            episode["timing"].pop("wall_s")
    return bool(first == second)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda plan, spec: plan.write_text(plan.read_text().replace("seed: 0", "seed: 1")), "plan file"),
        (
            lambda plan, spec: spec.write_text(
                spec.read_text().replace("time_budget_s: 5", "time_budget_s: 6")
            ),
            "scenario spec testing/reach-v1",
        ),
    ],
    ids=["plan", "spec"],
)
def test_resume_is_refused_when_the_campaign_changed(
    reach_plan: PlanWriter, tmp_path: Path, change: Callable[[Path, Path], None], message: str
) -> None:
    plan = reach_plan(seed=0)
    out = tmp_path / "out"
    run_campaign(plan, out)
    change(plan, tmp_path / "reach.yaml")
    expected = rf"cannot resume the run in .*changed since it started: .*{message}"
    with pytest.raises(UsageError, match=expected):
        run_campaign(plan, out, resume=True)


def test_resume_is_refused_for_other_overrides(reach_plan: PlanWriter, tmp_path: Path) -> None:
    from harness.plan.jobs import with_overrides

    plan = reach_plan()
    out = tmp_path / "out"
    run_campaign(plan, out)
    with pytest.raises(UsageError, match=r"episodes per scenario \(--episodes\)"):
        Campaign.resume(out, with_overrides(load_plan(plan), 9, None))


def test_resume_needs_a_run_to_resume(reach_plan: PlanWriter, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"there is no run to resume in .* start it without --resume"):
        Campaign.resume(tmp_path / "nothing", load_plan(reach_plan()))


def test_a_journal_of_another_run_is_refused(reach_plan: PlanWriter, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_campaign(reach_plan(), out)
    chain = journal_of(out).chain
    with open(out / JOURNAL, "ab") as journal:
        journal.write(encode_line(result(99), chain)[0])  # a line that chains, of an episode not planned
    with pytest.raises(UsageError, match=r"holds episode 99 .* belongs to another run"):
        Campaign.resume(out, load_plan(reach_plan()))
