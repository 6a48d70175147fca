"""Endurance statistics: interventions per 1000 cycles, slowdowns, and the interventions gate."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harness.plan.gates import InterventionsGate
from harness.results import CycleRecord, EpisodeResult, Outcome, Timing
from harness.verdicts.endurance import summarise_endurance
from harness.verdicts.gates import evaluate_gates
from harness.verdicts.statistics import GateVerdict


def run_of(index: int, times: list[float | None]) -> EpisodeResult:
    """A synthetic run: a time per cycle, None for an intervention (a timeout)."""
    cycles = [
        CycleRecord(cycle=i, outcome=Outcome.SUCCESS if t is not None else Outcome.TIMEOUT,
                    ticks=int((t or 15.0) * 10), sim_s=t or 15.0, ended_by="")
        for i, t in enumerate(times)
    ]  # fmt: skip
    failed = any(t is None for t in times)
    return EpisodeResult(
        scenario="s/x-v1@endurance", index=index, seed=index,
        outcome=Outcome.FAILURE if failed else Outcome.SUCCESS, ended_by="", conditions={}, criteria=[],
        cycles=cycles, timing=Timing(sim_s=0.0, ticks=0, physics_steps=0, wall_s=0.0),
    )  # fmt: skip


def test_the_summary_counts_interventions_per_1000_cycles_and_finds_a_slowdown() -> None:
    slowing = [4.0 + 0.02 * i for i in range(100)]
    runs = [run_of(0, slowing), run_of(1, [*slowing[:50], None, *slowing[51:]])]
    summary = summarise_endurance("s/x-v1@endurance", runs)
    assert (summary.runs, summary.cycles, summary.interventions) == (2, 200, 1)
    assert summary.interventions_per_1000_cycles == pytest.approx(5.0)
    assert summary.interventions_per_1000_low < 5.0 < summary.interventions_per_1000_high
    assert summary.mean_cycles_between_interventions == pytest.approx(200.0)
    assert summary.longest_run_without_intervention == 100  # within one run: run 0, all 100 cycles
    assert summary.cycle_time_first_tenth_s == pytest.approx(4.09)
    assert summary.cycle_time_last_tenth_s == pytest.approx(5.89)
    trend = summary.cycle_time_trend
    assert trend is not None and trend.slope_s_per_100_cycles == pytest.approx(2.0)
    steady = summarise_endurance("s/x-v1@endurance", [run_of(0, [4.0, 4.2, 3.8, 4.1, 3.9] * 20)])
    assert steady.cycle_time_trend is not None
    assert steady.cycle_time_trend.low < 0 < steady.cycle_time_trend.high


def test_the_interventions_gate_passes_a_steady_skill_and_fails_a_fragile_one() -> None:
    gate = InterventionsGate(metric="interventions_per_1000_cycles", max=20)
    steady = [run_of(0, [4.0] * 400)]
    fragile = [run_of(0, [None if i % 10 == 0 else 4.0 for i in range(400)])]
    scenarios = ["s/x-v1", "s/x-v1@endurance"]
    (passed,) = evaluate_gates([gate], scenarios, steady, "wilson")
    assert passed.verdict is GateVerdict.PASS and passed.scenario == "s/x-v1@endurance"
    (failed,) = evaluate_gates([gate], scenarios, fragile, "wilson")
    assert failed.verdict is GateVerdict.FAIL and "40 intervention(s) in 400 cycles" in failed.note
    assert (
        evaluate_gates([gate], scenarios, [run_of(0, [4.0] * 20)], "wilson")[0].verdict
        is GateVerdict.INCONCLUSIVE
    )


def test_a_run_cut_short_fails_the_interventions_gate() -> None:
    killed = run_of(1, [4.0] * 3).model_copy(
        update={"outcome": Outcome.SKILL_ERROR, "reason": "exceeded the 60 s wall-clock limit"}
    )
    gate = InterventionsGate(metric="interventions_per_1000_cycles", max=100)
    (result,) = evaluate_gates([gate], ["s/x-v1@endurance"], [run_of(0, [4.0] * 400), killed], "wilson")
    assert result.verdict is GateVerdict.FAIL and "1 run(s) cut short" in result.note


@settings(max_examples=60, deadline=None)
@given(st.lists(st.booleans(), min_size=1, max_size=120), st.data())
def test_one_more_intervention_never_makes_the_summary_or_the_gate_look_better(
    succeeded: list[bool], data: st.DataObject
) -> None:
    if all(not s for s in succeeded):
        return
    flip = data.draw(st.sampled_from([i for i, s in enumerate(succeeded) if s]))
    worse = [s and i != flip for i, s in enumerate(succeeded)]

    def run(outcomes: list[bool]) -> EpisodeResult:
        return run_of(0, [4.0 if ok else None for ok in outcomes])

    before = summarise_endurance("s/x-v1@endurance", [run(succeeded)])
    after = summarise_endurance("s/x-v1@endurance", [run(worse)])
    assert after.interventions == before.interventions + 1
    assert after.interventions_per_1000_high >= before.interventions_per_1000_high
    assert after.longest_run_without_intervention <= before.longest_run_without_intervention
    gate = InterventionsGate(metric="interventions_per_1000_cycles", max=100)
    order = [GateVerdict.PASS, GateVerdict.INCONCLUSIVE, GateVerdict.FAIL]
    verdicts = [
        evaluate_gates([gate], ["s/x-v1@endurance"], [run(o)], "wilson")[0].verdict
        for o in (succeeded, worse)
    ]
    assert order.index(verdicts[1]) >= order.index(verdicts[0])
