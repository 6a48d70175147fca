"""Running a sequential plan: episodes in waves until each scenario's gate is decided.

Every wave runs the next few episode indices of each undecided scenario (as many as the
backend has workers, twice over, so they stay busy). After a wave, the SPRT is fed the
outcomes in episode-index order, up to the first index still missing, so the decision and the
episodes it used never depend on which worker finished first. Episodes that ran past a
decision are left out of the report: the same plan and seed give the same report whatever
the worker count.
"""

from __future__ import annotations

from collections.abc import Sequence

from harness.plan.gates import SuccessRateGate
from harness.plan.models import SequentialEpisodes
from harness.plan.resolve import ResolvedPlan
from harness.results import EpisodeResult, Outcome
from harness.verdicts.rate_gates import sequential_test as sequential_gate_test
from harness.verdicts.statistics import GateVerdict
from harness.verdicts.truncated_sprt import TruncatedSprt


def sequential_test(
    resolved: ResolvedPlan, scenario: str, settings: SequentialEpisodes, cap: int
) -> tuple[TruncatedSprt, float]:
    """The capped SPRT of a scenario's success-rate gate (resolution made sure there is one),
    and the gate's confidence (for the fail decision at the cap)."""
    gate = next(
        g for g in resolved.plan.gates if isinstance(g, SuccessRateGate) and g.scenario in (None, scenario)
    )
    return sequential_gate_test(gate, settings, cap), gate.confidence


def decision_of(
    results: dict[int, EpisodeResult], test: TruncatedSprt, confidence: float
) -> tuple[GateVerdict, int, str] | None:
    """Decide on the contiguous prefix of scored outcomes; infrastructure errors wait for retries."""
    prefix: list[bool] = []
    for index in range(test.cap):
        result = results.get(index)
        if result is None or not result.outcome.scored:
            break
        prefix.append(result.outcome is Outcome.SUCCESS)
    return test.decide(prefix, confidence)


def keep_decided(
    resolved: ResolvedPlan, results: Sequence[EpisodeResult]
) -> tuple[list[EpisodeResult], dict[str, int]]:
    """The results a sequential report is built from, and the episodes each scenario used."""
    settings = resolved.plan.sequential
    assert settings is not None
    kept: list[EpisodeResult] = []
    used: dict[str, int] = {}
    for entry in resolved.scenarios:
        mine = {r.index: r for r in results if r.scenario == entry.spec.id}
        if entry.cycles:  # endurance runs are a fixed number, outside the sequential test
            kept += [r for _, r in sorted(mine.items())]
            used[entry.spec.id] = entry.episodes
            continue
        test, confidence = sequential_test(resolved, entry.spec.id, settings, entry.episodes)
        decision = decision_of(mine, test, confidence)
        limit = decision[1] if decision is not None else entry.episodes
        used[entry.spec.id] = min(limit, len(mine)) if decision is None else limit
        kept += [r for index, r in sorted(mine.items()) if index < limit]
    return kept, used
