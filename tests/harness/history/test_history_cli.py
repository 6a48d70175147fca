"""`roboverify verify` records every run; `roboverify history` shows a skill across versions.

The reach skill is released three times on one plan: 1.0.0 never fails, 1.1.0 fails a quarter
of its episodes (a regression the paired comparison must flag), 1.2.0 never fails again.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.console import Console

from harness.cli import main
from harness.cli.history import tables
from harness.history.store import HistoryStore
from harness.history.trends import steps
from tests.harness.history.releases import install, verify_args, write_plan

RELEASES = (("1.0.0", 0.0), ("1.1.0", 0.4), ("1.2.0", 0.0))


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A history with the three releases run on the same plan (once for the module)."""
    folder = tmp_path_factory.mktemp("releases")
    plan, history = write_plan(folder, gate=0.2), folder / "history.sqlite3"
    with pytest.MonkeyPatch.context() as monkeypatch:
        for version, rate in RELEASES:
            install(folder, monkeypatch, version, rate)
            assert main(verify_args(plan, folder / f"run-{version}", history)) == 0
        yield history


def test_each_release_is_recorded_with_its_metrics_and_episodes(recorded: Path) -> None:
    with HistoryStore.open(recorded, create=False) as store:
        runs = store.runs("reach")
        assert [r.version for r in runs] == ["1.0.0", "1.1.0", "1.2.0"]
        assert len({r.key for r in runs}) == 1, "one plan, one set of episodes"
        assert [r.metrics[0].successes for r in runs] == [30, runs[1].metrics[0].successes, 30]
        assert runs[1].metrics[0].successes < 24
        assert runs[0].gates[0].verdict == "pass" and runs[0].dimensions
        episodes = store.episodes(runs[1].id or 0)
    assert len(episodes) == 30 and {e.outcome for e in episodes} == {"success", "skill_error"}


def test_the_regression_is_flagged_and_the_recovery_is_not(recorded: Path) -> None:
    with HistoryStore.open(recorded, create=False) as store:
        found = steps(store.runs("reach"), store.episodes)
    assert [s.regression for s in found] == ["-", "regression", "no regression"]
    assert found[1].comparisons[0].paired and found[1].comparisons[0].episodes == 30


def test_the_table_fits_80_columns(recorded: Path) -> None:
    with HistoryStore.open(recorded, create=False) as store:
        found = steps(store.runs("reach"), store.episodes)
    console = Console(width=80, record=True, file=io.StringIO())
    for table in tables("reach", found):
        console.print(table)
    text = console.export_text()
    assert max(map(len, text.splitlines())) <= 80
    assert "1.1.0" in text and "regression" in text and "no regression" in text


def test_the_history_survives_into_another_process(recorded: Path, tmp_path: Path) -> None:
    command = [sys.executable, "-m", "harness.cli", "history", "reach", "--history", str(recorded)]
    done = subprocess.run([*command, "--format", "json"], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    runs = json.loads(done.stdout)
    assert [r["version"] for r in runs] == ["1.0.0", "1.1.0", "1.2.0"]
    assert runs[1]["regression"] == "regression" and runs[1]["comparisons"][0]["verdict"] == "regressed"


def test_csv_export_has_a_row_per_run_and_scenario(
    recorded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["history", "reach", "--history", str(recorded), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["version"], r["scenario"], r["regression"]) for r in rows] == [
        ("1.0.0", "testing/reach-v1", "-"),
        ("1.1.0", "testing/reach-v1", "regression"),
        ("1.2.0", "testing/reach-v1", "no regression"),
    ]
    assert rows[0]["success_rate"] == "1.0" and Path(rows[0]["report_path"]).is_file()


def test_the_html_page_shows_the_trends_and_links_every_report(recorded: Path, tmp_path: Path) -> None:
    out = tmp_path / "page"
    assert main(["history", "reach", "--history", str(recorded), "--html", str(out)]) == 0
    page = (out / "index.html").read_text(encoding="utf-8")
    assert page.count("<svg") >= 2 and "Success rate" in page and "regression" in page
    links = re.findall(r'<a href="([^"#]+)">report</a>', page)
    assert len(links) == 3
    assert all((out / link).resolve().name == "report.html" and (out / link).is_file() for link in links)


def test_an_unknown_skill_names_the_recorded_ones(recorded: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["history", "reech", "--history", str(recorded)]) == 2
    assert "records no run of skill 'reech'" in capsys.readouterr().err


def test_no_history_records_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plan, history = write_plan(tmp_path, episodes=4), tmp_path / "history.sqlite3"
    install(tmp_path, monkeypatch, "1.0.0", 0.0)
    assert main([*verify_args(plan, tmp_path / "run", history), "--no-history"]) == 0
    assert not history.exists()


def test_the_environment_moves_the_default_history(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plan, history = write_plan(tmp_path, episodes=4), tmp_path / "elsewhere.sqlite3"
    install(tmp_path, monkeypatch, "1.0.0", 0.0)
    monkeypatch.setenv("ROBOVERIFY_HISTORY", str(history))
    args = verify_args(plan, tmp_path / "run", history)
    assert main(args[: args.index("--history")] + args[args.index("--history") + 2 :]) == 0
    with HistoryStore.open(history, create=False) as store:
        assert [r.version for r in store.runs("reach")] == ["1.0.0"]


def test_two_runs_recording_at_once_both_land(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plan, history = write_plan(tmp_path, episodes=10), tmp_path / "history.sqlite3"
    site = install(tmp_path, monkeypatch, "1.0.0", 0.0)
    env = {**os.environ, "PYTHONPATH": str(site)}
    command = [sys.executable, "-m", "harness.cli"]
    runs = [
        subprocess.Popen([*command, *verify_args(plan, tmp_path / f"run-{i}", history)], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for i in range(2)
    ]  # fmt: skip
    for run in runs:
        _, err = run.communicate(timeout=120)
        assert run.returncode == 0, err
    with HistoryStore.open(history, create=False) as store:
        reports = sorted(Path(r.report_path).parent.name for r in store.runs("reach"))
    assert reports == ["run-0", "run-1"]


def test_a_plan_with_two_skills_records_one_run_for_each(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_plan(tmp_path)  # writes reach.yaml
    spec = (
        (tmp_path / "reach.yaml").read_text(encoding="utf-8").replace("testing/reach-v1", "testing/other-v1")
    )
    (tmp_path / "other.yaml").write_text(spec, encoding="utf-8")
    other = {"spec": "other.yaml", "skill": "harness.testing.hostile:HostileSkill"}
    plan = write_plan(tmp_path, episodes=4, scenarios=["reach.yaml", other])
    install(tmp_path, monkeypatch, "1.0.0", 0.0)
    history = tmp_path / "history.sqlite3"
    assert main(verify_args(plan, tmp_path / "run", history)) == 0
    with HistoryStore.open(history, create=False) as store:
        assert store.skills() == ["HostileSkill", "reach"]
        (reach,), (hostile,) = store.runs("reach"), store.runs("HostileSkill")
        assert [m.scenario for m in reach.metrics] == ["testing/reach-v1"]
        assert {e.scenario for e in store.episodes(hostile.id or 0)} == {"testing/other-v1"}
        assert reach.key.conditions_sha256 != hostile.key.conditions_sha256
