"""What a failed or inconclusive gate says in pytest's output: plain text, no traceback."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel

from harness.plan.gates import (
    CriterionRateGate,
    CriterionValueGate,
    RecoveryRateGate,
    ZeroEventsGate,
)
from harness.report.model import Report
from harness.results import EpisodeResult, Outcome, Verdict
from harness.verdicts.gate_result import GateResult, verdict_of

SHOWN_EPISODES = 5
LINE_LIMIT = 200


def episode_lines(offending: Sequence[EpisodeResult], counted: int | None = None) -> list[str]:
    """The first few episodes that count against a gate, with their seeds and reasons."""
    of = f" of {counted}" if counted is not None else ""
    lines = [f"episodes that count against it ({len(offending)}{of}):"]
    for episode in offending[:SHOWN_EPISODES]:
        reason = f": {episode.reason}" if episode.reason else ""
        lines.append(f"  #{episode.index} seed {episode.seed} {episode.outcome.value}{reason}"[:LINE_LIMIT])
    if len(offending) > SHOWN_EPISODES:
        lines.append(f"  ... and {len(offending) - SHOWN_EPISODES} more")
    return lines


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.4g}"


def gate_lines(result: GateResult) -> list[str]:
    """The gate, its verdict, the figures behind it and what it promises."""
    p_value = f"; p = {result.p_value:.3g}" if result.p_value is not None else ""
    lines = [
        f"{result.verdict.value.upper()}: {result.rule} [{result.scenario}]",
        f"measured {_number(result.measured)} over {result.episodes} episode(s); "
        f"{result.confidence:.0%} bounds [{_number(result.lower_bound)}, {_number(result.upper_bound)}], "
        f"threshold {result.threshold:g}{p_value}",
    ]
    if result.note:
        lines.append(f"note: {result.note}")
    if result.guarantee:
        lines.append(f"guarantee: {result.guarantee}")
    return lines


def offending_episodes(gate: BaseModel, episodes: Sequence[EpisodeResult]) -> list[EpisodeResult]:
    """The scored episodes that count against ``gate``, in index order."""
    scored = sorted((e for e in episodes if e.outcome.scored), key=lambda e: e.index)
    if isinstance(gate, CriterionRateGate):
        return [e for e in scored if verdict_of(e, gate.criterion) is Verdict.FAIL]
    if isinstance(gate, ZeroEventsGate):
        if gate.criterion is not None:
            return [e for e in scored if verdict_of(e, gate.criterion) is Verdict.FAIL]
        return [e for e in scored if e.outcome.value == gate.outcome]
    if isinstance(gate, CriterionValueGate):
        return [e for e in scored if _outside(gate, e)]
    if isinstance(gate, RecoveryRateGate):
        scored = [e for e in scored if any(f.name == gate.fault for f in e.faults)]
    return [e for e in scored if e.outcome is not Outcome.SUCCESS]


def _outside(gate: CriterionValueGate, episode: EpisodeResult) -> bool:
    for result in episode.criteria:
        if result.name == gate.criterion and result.measured is not None:
            if gate.max is not None:
                return result.measured > gate.max
            return gate.min is not None and result.measured < gate.min
    return False


def criteria_table(report: Report, scenario: str) -> list[str]:
    """Each criterion's verdict counts and worst value on ``scenario``, as aligned text."""
    summary = next((s for s in report.scenarios if s.scenario == scenario), None)
    if summary is None or not summary.criteria:
        return []
    width = max(len("criterion"), *(len(c.name) for c in summary.criteria))
    lines = [f"{'criterion':<{width}}  {'pass':>5} {'fail':>5} {'n/a':>5}  {'median':>9} {'worst':>9}"]
    for c in summary.criteria:
        passed = c.counts.get(Verdict.PASS, 0) + c.counts.get(Verdict.ACCEPTABLE, 0)
        failed, idle = c.counts.get(Verdict.FAIL, 0), c.counts.get(Verdict.NOT_APPLICABLE, 0)
        median = _number(c.values.median) if c.values else "-"
        worst = _number(c.values.worst) if c.values else "-"
        lines.append(f"{c.name:<{width}}  {passed:>5} {failed:>5} {idle:>5}  {median:>9} {worst:>9}")
    return lines
