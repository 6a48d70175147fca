"""Value gates (a criterion's measured values) and zero-event gates.

A value gate bounds a quantile of the measurements, "median cycle time <= 8 s" or "at least
95 % of cycles <= 8 s", with an order statistic (``harness.verdicts.order_statistics``): exact
for any distribution, so a skill whose true quantile is on the wrong side passes with
probability at most its level. Value gates share alpha by Bonferroni. With too few values no
order statistic can bound the quantile at that level, and the gate says inconclusive.
"""

from __future__ import annotations

import numpy as np

from harness.plan.gates import CriterionValueGate, ZeroEventsGate
from harness.results import EpisodeResult, Verdict
from harness.verdicts import operating
from harness.verdicts.gate_result import GateResult, verdict_of
from harness.verdicts.order_statistics import (
    quantile_lower_bound,
    quantile_upper_bound,
    smallest_sample,
    within,
)
from harness.verdicts.statistics import GateVerdict, one_sided_bounds, pass_threshold


def value_gate(
    gate: CriterionValueGate, scenario: str, episodes: list[EpisodeResult], family: int
) -> GateResult:
    values = sorted(
        c.measured
        for e in episodes
        for c in e.criteria
        if c.name == gate.criterion and c.measured is not None
    )
    level = (1 - gate.confidence) / max(1, family)  # Bonferroni across value gates
    above = gate.min is not None
    bound = gate.min if above else gate.max
    assert bound is not None
    share = gate.within
    quantile = 1 - share if above else share  # at least `share` above min: the (1 - share)-quantile
    data = np.asarray(values, dtype=np.float64)
    lower = quantile_lower_bound(data, quantile, level) if values else None
    upper = quantile_upper_bound(data, quantile, level) if values else None
    verdict = _verdict(lower, upper, bound, above)
    count = within(values, bound, above)
    sign = ">=" if above else "<="
    what = "median" if gate.statistic == "median" else f"at least {share:.0%} of"
    variable = f"true share of '{gate.criterion}' values {sign} {bound:g}"
    return GateResult(
        rule=f"{what} '{gate.criterion}' {sign} {bound:g} at {gate.confidence:.0%} confidence "
        "(exact order statistic, Bonferroni)",
        scenario=scenario, metric=gate.metric, threshold=bound, confidence=gate.confidence,
        measured=float(np.quantile(data, quantile)) if values else None,
        lower_bound=lower, upper_bound=upper, verdict=verdict, episodes=len(values),
        note=_note(values, count, share, level, bound, sign),
        guarantee=f"exact for any distribution: if fewer than {share:.0%} of episodes are {sign} {bound:g}, "
        f"the gate passes with probability at most {level:.3g}",
        operating_characteristic=operating.fixed_n(
            variable, share, level, len(values), pass_threshold(len(values), share, level)
        ),
    )  # fmt: skip


def _verdict(lower: float | None, upper: float | None, bound: float, above: bool) -> GateVerdict:
    """Pass when the bound on the quantile is on the right side of ``bound``, fail when the
    opposite bound is on the wrong side."""
    passes, fails = (lower, upper) if above else (upper, lower)
    if passes is not None and (passes >= bound if above else passes <= bound):
        return GateVerdict.PASS
    if fails is not None and (fails < bound if above else fails > bound):
        return GateVerdict.FAIL
    return GateVerdict.INCONCLUSIVE


def _note(values: list[float], count: int, share: float, level: float, bound: float, sign: str) -> str:
    needed = smallest_sample(share, level)
    found = f"{count} of {len(values)} value(s) {sign} {bound:g}"
    if len(values) < needed:
        return f"{found}; at least {needed} values are needed to decide at this confidence"
    return found


def zero_events(gate: ZeroEventsGate, scenario: str, episodes: list[EpisodeResult]) -> GateResult:
    """A hard rule: any event fails; after none, the exact upper bound on the event rate."""
    if gate.criterion is not None:
        what = f"episodes failing '{gate.criterion}'"
        events = sum(verdict_of(e, gate.criterion) is Verdict.FAIL for e in episodes)
    else:
        what = f"'{gate.outcome}' outcomes"
        events = sum(e.outcome.value == gate.outcome for e in episodes)
    trials = len(episodes)
    _, upper = one_sided_bounds(events, trials, gate.confidence, "exact") if trials else (0.0, 1.0)
    clean = 1 - (one_sided_bounds(0, trials, gate.confidence, "exact")[1] if trials else 1.0)
    return GateResult(
        rule=f"zero {what} (hard gate; {gate.confidence:.0%} upper bound on the rate reported)",
        scenario=scenario, metric=gate.metric, threshold=0.0, confidence=gate.confidence,
        measured=float(events), lower_bound=None, upper_bound=upper,
        verdict=GateVerdict.FAIL if events else (GateVerdict.PASS if trials else GateVerdict.INCONCLUSIVE),
        episodes=trials, note=f"{events} event(s) in {trials} episode(s)",
        guarantee=f"a hard rule: any event fails; a skill with an event rate of {1 - clean:.3g} or more "
        f"passes with probability at most {1 - gate.confidence:.3g}",
        operating_characteristic=operating.fixed_n(
            "true share of episodes without the event", clean, 1 - gate.confidence, trials, trials or None
        ),
    )  # fmt: skip
