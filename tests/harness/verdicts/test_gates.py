"""Gate decisions on hand-made episode results (no simulator)."""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter, ValidationError

from harness.plan.gates import Gate
from harness.results import CriterionResult, EpisodeResult, Outcome, Timing, Verdict
from harness.verdicts.gates import evaluate_gates
from harness.verdicts.statistics import GateVerdict

GATE: TypeAdapter[Gate] = TypeAdapter(Gate)
TIMING = Timing(sim_s=1.0, ticks=10, physics_steps=80, wall_s=0.1)


def episode(
    index: int, outcome: Outcome, *criteria: CriterionResult, scenario: str = "a/b-v1"
) -> EpisodeResult:
    return EpisodeResult(
        scenario=scenario, index=index, seed=index, outcome=outcome, ended_by="x", conditions={},
        criteria=list(criteria), timing=TIMING,
    )  # fmt: skip


def outcomes(successes: int, failures: int, scenario: str = "a/b-v1") -> list[EpisodeResult]:
    return [
        episode(i, Outcome.SUCCESS if i < successes else Outcome.FAILURE, scenario=scenario)
        for i in range(successes + failures)
    ]


def gate(**fields: object) -> Gate:
    return GATE.validate_python(fields)


def test_success_rate_gate_pass_fail_inconclusive() -> None:
    rule = [gate(min=0.8)]
    assert evaluate_gates(rule, ["a/b-v1"], outcomes(40, 0), "wilson")[0].verdict is GateVerdict.PASS
    assert evaluate_gates(rule, ["a/b-v1"], outcomes(20, 20), "wilson")[0].verdict is GateVerdict.FAIL
    assert evaluate_gates(rule, ["a/b-v1"], outcomes(9, 1), "wilson")[0].verdict is GateVerdict.INCONCLUSIVE


def test_gates_decide_exactly_whatever_interval_is_shown() -> None:
    rule = [gate(min=0.9)]
    shown_wilson = evaluate_gates(rule, ["a/b-v1"], outcomes(29, 0), "wilson")[0]
    shown_exact = evaluate_gates(rule, ["a/b-v1"], outcomes(29, 0), "exact")[0]
    assert shown_wilson == shown_exact
    assert shown_exact.verdict is GateVerdict.PASS  # 29 straight successes: the zero-failure table
    assert evaluate_gates(rule, ["a/b-v1"], outcomes(28, 0), "wilson")[0].verdict is GateVerdict.INCONCLUSIVE


def test_a_wilson_gate_is_less_conservative_and_says_so() -> None:
    wilson = evaluate_gates([gate(min=0.9, method="wilson")], ["a/b-v1"], outcomes(29, 0), "wilson")[0]
    exact = evaluate_gates([gate(min=0.9)], ["a/b-v1"], outcomes(29, 0), "wilson")[0]
    assert exact.lower_bound is not None and wilson.lower_bound is not None
    assert exact.lower_bound < wilson.lower_bound
    assert not wilson.exact and exact.exact


def test_holm_makes_several_gates_stricter_than_one() -> None:
    scenarios = ["a/b-v1", "a/c-v1"]
    episodes = outcomes(30, 0, "a/b-v1") + outcomes(30, 0, "a/c-v1")
    alone = evaluate_gates([gate(min=0.9, scenario="a/b-v1")], scenarios, episodes, "exact")[0]
    together = evaluate_gates([gate(min=0.9)], scenarios, episodes, "exact")
    assert alone.verdict is GateVerdict.PASS
    assert [g.verdict for g in together] == [GateVerdict.INCONCLUSIVE, GateVerdict.INCONCLUSIVE]
    assert "not after Holm" in together[0].note


def test_zero_events_gate_is_a_hard_rule_with_an_upper_bound() -> None:
    clean = outcomes(100, 0)
    result = evaluate_gates([gate(metric="zero_events", outcome="safety_stop")], ["a/b-v1"], clean, "wilson")[
        0
    ]
    assert result.verdict is GateVerdict.PASS
    assert result.upper_bound == pytest.approx(0.0295, abs=1e-3)  # about 3/n
    one = [*clean, episode(100, Outcome.SAFETY_STOP)]
    assert (
        evaluate_gates([gate(metric="zero_events", outcome="safety_stop")], ["a/b-v1"], one, "wilson")[
            0
        ].verdict
        is GateVerdict.FAIL
    )


def test_criterion_gates() -> None:
    def cycle(value: float) -> CriterionResult:
        verdict = Verdict.PASS if value <= 5 else Verdict.FAIL
        return CriterionResult(
            name="cycle_time", verdict=verdict, measured=value, threshold=5, margin=5 - value
        )

    fast = [episode(i, Outcome.SUCCESS, cycle(3.0 + 0.01 * i)) for i in range(40)]
    value_gate = gate(metric="criterion_value", criterion="cycle_time", max=4.0)
    assert evaluate_gates([value_gate], ["a/b-v1"], fast, "wilson")[0].verdict is GateVerdict.PASS
    slow = [episode(i, Outcome.SUCCESS, cycle(6.0 + 0.01 * i)) for i in range(40)]
    assert evaluate_gates([value_gate], ["a/b-v1"], slow, "wilson")[0].verdict is GateVerdict.FAIL
    rate_gate = gate(metric="criterion_pass_rate", criterion="cycle_time", min=0.8)
    assert evaluate_gates([rate_gate], ["a/b-v1"], fast, "wilson")[0].verdict is GateVerdict.PASS
    events = gate(metric="zero_events", criterion="cycle_time")
    assert evaluate_gates([events], ["a/b-v1"], slow, "wilson")[0].measured == 40


def test_infrastructure_errors_do_not_count() -> None:
    episodes = [*outcomes(40, 0), episode(40, Outcome.SIM_ERROR)]
    result = evaluate_gates([gate(min=0.8)], ["a/b-v1"], episodes, "wilson")[0]
    assert result.episodes == 40


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"metric": "zero_events"}, "exactly one of 'criterion' or 'outcome'"),
        ({"metric": "criterion_value", "criterion": "x"}, "exactly one of 'max' or 'min'"),
        ({"metric": "bogus", "min": 0.5}, "does not match any of the expected tags"),
    ],
)
def test_malformed_gates(fields: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        GATE.validate_python(fields)


def test_sequential_gate_decides_on_the_index_ordered_prefix() -> None:
    from harness.plan.models import SequentialEpisodes

    settings = SequentialEpisodes(mode="sequential", max=200, indifference=0.1)
    rule = [gate(min=0.85)]
    passed = evaluate_gates(rule, ["a/b-v1"], outcomes(27, 0), "wilson", settings)[0]
    assert passed.verdict is GateVerdict.PASS
    assert passed.episodes == 27
    assert "sprt after 27" in passed.note
    shuffled = list(reversed(outcomes(40, 0)))  # completion order must not matter
    assert evaluate_gates(rule, ["a/b-v1"], shuffled, "wilson", settings)[0].episodes == 27
    early = evaluate_gates(rule, ["a/b-v1"], outcomes(20, 0), "wilson", settings)[0]
    assert early.verdict is GateVerdict.INCONCLUSIVE


def test_sequential_plan_needs_a_success_gate(tmp_path: object) -> None:
    from pathlib import Path

    from harness.errors import SpecError
    from harness.plan.resolve import load_plan

    path = Path(str(tmp_path)) / "plan.yaml"
    path.write_text(
        "skill: pick_place\nscenarios: [workstation/pick_place-v1]\n"
        "episodes: {mode: sequential, max: 100}\ngates: [{metric: zero_events, outcome: safety_stop}]\n"
    )
    with pytest.raises(SpecError, match="sequential mode needs a success_rate gate"):
        load_plan(path)
