"""Campaign figures in the report: reliability per scenario, economics from the cost model."""

from __future__ import annotations

import re

import pytest

from harness.campaign.run import run_plan
from harness.errors import SpecError

COST_MODEL = {
    "capex": 150000, "life_years": 5, "interest_rate": 0.05, "maintenance_per_year": 5000,
    "labour_wage_per_hour": 20, "labour_burden": 1.4, "shifts_per_day": 2, "manual_cycle_time_s": 12,
}  # fmt: skip


@pytest.mark.sim
def test_report_has_reliability_and_economics_next_to_their_inputs(write_plan) -> None:  # type: ignore[no-untyped-def]
    plan = write_plan(
        episodes=3,
        criteria={"task_success": {}, "energy": {}},
        gates=[{"min": 0.5}],
        cost_model=COST_MODEL,
    )
    report = run_plan(plan)
    reliability = report.scenarios[0].reliability
    assert reliability.cycles == 3
    run = longest = 0
    for episode in report.episodes:
        run = run + 1 if episode.outcome.value == "success" else 0
        longest = max(longest, run)
    assert reliability.longest_success_run == longest
    assert reliability.failures == sum(e.outcome.value != "success" for e in report.episodes)
    (economics,) = report.economics
    summary = economics.summary
    assert summary.cost_model.capex == 150000
    assert summary.episodes == report.scenarios[0].successes
    assert summary.mean_cycle_time_s == pytest.approx(
        sum(e.timing.sim_s for e in report.episodes if e.outcome.value == "success") / summary.episodes
    )
    assert summary.payback_months is not None and summary.payback_months < 24


def test_cost_model_needs_the_energy_criterion(write_plan) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SpecError, match=re.escape("add 'energy: {}' under 'criteria'")):
        write_plan(cost_model=COST_MODEL)
