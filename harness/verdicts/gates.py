"""Release gates: each one passes, fails or is inconclusive, says why, and says what it promises.

Families that share alpha (docs/statistics.md):

- Rate gates (``success_rate``, ``criterion_pass_rate``, ``recovery_rate``), across every
  gate and scenario, are one family tested with Holm's step-down procedure on exact binomial
  p-values: the chance that any skill below its threshold passes any of them is at most
  alpha (1 - the smallest confidence among them).
- Value gates (``criterion_value``) are a second family: each is decided by an exact
  order-statistic bound at alpha divided by the number of value gates (Bonferroni).
- Sequential success-rate gates (a capped SPRT), interventions, zero-event and efficiency
  gates are decided on their own, at their own confidence.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from harness.plan.gates import (
    CriterionRateGate,
    CriterionValueGate,
    EfficiencyGate,
    Gate,
    InterventionsGate,
    RecoveryRateGate,
    SuccessRateGate,
    ZeroEventsGate,
)
from harness.plan.models import ENDURANCE_SUFFIX, SequentialEpisodes
from harness.results import EpisodeResult
from harness.verdicts import rate_gates, value_gates
from harness.verdicts.gate_result import GateResult, RateCheck, gate_dimension
from harness.verdicts.statistics import GateVerdict, IntervalMethod

__all__ = ["evaluate_gates", "gate_pairs"]


def evaluate_gates(
    gates: list[Gate],
    scenarios: list[str],
    episodes: list[EpisodeResult],
    method: IntervalMethod,
    sequential: SequentialEpisodes | None = None,
    faults: Mapping[str, Sequence[str]] | None = None,
    sequential_caps: Mapping[str, int] | None = None,
    criterion_dimensions: Mapping[str, str] | None = None,
) -> list[GateResult]:
    """Every gate on every scenario it covers; ``faults``: the fault names each scenario
    declares (a recovery gate without a scenario covers those declaring its fault).
    ``method`` is the interval shown for rates; it does not change how gates decide."""
    pairs = gate_pairs(gates, scenarios, faults)
    scored = {s: [e for e in episodes if e.scenario == s and e.outcome.scored] for s in scenarios}
    value_family = sum(isinstance(g, CriterionValueGate) for g, _ in pairs)
    results: list[GateResult] = []
    checks: list[RateCheck] = []
    for gate, scenario in pairs:
        mine = scored[scenario]
        if sequential is not None and isinstance(gate, SuccessRateGate):
            cap = (sequential_caps or {}).get(scenario, sequential.max)
            results.append(rate_gates.sequential_gate(gate, scenario, mine, sequential, cap))
        elif isinstance(gate, SuccessRateGate | CriterionRateGate | RecoveryRateGate):
            results.append(rate_gates.rate_gate(gate, scenario, mine, checks, len(results)))
        elif isinstance(gate, ZeroEventsGate):
            results.append(value_gates.zero_events(gate, scenario, mine))
        elif isinstance(gate, InterventionsGate):
            results.append(rate_gates.interventions(gate, scenario, mine))
        elif isinstance(gate, EfficiencyGate):
            results.append(efficiency_placeholder(gate, scenario))
        else:
            results.append(value_gates.value_gate(gate, scenario, mine, value_family))
    rate_gates.apply_holm(results, checks)
    dimensions = criterion_dimensions or {}
    return [
        r.model_copy(update={"dimension": gate_dimension(g, dimensions)})
        for r, (g, _) in zip(results, pairs, strict=True)
    ]


def gate_pairs(
    gates: Sequence[Gate], scenarios: Sequence[str], faults: Mapping[str, Sequence[str]] | None = None
) -> list[tuple[Gate, str]]:
    """Every gate with every scenario it covers, in the order the report lists their results."""
    return [(g, s) for g in gates for s in scenarios if _covers(g, s, faults)]


def _covers(gate: Gate, scenario: str, faults: Mapping[str, Sequence[str]] | None) -> bool:
    if scenario.endswith(ENDURANCE_SUFFIX) != isinstance(gate, InterventionsGate):
        return False  # endurance runs have a gate of their own, and only they have it
    if gate.scenario not in (None, scenario, scenario.removesuffix(ENDURANCE_SUFFIX)):
        return False
    if isinstance(gate, RecoveryRateGate) and faults is not None:
        return gate.fault in faults.get(scenario, ())  # only where the fault is declared
    return True


def efficiency_placeholder(gate: EfficiencyGate, scenario: str) -> GateResult:
    """Until the baseline skill's episodes are in (``harness.verdicts.improvement``) nothing is decided."""
    return GateResult(
        rule=f"cycle-time improvement over the baseline >= {gate.min:g} at {gate.confidence:.0%} "
        "confidence (paired studentized bootstrap)",
        scenario=scenario, metric=gate.metric, threshold=gate.min, confidence=gate.confidence,
        measured=None, lower_bound=None, upper_bound=None, verdict=GateVerdict.INCONCLUSIVE, episodes=0,
        note="the baseline skill has not run", exact=False,
        guarantee="approximate: a studentized bootstrap bound (no exact method exists for a ratio of "
        "means); its coverage is checked by simulation (docs/statistics.md)",
    )  # fmt: skip
