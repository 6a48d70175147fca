"""`verify --against-last-release`: compared with the latest passing run of an earlier version on
the same plan and episodes; a regression fails the run, a missing release is a usage error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.cli import main
from harness.history.store import HistoryStore
from tests.harness.history.releases import install, verify_args, write_plan


def _release(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    version: str,
    rate: float,
    *extra: str,
    margin: float = 0.05,
) -> int:
    install(tmp_path, monkeypatch, version, rate)
    plan = write_plan(tmp_path, episodes=30, gate=0.2, comparison={"margin": margin})
    return main(verify_args(plan, tmp_path / f"run-{version}", tmp_path / "history.sqlite3", *extra))


def _report(tmp_path: Path, version: str) -> dict[str, object]:
    return json.loads((tmp_path / f"run-{version}" / "report.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_an_equal_release_passes_with_the_comparison_in_its_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 30 equal paired episodes show non-inferiority within 0.15 (not within the default 0.05)
    assert _release(tmp_path, monkeypatch, "1.0.0", 0.0, margin=0.15) == 0
    assert _release(tmp_path, monkeypatch, "1.1.0", 0.0, "--against-last-release", margin=0.15) == 0
    report = _report(tmp_path, "1.1.0")
    comparisons = report["comparisons"]
    assert isinstance(comparisons, list) and comparisons[0]["verdict"] == "non_inferior"
    assert comparisons[0]["paired"] and "release 1.0.0 of 'reach'" in str(report["baseline"])


def test_a_regression_fails_the_run_and_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _release(tmp_path, monkeypatch, "1.0.0", 0.0) == 0
    assert _release(tmp_path, monkeypatch, "1.1.0", 0.4, "--against-last-release") == 1
    report = _report(tmp_path, "1.1.0")
    assert report["verdict"] == "fail" and "against the baseline" in str(report["verdict_reason"])
    assert [g["verdict"] for g in report["gates"]] == ["pass"], "the gate alone would have passed"  # type: ignore[attr-defined]
    assert "regressed" in capsys.readouterr().out
    with HistoryStore.open(tmp_path / "history.sqlite3", create=False) as store:
        assert [r.verdict for r in store.runs("reach")] == ["pass", "fail"], "the failed run is recorded too"


def test_only_a_passing_earlier_version_counts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _release(tmp_path, monkeypatch, "1.0.0", 0.95) == 1  # its gate fails: not a release to match
    assert _release(tmp_path, monkeypatch, "1.1.0", 0.0, "--against-last-release") == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "records no passing run of skill 'reach' at a version below 1.1.0" in err
    assert "leave out --against-last-release for a first release" in err
    assert not (tmp_path / "run-1.1.0").exists(), "nothing ran"


def test_against_last_release_needs_the_history(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = write_plan(tmp_path, episodes=3)
    args = verify_args(
        plan, tmp_path / "run", tmp_path / "h.sqlite3", "--against-last-release", "--no-history"
    )
    assert main(args) == 2
    assert "drop --no-history" in capsys.readouterr().err
