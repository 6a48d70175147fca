"""Recovery from injected faults: the rate over the episodes a fault fired in, and its gate."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harness.plan.gates import RecoveryRateGate
from harness.results import EpisodeResult, InjectedFault, Outcome, Timing
from harness.verdicts.gates import evaluate_gates
from harness.verdicts.statistics import GateVerdict
from harness.verdicts.summaries import summarise_scenario


def episode(index: int, outcome: Outcome, fired: bool, name: str = "slip") -> EpisodeResult:
    faults = [InjectedFault(name=name, kind="object_slip", tick=20)] if fired else []
    return EpisodeResult(
        scenario="s/x-v1", index=index, seed=index, outcome=outcome, ended_by="", conditions={},
        criteria=[], timing=Timing(sim_s=5.0, ticks=50, physics_steps=500, wall_s=0.0), faults=faults,
    )  # fmt: skip


def test_recovery_rate_counts_only_episodes_the_fault_fired_in() -> None:
    episodes = [episode(i, Outcome.SUCCESS, True) for i in range(8)]
    episodes += [episode(8, Outcome.TIMEOUT, True), episode(9, Outcome.FAILURE, True)]
    episodes += [episode(10 + i, Outcome.FAILURE, False) for i in range(5)]
    summary = summarise_scenario("s/x-v1", "", 15, episodes, "wilson", faults=[("slip", "object_slip")])
    (recovery,) = summary.recovery
    assert (recovery.injected, recovery.not_fired) == (10, 5)
    assert recovery.recovered.count == 8 and recovery.recovered.rate == pytest.approx(0.8)
    assert recovery.recovered.interval.low == pytest.approx(0.4902, abs=1e-4)  # Wilson, 8 of 10
    assert recovery.outcomes == {Outcome.SUCCESS: 8, Outcome.FAILURE: 1, Outcome.TIMEOUT: 1}
    assert recovery.median_time_to_success_s == pytest.approx(3.0)  # (50 - 20) ticks of 0.1 s


def test_recovery_gate_passes_a_skill_that_recovers_and_fails_one_that_does_not() -> None:
    good = [episode(i, Outcome.SUCCESS, True) for i in range(60)]
    bad = [episode(i, Outcome.SUCCESS if i % 2 else Outcome.FAILURE, True) for i in range(60)]
    gate = RecoveryRateGate(metric="recovery_rate", fault="slip", min=0.8)
    assert evaluate_gates([gate], ["s/x-v1"], good, "wilson")[0].verdict is GateVerdict.PASS
    failed = evaluate_gates([gate], ["s/x-v1"], bad, "wilson")[0]
    assert failed.verdict is GateVerdict.FAIL and failed.episodes == 60
    other = [episode(i, Outcome.FAILURE, True, name="dropout") for i in range(5)]
    assert evaluate_gates([gate], ["s/x-v1"], good + other, "wilson")[0].episodes == 60


def test_a_plan_wide_recovery_gate_covers_only_the_scenarios_declaring_the_fault() -> None:
    gate = RecoveryRateGate(metric="recovery_rate", fault="slip", min=0.8)
    episodes = [episode(i, Outcome.SUCCESS, True) for i in range(60)]
    declared = {"s/x-v1": ["slip"], "s/y-v1": []}
    results = evaluate_gates([gate], ["s/x-v1", "s/y-v1"], episodes, "wilson", faults=declared)
    assert [(r.scenario, r.verdict) for r in results] == [("s/x-v1", GateVerdict.PASS)]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from([Outcome.SUCCESS, Outcome.FAILURE, Outcome.TIMEOUT]), min_size=1, max_size=80),
    st.data(),
)
def test_a_recovery_turned_into_a_failure_never_improves_the_rate_or_the_gate(
    outcomes: list[Outcome], data: st.DataObject
) -> None:
    recovered = [i for i, o in enumerate(outcomes) if o is Outcome.SUCCESS]
    if not recovered:
        return
    flip = data.draw(st.sampled_from(recovered))
    worse = [Outcome.FAILURE if i == flip else o for i, o in enumerate(outcomes)]
    gate = RecoveryRateGate(metric="recovery_rate", fault="slip", min=0.7)
    order = [GateVerdict.PASS, GateVerdict.INCONCLUSIVE, GateVerdict.FAIL]
    found = []
    for case in (outcomes, worse):
        episodes = [episode(i, o, True) for i, o in enumerate(case)]
        (summary,) = summarise_scenario(
            "s/x-v1", "", len(case), episodes, "wilson", faults=[("slip", "object_slip")]
        ).recovery
        found.append(
            (
                summary.recovered.interval.low,
                order.index(evaluate_gates([gate], ["s/x-v1"], episodes, "wilson")[0].verdict),
            )
        )
    assert found[1][0] <= found[0][0] and found[1][1] >= found[0][1]
