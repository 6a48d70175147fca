"""Records to rows and back: the SQL of the history, one function per table it touches."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from harness.history.record import EpisodeOutcome, GateRow, RunKey, RunRecord, ScenarioMetrics

RUN_COLUMNS = (
    "skill", "version", "skill_cls", "manifest_sha256", "plan_name", "plan_sha256", "conditions_sha256",
    "seed", "tool_version", "created_utc", "verdict", "verdict_reason", "report_path", "report_sha256",
    "journal_sha256", "margin", "confidence",
)  # fmt: skip
METRIC_COLUMNS = (
    "scenario", "scored", "successes", "success_rate", "success_low", "success_high", "median_cycle_s",
    "safety_events", "cost_per_task",
)  # fmt: skip
GATE_COLUMNS = ("rule", "scenario", "verdict", "measured", "lower_bound", "upper_bound")


def insert_run(connection: sqlite3.Connection, record: RunRecord) -> int:
    """Insert one record and its child rows (inside the caller's transaction); returns its id."""
    key = record.key
    values = (key.skill, record.version, record.skill_cls, record.manifest_sha256, record.plan_name,
              key.plan_sha256, key.conditions_sha256, *_run_tail(record))  # fmt: skip
    cursor = connection.execute(_insert("runs", RUN_COLUMNS), values)
    run_id = cursor.lastrowid
    assert run_id is not None
    _insert_many(connection, "dimensions", ("name", "verdict", "reason"), run_id, record.dimensions)
    gates = [tuple(getattr(g, c) for c in GATE_COLUMNS) for g in record.gates]
    _insert_many(connection, "gates", GATE_COLUMNS, run_id, gates)
    metrics = [tuple(getattr(m, c) for c in METRIC_COLUMNS) for m in record.metrics]
    _insert_many(connection, "metrics", METRIC_COLUMNS, run_id, metrics)
    episodes = [
        (e.scenario, e.index, e.seed, e.outcome, json.dumps(e.failed_criteria)) for e in record.episodes
    ]
    _insert_many(
        connection, "episodes", ("scenario", "idx", "seed", "outcome", "failed_criteria"), run_id, episodes
    )
    return run_id


def _run_tail(record: RunRecord) -> tuple[Any, ...]:
    return (
        record.seed, record.tool_version, record.created_utc, record.verdict, record.verdict_reason,
        record.report_path, record.report_sha256, record.journal_sha256, record.margin, record.confidence,
    )  # fmt: skip


def _insert(table: str, columns: tuple[str, ...]) -> str:
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"


def _insert_many(
    connection: sqlite3.Connection, table: str, columns: tuple[str, ...], run_id: int, values: Any
) -> None:
    connection.executemany(_insert(table, ("run_id", *columns)), [(run_id, *row) for row in values])


def read_skills(connection: sqlite3.Connection) -> list[str]:
    return [row[0] for row in connection.execute("SELECT DISTINCT skill FROM runs ORDER BY skill")]


def read_runs(connection: sqlite3.Connection, skill: str) -> list[RunRecord]:
    query = f"SELECT id, {', '.join(RUN_COLUMNS)} FROM runs WHERE skill = ? ORDER BY id"
    return [_run(connection, row) for row in connection.execute(query, (skill,)).fetchall()]


def _run(connection: sqlite3.Connection, row: tuple[Any, ...]) -> RunRecord:
    run_id, fields = row[0], dict(zip(RUN_COLUMNS, row[1:], strict=True))
    key = RunKey(fields.pop("skill"), fields.pop("plan_sha256"), fields.pop("conditions_sha256"))
    return RunRecord(
        key=key,
        dimensions=_children(connection, "dimensions", ("name", "verdict", "reason"), run_id),
        gates=tuple(GateRow(*r) for r in _children(connection, "gates", GATE_COLUMNS, run_id)),
        metrics=tuple(ScenarioMetrics(*r) for r in _children(connection, "metrics", METRIC_COLUMNS, run_id)),
        id=run_id,
        **fields,
    )


def _children(connection: sqlite3.Connection, table: str, columns: tuple[str, ...], run_id: int) -> Any:
    query = f"SELECT {', '.join(columns)} FROM {table} WHERE run_id = ? ORDER BY rowid"
    return tuple(tuple(row) for row in connection.execute(query, (run_id,)))


def read_episodes(connection: sqlite3.Connection, run_id: int) -> list[EpisodeOutcome]:
    query = (
        "SELECT scenario, idx, seed, outcome, failed_criteria FROM episodes WHERE run_id = ? ORDER BY rowid"
    )
    return [
        EpisodeOutcome(scenario, index, seed, outcome, tuple(json.loads(failed)))
        for scenario, index, seed, outcome, failed in connection.execute(query, (run_id,))
    ]
