"""Statistical assertions for tests: the plan's gates, asked from a test function.

Each assertion decides exactly as the gate of the same name in a plan does (exact binomial
test, exact order statistic, hard zero-event rule; docs/statistics.md), so its false-pass rate
is at most ``1 - confidence``. A failed assertion says what was measured, the interval, and
which episodes failed with their seeds and the command that runs each again. An inconclusive
one (too few episodes to decide either way) is never a pass: it fails, skips or xfails, as
``on_inconclusive``, ``--roboverify-inconclusive`` or the ini value ``roboverify_inconclusive``
says (in that order; fail when none does).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Literal

import pytest
from pydantic import BaseModel, ValidationError

from harness.plan.gates import CriterionRateGate, CriterionValueGate, SuccessRateGate, ZeroEventsGate
from harness.pytest_plugin import settings
from harness.pytest_plugin.explain import episode_lines, gate_lines, offending_episodes
from harness.pytest_plugin.runs import VerificationRun
from harness.pytest_plugin.settings import Inconclusive
from harness.results import EpisodeResult
from harness.verdicts.gate_result import GateResult
from harness.verdicts.gates import evaluate_gates
from harness.verdicts.statistics import GateVerdict

Results = VerificationRun | Sequence[EpisodeResult]
EventOutcome = Literal["failure", "timeout", "safety_stop", "skill_error"]


class InconclusiveVerdict(AssertionError):
    """Too few episodes to decide: with ``on_inconclusive='fail'``, a test failure of its own kind."""


def assert_rate(
    results: Results,
    at_least: float,
    *,
    criterion: str | None = None,
    confidence: float = 0.95,
    scenario: str | None = None,
    on_inconclusive: Inconclusive | None = None,
) -> list[GateResult]:
    """The success rate (or, with ``criterion``, that criterion's pass rate) is at least
    ``at_least``: passes when the exact one-sided lower bound clears it, fails when the upper
    bound is below it. Returns one result per scenario (Holm across them)."""
    __tracebackhide__ = True  # a failure points at the test's line, not at this module
    fields: dict[str, Any] = {"min": at_least, "confidence": confidence}
    if criterion is None:
        gate: BaseModel = _gate(SuccessRateGate, "assert_rate", fields)
    else:
        gate = _gate(
            CriterionRateGate,
            "assert_rate",
            {**fields, "metric": "criterion_pass_rate", "criterion": criterion},
        )
    return _check(gate, results, scenario, on_inconclusive)


def assert_value(
    results: Results,
    criterion: str,
    *,
    at_most: float | None = None,
    at_least: float | None = None,
    share: float | None = None,
    confidence: float = 0.95,
    scenario: str | None = None,
    on_inconclusive: Inconclusive | None = None,
) -> list[GateResult]:
    """The median of ``criterion``'s measured values (or, with ``share``, that share of them)
    is at most ``at_most`` (or at least ``at_least``), shown by an exact order statistic."""
    __tracebackhide__ = True
    if (at_most is None) == (at_least is None):
        raise ValueError("assert_value(): give exactly one of at_most or at_least")
    fields = {
        "metric": "criterion_value", "criterion": criterion, "max": at_most, "min": at_least,
        "statistic": "median" if share is None else "share", "share": share, "confidence": confidence,
    }  # fmt: skip
    return _check(_gate(CriterionValueGate, "assert_value", fields), results, scenario, on_inconclusive)


def assert_no_events(
    results: Results,
    *,
    criterion: str | None = None,
    outcome: EventOutcome | None = None,
    confidence: float = 0.95,
    scenario: str | None = None,
    on_inconclusive: Inconclusive | None = None,
) -> list[GateResult]:
    """No episode fails ``criterion`` (or ends with ``outcome``): a hard rule; the results give
    the upper bound on the event rate that the clean episodes show."""
    __tracebackhide__ = True
    fields = {"metric": "zero_events", "criterion": criterion, "outcome": outcome, "confidence": confidence}
    return _check(_gate(ZeroEventsGate, "assert_no_events", fields), results, scenario, on_inconclusive)


KEYWORDS = {"min": "at_least", "max": "at_most"}


def _gate(model: type[BaseModel], function: str, fields: dict[str, Any]) -> BaseModel:
    """The gate model, or a ValueError that names the keyword argument at fault."""
    try:
        return model.model_validate(fields)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(KEYWORDS.get(str(part), str(part)) for part in first["loc"])
        raise ValueError(f"{function}(): {where + ': ' if where else ''}{first['msg']}") from None


def _check(
    gate: BaseModel, results: Results, scenario: str | None, on_inconclusive: Inconclusive | None
) -> list[GateResult]:
    __tracebackhide__ = True
    episodes = list(results)
    scenarios = [scenario] if scenario is not None else list(dict.fromkeys(e.scenario for e in episodes))
    if not scenarios:
        _inconclusive("no episodes to judge: the results are empty", on_inconclusive)
    judged = evaluate_gates([gate], scenarios, episodes, "exact")  # type: ignore[list-item]
    run = results if isinstance(results, VerificationRun) else None
    failed = [r for r in judged if r.verdict is GateVerdict.FAIL]
    if failed:
        raise AssertionError(_explain(failed, gate, episodes, run))
    open_ = [r for r in judged if r.verdict is GateVerdict.INCONCLUSIVE]
    if open_:
        _inconclusive(_explain(open_, gate, episodes, run), on_inconclusive)
    return judged


def _explain(
    judged: Iterable[GateResult], gate: BaseModel, episodes: list[EpisodeResult], run: VerificationRun | None
) -> str:
    lines: list[str] = []
    for result in judged:
        lines += gate_lines(result)
        offending = offending_episodes(gate, [e for e in episodes if e.scenario == result.scenario])
        lines += _episode_lines(offending, run)
    return "\n".join(lines)


def _episode_lines(offending: list[EpisodeResult], run: VerificationRun | None) -> list[str]:
    if not offending:
        return []
    lines = episode_lines(offending)
    if run is not None:
        lines.append(f"reproduce #{offending[0].index}: {run.reproduce(offending[0])}")
        if run.rerun_test:
            lines.append(f"rerun the test: {run.rerun_test}")
    return lines


def _inconclusive(message: str, mode: Inconclusive | None) -> None:
    __tracebackhide__ = True
    chosen = mode or settings.default_inconclusive()
    text = f"inconclusive (neither pass nor fail at this confidence; more episodes decide it)\n{message}"
    if chosen == "skip":
        pytest.skip(text)
    if chosen == "xfail":
        pytest.xfail(text)
    raise InconclusiveVerdict(text)
