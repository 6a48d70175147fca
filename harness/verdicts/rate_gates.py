"""Rate gates: success, criterion pass and recovery rates, sequential tests, interventions.

A rate gate passes when Holm's procedure over every rate gate rejects "the rate is below its
minimum" on exact binomial p-values, so a skill at or below the threshold of any of them
passes with probability at most alpha, for any number of episodes. A gate may ask for
``method: wilson``; it is then marked approximate and its result says how far a skill exactly
at the threshold can pass more often than alpha at the number of episodes it had.
"""

from __future__ import annotations

from harness.plan.gates import CriterionRateGate, InterventionsGate, RecoveryRateGate, SuccessRateGate
from harness.plan.models import SequentialEpisodes
from harness.results import EpisodeResult, Outcome, Verdict
from harness.verdicts import operating
from harness.verdicts.gate_result import METHOD_NAMES, GateResult, RateCheck, verdict_of
from harness.verdicts.reliability import failures_per_1000
from harness.verdicts.statistics import (
    GateVerdict,
    holm_levels,
    holm_rejections,
    one_sided_bounds,
    pass_p_value,
    pass_threshold,
)
from harness.verdicts.truncated_sprt import TruncatedSprt

RateGate = SuccessRateGate | CriterionRateGate | RecoveryRateGate


def rate_gate(
    gate: RateGate, scenario: str, episodes: list[EpisodeResult], checks: list[RateCheck], index: int
) -> GateResult:
    """The gate's numbers; its pass verdict waits for :func:`apply_holm`."""
    what, passed = _trials(gate, episodes)
    successes, trials = sum(passed), len(passed)
    p_value = pass_p_value(successes, trials, gate.min, gate.method)
    checks.append(RateCheck(index, successes, trials, gate.min, gate.confidence, p_value, gate.method, what))
    lower, upper = one_sided_bounds(successes, trials, gate.confidence, gate.method)
    return GateResult(
        rule=f"{what} >= {gate.min:g} at {gate.confidence:.0%} confidence "
        f"(one-sided {METHOD_NAMES[gate.method]}, Holm)",
        scenario=scenario, metric=gate.metric, threshold=gate.min, confidence=gate.confidence,
        measured=successes / trials if trials else None, lower_bound=lower, upper_bound=upper,
        verdict=GateVerdict.FAIL if trials and upper < gate.min else GateVerdict.INCONCLUSIVE,
        p_value=p_value, episodes=trials, exact=gate.method == "exact",
    )  # fmt: skip


def _trials(gate: RateGate, episodes: list[EpisodeResult]) -> tuple[str, list[bool]]:
    """What the gate counts, and one success or failure per episode it counts."""
    if isinstance(gate, SuccessRateGate):
        return "success rate", [e.outcome is Outcome.SUCCESS for e in episodes]
    if isinstance(gate, RecoveryRateGate):
        hit = [e for e in episodes if any(f.name == gate.fault for f in e.faults)]
        return f"recovery rate from '{gate.fault}'", [e.outcome is Outcome.SUCCESS for e in hit]
    verdicts = [verdict_of(e, gate.criterion) for e in episodes]
    passed = [v in (Verdict.PASS, Verdict.ACCEPTABLE) for v in verdicts if v is not Verdict.NOT_APPLICABLE]
    return f"'{gate.criterion}' pass rate", passed


def apply_holm(results: list[GateResult], checks: list[RateCheck]) -> None:
    """Rate gates pass only when Holm's step-down procedure rejects 'rate below minimum'; each
    gets the operating characteristic of the level it was tested at."""
    if not checks:
        return
    # scale each p-value by its own alpha so gates with different confidences share one family
    alpha = 1 - min(c.confidence for c in checks)
    scaled = [c.p_value * alpha / (1 - c.confidence) for c in checks]
    levels = holm_levels(scaled, alpha)
    for check, rejected, level in zip(checks, holm_rejections(scaled, alpha), levels, strict=True):
        own_level = level * (1 - check.confidence) / alpha
        result = results[check.index]
        update: dict[str, object] = _characteristic(check, own_level)
        if rejected and check.trials:
            update["verdict"] = GateVerdict.PASS
        elif result.verdict is GateVerdict.INCONCLUSIVE and result.lower_bound is not None:
            clears = result.lower_bound >= check.minimum
            update["note"] = "lower bound clears the threshold alone, not after Holm" if clears else ""
        results[check.index] = result.model_copy(update=update)


def _characteristic(check: RateCheck, level: float) -> dict[str, object]:
    threshold = pass_threshold(check.trials, check.minimum, level, check.method)
    curve = operating.fixed_n(f"true {check.variable}", check.minimum, level, check.trials, threshold)
    at_threshold = curve.false_pass_at_threshold
    if check.method == "exact":
        guarantee = (
            f"exact: a skill at or below {check.minimum:g} passes with probability at most {level:.3g} "
            f"(here {at_threshold:.3g} at {check.minimum:g} with {check.trials} episodes)"
        )
    else:
        excess = "above" if at_threshold > level + 1e-12 else "within"
        guarantee = (
            f"approximate (Wilson): with {check.trials} episodes a skill exactly at {check.minimum:g} "
            f"passes with probability {at_threshold:.3g}, {excess} the nominal {level:.3g}"
        )
    return {"operating_characteristic": curve, "guarantee": guarantee}


def sequential_gate(
    gate: SuccessRateGate,
    scenario: str,
    episodes: list[EpisodeResult],
    settings: SequentialEpisodes,
    cap: int,
) -> GateResult:
    """The capped SPRT decides on the outcomes in episode-index order: the same whatever ran where."""
    ordered = [e.outcome is Outcome.SUCCESS for e in sorted(episodes, key=lambda e: e.index)]
    test = sequential_test(gate, settings, cap)
    decision = test.decide(ordered, gate.confidence)
    used = ordered[: decision[1]] if decision else ordered
    lower, upper = one_sided_bounds(sum(used), len(used), gate.confidence, "exact")
    curve = operating.sequential(test)
    return GateResult(
        rule=f"success rate >= {gate.min:g}: sequential test against {test.p1:g} "
        f"(SPRT, alpha {settings.alpha:g}, beta {settings.beta:g}, at most {cap} episodes)",
        scenario=scenario, metric=gate.metric, threshold=gate.min, confidence=gate.confidence,
        measured=sum(used) / len(used) if used else None, lower_bound=lower, upper_bound=upper,
        verdict=decision[0] if decision else GateVerdict.INCONCLUSIVE, episodes=len(used),
        note=f"decided by {decision[2]} after {decision[1]} episodes" if decision else "undecided",
        guarantee=f"exact: a skill at or below {gate.min:g} passes with probability at most "
        f"{settings.alpha:g}, the cap included (here {curve.false_pass_at_threshold:.3g})",
        operating_characteristic=curve,
    )  # fmt: skip


def sequential_test(gate: SuccessRateGate, settings: SequentialEpisodes, cap: int) -> TruncatedSprt:
    """The capped SPRT of a success-rate gate: p0 its minimum, p1 that plus the indifference."""
    p1 = gate.min + settings.indifference
    return TruncatedSprt(gate.min, p1, settings.alpha, settings.beta, cap)


def interventions(gate: InterventionsGate, scenario: str, runs: list[EpisodeResult]) -> GateResult:
    """Endurance runs: exact bounds on interventions per 1000 cycles, cycles as independent trials."""
    succeeded = [c.outcome is Outcome.SUCCESS for run in runs for c in run.cycles]
    rate, low, high = failures_per_1000(succeeded, 2 * gate.confidence - 1, "exact")  # one-sided bounds
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
        "(one-sided Clopper-Pearson)",
        scenario=scenario, metric=gate.metric, threshold=gate.max, confidence=gate.confidence,
        measured=rate, lower_bound=low, upper_bound=high, verdict=verdict, episodes=len(succeeded), note=note,
        guarantee=f"exact if cycles are independent trials: a cell needing more than {gate.max:g} "
        f"interventions per 1000 cycles passes with probability at most {1 - gate.confidence:.3g}",
    )  # fmt: skip
