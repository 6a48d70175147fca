"""Release gates: each one passes, fails or is inconclusive, and says why.

Rate gates pass when the one-sided lower bound clears the threshold and fail when the upper
bound is below it. Several rate gates are tested together with Holm-Bonferroni, so adding
gates does not inflate the chance that a bad skill passes one of them by luck; value gates
use Bonferroni-adjusted bootstrap intervals, zero-event gates are hard rules.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

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
from harness.results import EpisodeResult, Outcome, ReportModel, Verdict
from harness.verdicts.reliability import failures_per_1000
from harness.verdicts.sequential import Sprt, decide_sequentially
from harness.verdicts.statistics import (
    GateVerdict,
    IntervalMethod,
    holm_rejections,
    one_sided_bounds,
    pass_p_value,
    summarise_values,
)

METHOD_NAMES = {"wilson": "Wilson", "exact": "Clopper-Pearson"}


class GateResult(ReportModel):
    rule: str
    scenario: str
    metric: str
    threshold: float
    confidence: float
    measured: float | None
    lower_bound: float | None
    upper_bound: float | None
    verdict: GateVerdict
    p_value: float | None = None
    episodes: int
    note: str = ""


@dataclass
class _RateCheck:
    """A rate gate's numbers before the family-wise (Holm) decision."""

    index: int
    successes: int
    trials: int
    minimum: float
    confidence: float
    p_value: float


def evaluate_gates(
    gates: list[Gate],
    scenarios: list[str],
    episodes: list[EpisodeResult],
    method: IntervalMethod,
    sequential: SequentialEpisodes | None = None,
    faults: Mapping[str, Sequence[str]] | None = None,
) -> list[GateResult]:
    """Every gate on every scenario it covers; ``faults``: the fault names each scenario
    declares (a recovery gate without a scenario covers those declaring its fault)."""
    results: list[GateResult] = []
    checks: list[_RateCheck] = []
    scored = {s: [e for e in episodes if e.scenario == s and e.outcome.scored] for s in scenarios}
    value_gates = sum(isinstance(g, CriterionValueGate) for g in gates) * max(1, len(scenarios))
    for gate in gates:
        for scenario in scenarios:
            if not _covers(gate, scenario, faults):
                continue
            if sequential is not None and isinstance(gate, SuccessRateGate):
                results.append(_sequential_gate(gate, scenario, scored[scenario], sequential))
            else:
                results.append(
                    _evaluate(gate, scenario, scored[scenario], method, checks, len(results), value_gates)
                )
    _apply_holm(results, checks)
    return results


def _covers(gate: Gate, scenario: str, faults: Mapping[str, Sequence[str]] | None) -> bool:
    if scenario.endswith(ENDURANCE_SUFFIX) != isinstance(gate, InterventionsGate):
        return False  # endurance runs have a gate of their own, and only they have it
    if gate.scenario not in (None, scenario, scenario.removesuffix(ENDURANCE_SUFFIX)):
        return False
    if isinstance(gate, RecoveryRateGate) and faults is not None:
        return gate.fault in faults.get(scenario, ())  # only where the fault is declared
    return True


def _evaluate(
    gate: Gate, scenario: str, episodes: list[EpisodeResult], method: IntervalMethod,
    checks: list[_RateCheck], index: int, value_gates: int,
) -> GateResult:  # fmt: skip
    if isinstance(gate, SuccessRateGate | CriterionRateGate | RecoveryRateGate):
        return _rate_gate(gate, scenario, episodes, method, checks, index)
    if isinstance(gate, ZeroEventsGate):
        return _zero_events(gate, scenario, episodes)
    if isinstance(gate, InterventionsGate):
        return _interventions(gate, scenario, episodes, method)
    if isinstance(gate, EfficiencyGate):
        return efficiency_placeholder(gate, scenario)
    return _value_gate(gate, scenario, episodes, value_gates)


def _rate_gate(
    gate: SuccessRateGate | CriterionRateGate | RecoveryRateGate, scenario: str,
    episodes: list[EpisodeResult], method: IntervalMethod, checks: list[_RateCheck], index: int,
) -> GateResult:  # fmt: skip
    if isinstance(gate, SuccessRateGate):
        what, passed = "success rate", [e.outcome is Outcome.SUCCESS for e in episodes]
    elif isinstance(gate, RecoveryRateGate):
        what = f"recovery rate from '{gate.fault}'"
        hit = [e for e in episodes if any(f.name == gate.fault for f in e.faults)]
        passed = [e.outcome is Outcome.SUCCESS for e in hit]
    else:
        what = f"'{gate.criterion}' pass rate"
        verdicts = [_verdict_of(e, gate.criterion) for e in episodes]
        passed = [
            v in (Verdict.PASS, Verdict.ACCEPTABLE) for v in verdicts if v is not Verdict.NOT_APPLICABLE
        ]
    successes, trials = sum(passed), len(passed)
    p_value = pass_p_value(successes, trials, gate.min, method)
    checks.append(_RateCheck(index, successes, trials, gate.min, gate.confidence, p_value))
    lower, upper = one_sided_bounds(successes, trials, gate.confidence, method)
    return GateResult(
        rule=f"{what} >= {gate.min:g} at {gate.confidence:.0%} confidence "
        f"(one-sided {METHOD_NAMES[method]}, Holm)",
        scenario=scenario, metric=gate.metric, threshold=gate.min, confidence=gate.confidence,
        measured=successes / trials if trials else None, lower_bound=lower, upper_bound=upper,
        verdict=GateVerdict.FAIL if trials and upper < gate.min else GateVerdict.INCONCLUSIVE,
        p_value=p_value, episodes=trials,
    )  # fmt: skip


def efficiency_placeholder(gate: EfficiencyGate, scenario: str) -> GateResult:
    """Until the baseline skill's episodes are in (``harness.verdicts.improvement``) nothing is decided."""
    return GateResult(
        rule=f"cycle-time improvement over the baseline >= {gate.min:g} at {gate.confidence:.0%} "
        "confidence (paired bootstrap)",
        scenario=scenario, metric=gate.metric, threshold=gate.min, confidence=gate.confidence,
        measured=None, lower_bound=None, upper_bound=None, verdict=GateVerdict.INCONCLUSIVE, episodes=0,
        note="the baseline skill has not run",
    )  # fmt: skip


def _sequential_gate(
    gate: SuccessRateGate, scenario: str, episodes: list[EpisodeResult], settings: SequentialEpisodes
) -> GateResult:
    """The SPRT decides on the outcomes in episode-index order: the same whatever ran where."""
    ordered = [e.outcome is Outcome.SUCCESS for e in sorted(episodes, key=lambda e: e.index)]
    test = Sprt(gate.min, gate.min + settings.indifference, settings.alpha, settings.beta)
    decision = decide_sequentially(ordered, test, settings.max, gate.confidence)
    used = ordered[: decision.episodes] if decision else ordered
    lower, upper = one_sided_bounds(sum(used), len(used), gate.confidence)
    return GateResult(
        rule=f"success rate >= {gate.min:g}: sequential test against {test.p1:g} "
        f"(SPRT, alpha {settings.alpha:g}, beta {settings.beta:g}, at most {settings.max} episodes)",
        scenario=scenario, metric=gate.metric, threshold=gate.min, confidence=gate.confidence,
        measured=sum(used) / len(used) if used else None, lower_bound=lower, upper_bound=upper,
        verdict=decision.verdict if decision else GateVerdict.INCONCLUSIVE, episodes=len(used),
        note=f"decided by the {decision.by} after {decision.episodes} episodes" if decision else "undecided",
    )  # fmt: skip


def _apply_holm(results: list[GateResult], checks: list[_RateCheck]) -> None:
    """Rate gates pass only when Holm's step-down procedure rejects 'rate below minimum'."""
    if not checks:
        return
    # scale each p-value by its own alpha so gates with different confidences share one family
    alpha = 1 - min(c.confidence for c in checks)
    scaled = [c.p_value * alpha / (1 - c.confidence) for c in checks]
    for check, rejected in zip(checks, holm_rejections(scaled, alpha), strict=True):
        result = results[check.index]
        if rejected and check.trials:
            results[check.index] = result.model_copy(update={"verdict": GateVerdict.PASS})
        elif result.verdict is GateVerdict.INCONCLUSIVE and result.lower_bound is not None:
            note = (
                ""
                if result.lower_bound < check.minimum
                else "lower bound clears the threshold alone, not after Holm"
            )
            results[check.index] = result.model_copy(update={"note": note})


def _zero_events(gate: ZeroEventsGate, scenario: str, episodes: list[EpisodeResult]) -> GateResult:
    if gate.criterion is not None:
        what = f"episodes failing '{gate.criterion}'"
        events = sum(_verdict_of(e, gate.criterion) is Verdict.FAIL for e in episodes)
    else:
        what = f"'{gate.outcome}' outcomes"
        events = sum(e.outcome.value == gate.outcome for e in episodes)
    trials = len(episodes)
    _, upper = one_sided_bounds(events, trials, gate.confidence, "exact") if trials else (0.0, 1.0)
    return GateResult(
        rule=f"zero {what} (hard gate; {gate.confidence:.0%} upper bound on the rate reported)",
        scenario=scenario, metric=gate.metric, threshold=0.0, confidence=gate.confidence,
        measured=float(events), lower_bound=None, upper_bound=upper,
        verdict=GateVerdict.FAIL if events else (GateVerdict.PASS if trials else GateVerdict.INCONCLUSIVE),
        episodes=trials, note=f"{events} event(s) in {trials} episode(s)",
    )  # fmt: skip


def _interventions(
    gate: InterventionsGate, scenario: str, runs: list[EpisodeResult], method: IntervalMethod
) -> GateResult:
    succeeded = [c.outcome is Outcome.SUCCESS for run in runs for c in run.cycles]
    rate, low, high = failures_per_1000(succeeded, 2 * gate.confidence - 1, method)  # one-sided bounds
    cut_short = [r for r in runs if r.outcome not in (Outcome.SUCCESS, Outcome.FAILURE)]
    note = f"{len(succeeded) - sum(succeeded)} intervention(s) in {len(succeeded)} cycles"
    verdict = GateVerdict.INCONCLUSIVE
    if cut_short:  # killed (a hang, a memory hog): its missing cycles must not pass for clean ones
        verdict = GateVerdict.FAIL
        note += f"; {len(cut_short)} run(s) cut short: " + "; ".join(
            f"run {r.index}: {r.outcome.value} ({r.reason})" for r in cut_short[:3]
        )
    elif succeeded and high <= gate.max:
        verdict = GateVerdict.PASS
    elif succeeded and low > gate.max:
        verdict = GateVerdict.FAIL
    return GateResult(
        rule=f"interventions per 1000 cycles <= {gate.max:g} at {gate.confidence:.0%} confidence "
        f"(one-sided {METHOD_NAMES[method]})",
        scenario=scenario, metric=gate.metric, threshold=gate.max, confidence=gate.confidence,
        measured=rate, lower_bound=low, upper_bound=high, verdict=verdict, episodes=len(succeeded), note=note,
    )  # fmt: skip


def _value_gate(
    gate: CriterionValueGate, scenario: str, episodes: list[EpisodeResult], family: int
) -> GateResult:
    values = [
        c.measured
        for e in episodes
        for c in e.criteria
        if c.name == gate.criterion and c.measured is not None
    ]
    confidence = 1 - (1 - gate.confidence) / family  # Bonferroni across value gates
    summary = summarise_values(values, confidence=2 * confidence - 1)  # two-sided at 2c-1: one-sided c
    bound, above = (gate.max, False) if gate.max is not None else (gate.min, True)
    assert bound is not None
    verdict = GateVerdict.INCONCLUSIVE
    if summary is not None:
        if (summary.low >= bound) if above else (summary.high <= bound):
            verdict = GateVerdict.PASS
        elif (summary.high < bound) if above else (summary.low > bound):
            verdict = GateVerdict.FAIL
    sign = ">=" if above else "<="
    return GateResult(
        rule=f"median '{gate.criterion}' {sign} {bound:g} at {gate.confidence:.0%} confidence "
        "(bootstrap, Bonferroni)",
        scenario=scenario, metric=gate.metric, threshold=bound, confidence=gate.confidence,
        measured=summary.median if summary else None, lower_bound=summary.low if summary else None,
        upper_bound=summary.high if summary else None, verdict=verdict, episodes=len(values),
    )  # fmt: skip


def _verdict_of(episode: EpisodeResult, criterion: str) -> Verdict:
    for result in episode.criteria:
        if result.name == criterion:
            return result.verdict
    return Verdict.NOT_APPLICABLE
