"""A skill's history as data: JSON (one object per run) and CSV (one row per run and scenario)."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from typing import Any

from harness.history.trends import NO_PREVIOUS, Step, regression_label

CSV_COLUMNS = (
    "run_id", "skill", "version", "created_utc", "verdict", "scenario", "scored", "successes",
    "success_rate", "success_low", "success_high", "median_cycle_s", "safety_events", "cost_per_task",
    "previous_version", "regression", "plan_name", "plan_sha256", "conditions_sha256", "report_path",
)  # fmt: skip


def as_json(steps: list[Step]) -> str:
    return json.dumps([_run(step) for step in steps], indent=2) + "\n"


def _run(step: Step) -> dict[str, Any]:
    run = step.run
    fields = {k: v for k, v in dataclasses.asdict(run).items() if k not in ("key", "episodes", "dimensions")}
    return {
        **fields,
        "skill": run.key.skill,
        "plan_sha256": run.key.plan_sha256,
        "conditions_sha256": run.key.conditions_sha256,
        "dimensions": {name: verdict for name, verdict, _ in run.dimensions},
        "previous_version": step.previous.version if step.previous else None,
        "regression": step.regression,
        "comparisons": [c.model_dump(mode="json") for c in step.comparisons],
    }


def as_csv(steps: list[Step]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for step in steps:
        writer.writerows(scenario_rows(step))
    return buffer.getvalue()


def scenario_rows(step: Step) -> list[dict[str, Any]]:
    """One flat row per scenario of the run, with that scenario's regression verdict."""
    run = step.run
    rows = []
    for metrics in run.metrics:
        mine = [c for c in step.comparisons if c.scenario == metrics.scenario]
        rows.append({
            "run_id": run.id, "skill": run.key.skill, "version": run.version, "created_utc": run.created_utc,
            "verdict": run.verdict, **dataclasses.asdict(metrics),
            "previous_version": step.previous.version if step.previous else "",
            "regression": regression_label(mine) if step.previous else NO_PREVIOUS,
            "plan_name": run.plan_name, "plan_sha256": run.key.plan_sha256,
            "conditions_sha256": run.key.conditions_sha256, "report_path": run.report_path,
        })  # fmt: skip
    return rows
