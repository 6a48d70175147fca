"""The five dimensions: each gets a verdict from its own gates, nothing passes silently, and the
run's verdict says which dimension decided it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from harness.campaign.run import run_plan
from harness.plan.resolve import load_plan
from harness.report.dimensions import DIMENSIONS, DimensionVerdict
from harness.report.model import Report, RunVerdict

PlanWriter = Callable[..., Path]
COST_MODEL = {"capex": 1000, "labour_wage_per_hour": 25, "manual_cycle_time_s": 20}


def run(reach_plan: PlanWriter, **fields: Any) -> Report:
    return run_plan(load_plan(reach_plan(**fields)))


def verdicts(report: Report) -> dict[str, DimensionVerdict]:
    return {d.name: d.verdict for d in report.dimensions}


def test_every_dimension_is_reported_and_unassessed_ones_say_so(reach_plan: PlanWriter) -> None:
    report = run(reach_plan)
    assert [d.name for d in report.dimensions] == list(DIMENSIONS)
    assert verdicts(report) == {
        "success": DimensionVerdict.PASS, "efficiency": DimensionVerdict.NOT_ASSESSED,
        "safety": DimensionVerdict.NOT_ASSESSED, "reliability": DimensionVerdict.NOT_ASSESSED,
        "economics": DimensionVerdict.NOT_ASSESSED,
    }  # fmt: skip
    success = report.dimensions[0]
    assert success.gates == [0] and success.figures[0].name == "success rate"
    assert success.figures[0].low is not None and success.figures[0].high == 1.0
    assert report.verdict is RunVerdict.PASS and report.verdict_reason == "passed: Task success rate"
    assert "no gate" in report.dimensions[2].reason


def test_gates_count_in_the_dimension_of_what_they_judge(reach_plan: PlanWriter) -> None:
    gates = [
        {"min": 0.5},
        {"metric": "zero_events", "outcome": "safety_stop"},
        {"metric": "zero_events", "outcome": "skill_error"},
        {"metric": "criterion_value", "criterion": "energy", "max": 100.0},
    ]
    report = run(reach_plan, criteria={"task_success": {}, "energy": {}}, gates=gates, cost_model=COST_MODEL)
    assert [g.dimension for g in report.gates] == ["success", "safety", "reliability", "economics"]
    assert report.criterion_dimensions == {"task_success": "success", "energy": "economics"}
    economics = next(d for d in report.dimensions if d.name == "economics")
    assert {f.name for f in economics.figures} >= {"cost per task", "energy per task", "payback"}
    assert economics.gates == [3] and economics.criteria == ["energy"]
    assert verdicts(report)["safety"] is DimensionVerdict.PASS


def test_a_failing_dimension_fails_the_run_and_is_named(reach_plan: PlanWriter) -> None:
    report = run(
        reach_plan,
        params={"behaviour": "raise", "rate": 1.0},
        gates=[{"min": 0.5}, {"metric": "zero_events", "outcome": "skill_error"}],
    )
    assert verdicts(report)["reliability"] is DimensionVerdict.FAIL
    assert report.verdict is RunVerdict.FAIL
    assert report.verdict_reason.startswith("Task success rate: failed")  # 0 of 6 also fails the rate
    assert "Reliability: failed" in report.verdict_reason


def test_an_expensive_cell_fails_economic_viability(reach_plan: PlanWriter) -> None:
    costly = {**COST_MODEL, "capex": 10_000_000, "max_payback_months": 1}
    report = run(reach_plan, criteria={"task_success": {}, "energy": {}}, cost_model=costly)
    assert verdicts(report)["economics"] is DimensionVerdict.FAIL
    assert report.verdict is RunVerdict.FAIL and "Economic viability: failed" in report.verdict_reason


def test_without_any_gate_nothing_passes(reach_plan: PlanWriter) -> None:
    report = run(reach_plan, gates=[])
    assert set(verdicts(report).values()) == {DimensionVerdict.NOT_ASSESSED}
    assert report.verdict is RunVerdict.INCONCLUSIVE
