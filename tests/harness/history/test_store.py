"""The history file is never trusted blindly: foreign, damaged and newer files are refused with
the file and the fix (exit 2, the report still written), and older ones are migrated forward."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from harness.cli import main
from harness.history.record import RunKey, RunRecord, ScenarioMetrics
from harness.history.rows import insert_run
from harness.history.schema import APPLICATION_ID, LATEST
from harness.history.store import HistoryError, HistoryStore, migrate
from tests.harness.history.releases import install, verify_args, write_plan


def _foreign(path: Path) -> None:
    with closing(sqlite3.connect(path, isolation_level=None)) as connection:
        connection.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")


def _newer(path: Path) -> None:
    HistoryStore.open(path).close()
    with closing(sqlite3.connect(path, isolation_level=None)) as connection:
        connection.execute(f"PRAGMA user_version = {LATEST + 1}")


def _damaged(path: Path) -> None:
    """A real history whose pages after the header are overwritten with noise."""
    with HistoryStore.open(path) as store:
        store.record([_record("1.0.0")] * 50)
        store.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    data[4096:] = bytes((i * 37) % 251 for i in range(len(data) - 4096))
    path.write_bytes(bytes(data))


def _not_sqlite(path: Path) -> None:
    path.write_text("version,verdict\n1.0.0,pass\n", encoding="utf-8")


BAD_FILES = {
    "not SQLite": (_not_sqlite, "not a roboverify history (not an SQLite database)"),
    "foreign": (_foreign, "is an SQLite database but not a roboverify history (it holds invoices)"),
    "newer": (_newer, f"was written by a newer roboverify (history schema {LATEST + 1}"),
    "damaged": (_damaged, "is damaged"),
}


def _verify_with_bad_history(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> str:
    """Run a plan against a history file of this bad kind; returns stderr, checked for the
    message, the file and no traceback, and checks that the file is left as it was."""
    make, message = BAD_FILES[kind]
    history = tmp_path / "history.sqlite3"
    make(history)
    before = history.read_bytes()
    install(tmp_path, monkeypatch, "1.0.0", 0.0)
    assert main(verify_args(write_plan(tmp_path, episodes=3), tmp_path / "run", history)) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert message in err and str(history) in err and "Traceback" not in err
    assert history.read_bytes() == before, "a file that is not a usable history is left as it was"
    return err


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_a_bad_history_is_refused_before_any_episode_runs(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _verify_with_bad_history(kind, tmp_path, monkeypatch, capsys)
    assert not (tmp_path / "run").exists(), "refused before the run started"


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_a_history_that_goes_bad_during_the_run_fails_the_command_but_keeps_the_report(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("harness.cli.verify.check_history", lambda args: None)  # it was fine at the start
    err = _verify_with_bad_history(kind, tmp_path, monkeypatch, capsys)
    assert "the run is NOT recorded in the history" in err and "--history" in err
    assert (tmp_path / "run" / "report.json").is_file() and (tmp_path / "run" / "report.html").is_file()


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_the_history_command_refuses_a_bad_file(
    kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make, message = BAD_FILES[kind]
    history = tmp_path / "history.sqlite3"
    make(history)
    assert main(["history", "reach", "--history", str(history)]) == 2
    assert message in " ".join(capsys.readouterr().err.split())


def test_a_missing_history_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["history", "reach", "--history", str(tmp_path / "none.sqlite3")]) == 2
    assert "there is no history at" in capsys.readouterr().err


def _record(version: str) -> RunRecord:
    metrics = ScenarioMetrics("testing/reach-v1", 10, 9, 0.9, 0.6, 0.98, None, 0, None)
    return RunRecord(
        key=RunKey("reach", "p" * 64, "c" * 64), version=version, skill_cls="m:Reach", manifest_sha256="",
        plan_name="plan", seed=0, tool_version="0.1.0", created_utc="2026-01-01T00:00:00+00:00",
        verdict="pass", verdict_reason="passed", report_path="/r/report.json", report_sha256="",
        journal_sha256="", margin=0.05, confidence=0.95, dimensions=(), gates=(), metrics=(metrics,),
    )  # fmt: skip


def test_an_older_history_is_migrated_forward_keeping_its_runs(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    connection = sqlite3.connect(path, isolation_level=None)
    migrate(connection, target=1)  # as the first release of the history wrote it
    connection.execute("BEGIN")
    insert_run(connection, _record("0.9.0"))
    connection.execute("COMMIT")
    connection.close()
    with HistoryStore.open(path) as store:
        version = store.connection.execute("PRAGMA user_version").fetchone()[0]
        application = store.connection.execute("PRAGMA application_id").fetchone()[0]
        indexes = {
            r[0] for r in store.connection.execute("SELECT name FROM sqlite_master WHERE type='index'")
        }
        assert [r.version for r in store.runs("reach")] == ["0.9.0"]
    assert (version, application) == (LATEST, APPLICATION_ID) and "runs_by_key" in indexes


def test_a_new_history_is_in_wal_mode_and_writes_a_run_in_one_transaction(tmp_path: Path) -> None:
    with HistoryStore.open(tmp_path / "history.sqlite3") as store:
        assert store.connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        ids = store.record([_record("1.0.0"), _record("1.1.0")])
        assert len(ids) == 2 and [r.version for r in store.runs("reach")] == ["1.0.0", "1.1.0"]


def test_a_history_that_cannot_be_opened_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    assert main(["history", "reach", "--history", str(tmp_path)]) == 2  # a folder
    assert "there is no history at" in capsys.readouterr().err
    with pytest.raises(HistoryError, match="cannot read the history"):
        HistoryStore.open(tmp_path)
    with pytest.raises(HistoryError, match=r"cannot (read|make the folder of) the history"):
        HistoryStore.open(blocker / "sub" / "history.sqlite3")
