"""The history file: opening it safely, migrating it forward, and writing each run in one go.

Several runs may record at once (parallel CI jobs on one machine): the file is in WAL mode,
every connection waits up to :data:`BUSY_TIMEOUT_S` for a lock, and a transaction that still
finds the database locked is retried with backoff. A file that is not a roboverify history,
is damaged, or comes from a newer roboverify is refused with a :class:`HistoryError` that
names the file and the fix; nothing is ever overwritten to make room.
"""

from __future__ import annotations

import os
import random
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from harness.errors import RoboverifyError
from harness.history import rows
from harness.history.record import EpisodeOutcome, RunKey, RunRecord
from harness.history.schema import APPLICATION_ID, LATEST, MIGRATIONS

ENVIRONMENT = "ROBOVERIFY_HISTORY"
BUSY_TIMEOUT_S = 30.0
ATTEMPTS = 8
SQLITE_MAGIC = b"SQLite format 3\x00"
FIX = "point --history (or ROBOVERIFY_HISTORY) at another file"
T = TypeVar("T")


class HistoryError(RoboverifyError):
    """The history file cannot be used: not a history, damaged, newer, or missing."""


def default_history_path() -> Path:
    """``$ROBOVERIFY_HISTORY``, else ``$XDG_DATA_HOME/roboverify/history.sqlite3`` (by default
    ``~/.local/share/roboverify/history.sqlite3``)."""
    if os.environ.get(ENVIRONMENT):
        return Path(os.environ[ENVIRONMENT])
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "roboverify" / "history.sqlite3"


class HistoryStore:
    """An open history file; use as a context manager."""

    def __init__(self, path: Path, connection: sqlite3.Connection) -> None:
        self.path, self.connection = path, connection

    @classmethod
    def open(cls, path: Path, *, create: bool = True) -> HistoryStore:
        """Open (or, with ``create``, start) the history at ``path``, migrated to this version."""
        if not create and not path.is_file():
            raise HistoryError(
                f"there is no history at '{path}'; `roboverify verify` records every run there "
                "(or where --history / ROBOVERIFY_HISTORY says), so run a plan first or name the file"
            )
        _check_header(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise HistoryError(f"cannot make the folder of the history '{path}': {error}; {FIX}") from None
        store = cls(path, _connect(path))
        try:
            store._guarded(lambda: _prepare(store.connection, path))
        except BaseException:
            store.close()
            raise
        return store

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def record(self, records: list[RunRecord]) -> list[int]:
        """Insert every record (a run's skills) in one transaction; returns their run ids."""
        return self._guarded(lambda: _retrying(lambda: self._transaction(records)))

    def runs(self, skill: str) -> list[RunRecord]:
        """Every recorded run of ``skill``, in the order recorded, without their episodes."""
        return self._guarded(lambda: rows.read_runs(self.connection, skill))

    def skills(self) -> list[str]:
        return self._guarded(lambda: rows.read_skills(self.connection))

    def episodes(self, run_id: int) -> list[EpisodeOutcome]:
        return self._guarded(lambda: rows.read_episodes(self.connection, run_id))

    def matching(self, key: RunKey) -> list[RunRecord]:
        """The runs of ``key.skill`` on the same plan file and episodes."""
        return [r for r in self.runs(key.skill) if r.key == key]

    def _transaction(self, records: list[RunRecord]) -> list[int]:
        self.connection.execute("BEGIN IMMEDIATE")
        try:
            ids = [rows.insert_run(self.connection, record) for record in records]
            self.connection.execute("COMMIT")
        except BaseException:
            self.connection.execute("ROLLBACK")
            raise
        return ids

    def _guarded(self, action: Callable[[], T]) -> T:
        """``action``, with SQLite's own errors turned into a message about the file."""
        try:
            return action()
        except sqlite3.DatabaseError as error:
            raise _damaged(self.path, error) from None


def _connect(path: Path) -> sqlite3.Connection:
    try:
        connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    except sqlite3.Error as error:
        raise HistoryError(f"cannot open the history '{path}': {error}; {FIX}") from None
    return connection


def _check_header(path: Path) -> None:
    """Refuse a file that is not SQLite at all before SQLite is asked to open it."""
    try:
        with open(path, "rb") as stream:
            head = stream.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        return
    except OSError as error:
        raise HistoryError(
            f"cannot read the history '{path}': {error}; check its permissions, or {FIX}"
        ) from None
    if head and head != SQLITE_MAGIC:
        raise HistoryError(
            f"'{path}' is not a roboverify history (not an SQLite database); move it away, or {FIX}"
        )


def _prepare(connection: sqlite3.Connection, path: Path) -> None:
    """Check the file before the first write, so a file that is refused is left as it was."""
    connection.execute("PRAGMA foreign_keys = ON")
    check = connection.execute("PRAGMA quick_check").fetchone()[0]
    if check != "ok":
        raise _damaged(path, sqlite3.DatabaseError(check))
    _check_identity(connection, path)
    _retrying(lambda: connection.execute("PRAGMA journal_mode = WAL"))
    _retrying(lambda: migrate(connection))


def _check_identity(connection: sqlite3.Connection, path: Path) -> None:
    application = connection.execute("PRAGMA application_id").fetchone()[0]
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    tables = [r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    if application == 0 and not tables:
        return  # a new, empty file
    if application != APPLICATION_ID:
        raise HistoryError(
            f"'{path}' is an SQLite database but not a roboverify history (it holds "
            f"{', '.join(sorted(tables)) or 'no tables'}); {FIX}, or move this one away"
        )
    if version > LATEST:
        raise HistoryError(
            f"'{path}' was written by a newer roboverify (history schema {version}; this version "
            f"reads schemas up to {LATEST}); upgrade roboverify, or {FIX}"
        )


def migrate(connection: sqlite3.Connection, target: int = LATEST) -> None:
    """Bring the schema forward to ``target``, in one transaction (a no-op when it is there)."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        for script in MIGRATIONS[version:target]:
            for statement in filter(str.strip, script.split(";")):
                connection.execute(statement)
        if version < target:
            connection.execute(f"PRAGMA user_version = {int(target)}")
            connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise


def _retrying(action: Callable[[], T]) -> T:
    """``action``, tried again with growing, jittered pauses while the database is locked
    (the busy timeout covers most waits; a lock upgrade that would deadlock fails at once)."""
    for attempt in range(ATTEMPTS):
        try:
            return action()
        except sqlite3.OperationalError as error:
            if not _is_lock(error) or attempt == ATTEMPTS - 1:
                raise
            time.sleep(0.05 * 2**attempt * (1 + random.random()))
    raise AssertionError("unreachable")


def _is_lock(error: sqlite3.Error) -> bool:
    return "locked" in str(error) or "busy" in str(error)


def _damaged(path: Path, error: sqlite3.DatabaseError) -> HistoryError:
    if "unable to open" in str(error):
        return HistoryError(
            f"cannot open the history '{path}' ({error}); check its folder's permissions, or {FIX}"
        )
    if _is_lock(error):
        return HistoryError(
            f"the history '{path}' stayed locked by another process ({error}); try again once the "
            f"other runs have finished, or {FIX}"
        )
    return HistoryError(
        f"the history '{path}' is damaged ({error}); move it aside (`sqlite3 '{path}' .recover` may save "
        f"its rows) and the next run starts a new history, or {FIX}"
    )
