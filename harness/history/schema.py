"""The history database's schema, versioned by ``PRAGMA user_version``, and its migrations.

Each entry of :data:`MIGRATIONS` takes the schema from version ``n`` to ``n + 1``; a database
is brought forward one step at a time inside one transaction, so an interrupted migration
leaves it at the version it had. ``PRAGMA application_id`` marks a file as a roboverify
history, which tells it apart from any other SQLite database.
"""

from __future__ import annotations

APPLICATION_ID = 0x52564849  # "RVHI"

_V1 = """
CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    skill TEXT NOT NULL,
    version TEXT NOT NULL,
    skill_cls TEXT NOT NULL,
    manifest_sha256 TEXT NOT NULL,
    plan_name TEXT NOT NULL,
    plan_sha256 TEXT NOT NULL,
    conditions_sha256 TEXT NOT NULL,
    seed INTEGER NOT NULL,
    tool_version TEXT NOT NULL,
    created_utc TEXT NOT NULL,
    verdict TEXT NOT NULL,
    verdict_reason TEXT NOT NULL,
    report_path TEXT NOT NULL,
    report_sha256 TEXT NOT NULL,
    journal_sha256 TEXT NOT NULL,
    margin REAL NOT NULL,
    confidence REAL NOT NULL
);
CREATE TABLE dimensions (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    verdict TEXT NOT NULL,
    reason TEXT NOT NULL
);
CREATE TABLE gates (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    rule TEXT NOT NULL,
    scenario TEXT NOT NULL,
    verdict TEXT NOT NULL,
    measured REAL,
    lower_bound REAL,
    upper_bound REAL
);
CREATE TABLE metrics (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    scenario TEXT NOT NULL,
    scored INTEGER NOT NULL,
    successes INTEGER NOT NULL,
    success_rate REAL,
    success_low REAL NOT NULL,
    success_high REAL NOT NULL,
    median_cycle_s REAL,
    safety_events INTEGER NOT NULL,
    cost_per_task REAL
);
CREATE TABLE episodes (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    scenario TEXT NOT NULL,
    idx INTEGER NOT NULL,
    seed INTEGER NOT NULL,
    outcome TEXT NOT NULL,
    failed_criteria TEXT NOT NULL
);
CREATE INDEX episodes_by_run ON episodes(run_id, scenario);
"""

# the lookup of --against-last-release: a skill's runs on one plan and set of episodes
_V2 = "CREATE INDEX runs_by_key ON runs(skill, plan_sha256, conditions_sha256);"

MIGRATIONS: tuple[str, ...] = (_V1, _V2)
LATEST = len(MIGRATIONS)
