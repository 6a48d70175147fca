"""Efficiency improvement over a baseline skill, paired by episode."""

from __future__ import annotations

import dataclasses

import pytest

from harness.campaign.run import run_plan
from harness.errors import SpecError
from harness.report.build import with_comparisons, with_improvements
from harness.results import EpisodeResult, Outcome, Timing
from harness.verdicts.improvement import improvement_verdict, measure_improvement
from harness.verdicts.statistics import GateVerdict


def episodes(times: list[float], outcome: Outcome = Outcome.SUCCESS) -> list[EpisodeResult]:
    return [
        EpisodeResult(
            scenario="a/b-v1",
            index=i,
            seed=100 + i,
            outcome=outcome,
            ended_by="x",
            conditions={},
            criteria=[],
            timing=Timing(sim_s=t, ticks=int(t * 30), physics_steps=int(t * 240), wall_s=0.0),
        )
        for i, t in enumerate(times)
    ]


def test_twenty_percent_faster_is_measured_with_a_tight_interval() -> None:
    base = [5.0 + 0.1 * (i % 7) for i in range(40)]
    result = measure_improvement("a/b-v1", episodes([0.8 * t for t in base]), episodes(base), "current")
    assert result.pairs == 40
    assert result.improvement == pytest.approx(0.2)
    assert result.low is not None and result.high is not None
    assert result.low <= 0.2 + 1e-12 and result.high >= 0.2 - 1e-12  # exactly proportional: a point
    assert improvement_verdict(result, 0.15) is GateVerdict.PASS
    assert improvement_verdict(result, 0.25) is GateVerdict.FAIL


def test_only_episodes_both_skills_completed_are_paired() -> None:
    new = episodes([4.0, 4.0, 4.0])
    old = episodes([5.0, 5.0])
    result = measure_improvement("a/b-v1", new, old, "current")
    assert result.pairs == 2
    nothing = measure_improvement("a/b-v1", new, episodes([5.0] * 3, Outcome.FAILURE), "current")
    assert nothing.pairs == 0
    assert improvement_verdict(nothing, 0.1) is GateVerdict.INCONCLUSIVE


def test_an_efficiency_gate_needs_a_baseline_skill(write_plan) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SpecError, match="needs a baseline_skill"):
        write_plan(gates=[{"metric": "efficiency_improvement", "min": 0.2}])


@pytest.mark.sim
def test_a_faster_skill_beats_the_baseline_on_the_same_episodes(write_plan) -> None:  # type: ignore[no-untyped-def]
    plan = write_plan(
        skill={"name": "pick_place", "params": {"max_speed": 0.8}}, baseline_skill="pick_place", episodes=4,
        gates=[{"min": 0.5}, {"metric": "efficiency_improvement", "min": 0.1}],
    )  # fmt: skip
    report = run_plan(plan)
    assert report.gates[1].note == "the baseline skill has not run"
    baselines = [s.as_baseline() for s in plan.scenarios]
    baseline = run_plan(dataclasses.replace(plan, scenarios=[b for b in baselines if b is not None]))
    decided = with_improvements(report, plan, baseline.episodes)
    (improvement,) = decided.improvements
    assert improvement.pairs == 4
    assert improvement.improvement is not None and improvement.improvement > 0.1
    assert decided.gates[1].verdict is GateVerdict.PASS
    compared = with_comparisons(decided, plan, baseline.episodes, "baseline skill 'pick_place'")
    (success,) = [c for c in compared.comparisons if c.metric == "success_rate"]
    assert success.paired
    assert compared.baseline == "baseline skill 'pick_place'"
