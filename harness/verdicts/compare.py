"""Comparison with a previous release: non-inferiority of success and criterion pass rates.

The difference of two proportions gets Newcombe's hybrid score interval (built from the two
Wilson intervals); when both runs used the same seeds and conditions, episodes are paired by
seed and the paired version of the interval is used, which is much tighter.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from pydantic import Field, ValidationError

from harness.errors import SpecError
from harness.plan.reading import REPORT_MAX_BYTES, read_text
from harness.results import EpisodeResult, Outcome, ReportModel, Verdict
from harness.verdicts.statistics import proportion_interval

Judge = Callable[[EpisodeResult], "bool | None"]
Key = TypeVar("Key", bound=Hashable)


class ComparisonVerdict(enum.StrEnum):
    IMPROVED = "improved"  # the whole interval is above zero
    NON_INFERIOR = "non_inferior"  # the interval stays above -margin
    INCONCLUSIVE = "inconclusive"
    REGRESSED = "regressed"  # the whole interval is below -margin


class RateComparison(ReportModel):
    scenario: str
    metric: str
    new_rate: float
    old_rate: float
    difference: float
    low: float
    high: float
    confidence: float
    margin: float
    paired: bool
    episodes: int = Field(description="Pairs when paired, else the new run's scored episodes.")
    verdict: ComparisonVerdict


@dataclass(frozen=True)
class Counts:
    successes: int
    trials: int


def newcombe_interval(new: Counts, old: Counts, confidence: float = 0.95) -> tuple[float, float]:
    """Newcombe's hybrid score interval (method 10) for new rate - old rate, independent runs."""
    p1, p2 = new.successes / new.trials, old.successes / old.trials
    l1, u1 = proportion_interval(new.successes, new.trials, confidence)
    l2, u2 = proportion_interval(old.successes, old.trials, confidence)
    difference = p1 - p2
    return (
        difference - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2),
        difference + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2),
    )


def newcombe_paired_interval(pairs: list[tuple[bool, bool]], confidence: float = 0.95) -> tuple[float, float]:
    """Newcombe's interval (method 10) for the difference of paired proportions (new, old)."""
    n = len(pairs)
    both = sum(a and b for a, b in pairs)
    only_new = sum(a and not b for a, b in pairs)
    only_old = sum(b and not a for a, b in pairs)
    neither = n - both - only_new - only_old
    p1, p2 = (both + only_new) / n, (both + only_old) / n
    l1, u1 = proportion_interval(both + only_new, n, confidence)
    l2, u2 = proportion_interval(both + only_old, n, confidence)
    margins = (both + only_new) * (only_old + neither) * (both + only_old) * (only_new + neither)
    phi = (both * neither - only_new * only_old) / math.sqrt(margins) if margins else 0.0
    dl1, du1, dl2, du2 = p1 - l1, u1 - p1, p2 - l2, u2 - p2
    difference = p1 - p2
    delta = math.sqrt(max(dl1**2 - 2 * phi * dl1 * du2 + du2**2, 0.0))
    epsilon = math.sqrt(max(du1**2 - 2 * phi * du1 * dl2 + dl2**2, 0.0))
    return max(-1.0, difference - delta), min(1.0, difference + epsilon)


def compare_runs(
    new: list[EpisodeResult], old: list[EpisodeResult], scenarios: list[str], margin: float, confidence: float
) -> list[RateComparison]:
    comparisons = []
    for scenario in scenarios:
        mine = [e for e in new if e.scenario == scenario and e.outcome.scored]
        theirs = [e for e in old if e.scenario == scenario and e.outcome.scored]
        if not mine or not theirs:
            continue
        metrics: list[tuple[str, Judge]] = [("success_rate", _succeeded)] + [
            (f"{name} pass rate", _passes(name)) for name in _shared_criteria(mine, theirs)
        ]
        for metric, judge in metrics:
            if any(judge(e) is not None for e in mine) and any(judge(e) is not None for e in theirs):
                comparisons.append(_compare(scenario, metric, judge, mine, theirs, margin, confidence))
    return comparisons


def _succeeded(episode: EpisodeResult) -> bool | None:
    return episode.outcome is Outcome.SUCCESS


def _passes(name: str) -> Judge:
    def judge(episode: EpisodeResult) -> bool | None:
        for result in episode.criteria:
            if result.name == name and result.verdict is not Verdict.NOT_APPLICABLE:
                return result.verdict in (Verdict.PASS, Verdict.ACCEPTABLE)
        return None

    return judge


def _shared_criteria(new: list[EpisodeResult], old: list[EpisodeResult]) -> list[str]:
    names = dict.fromkeys(c.name for e in new for c in e.criteria if c.name != "task_success")
    return [name for name in names if any(c.name == name for e in old for c in e.criteria)]


def _compare(
    scenario: str,
    metric: str,
    judge: Judge,
    new: list[EpisodeResult],
    old: list[EpisodeResult],
    margin: float,
    confidence: float,
) -> RateComparison:
    by_seed = {(e.seed, _key(e)): judge(e) for e in old}
    pairs = [(judge(e), by_seed.get((e.seed, _key(e)))) for e in new]
    paired = [(a, b) for a, b in pairs if a is not None and b is not None]
    new_values = [v for v in (judge(e) for e in new) if v is not None]
    old_values = [v for v in (judge(e) for e in old) if v is not None]
    if paired and len(paired) == len(new_values) == len(old_values):
        low, high = newcombe_paired_interval(paired, confidence)
        episodes, is_paired = len(paired), True
    else:
        low, high = newcombe_interval(_counts(new_values), _counts(old_values), confidence)
        episodes, is_paired = len(new_values), False
    new_rate, old_rate = sum(new_values) / len(new_values), sum(old_values) / len(old_values)
    return RateComparison(
        scenario=scenario,
        metric=metric,
        new_rate=new_rate,
        old_rate=old_rate,
        difference=new_rate - old_rate,
        low=low,
        high=high,
        confidence=confidence,
        margin=margin,
        paired=is_paired,
        episodes=episodes,
        verdict=_verdict(low, high, margin),
    )


def compare_outcomes(
    scenario: str,
    metric: str,
    new: Mapping[Key, bool],
    old: Mapping[Key, bool],
    margin: float,
    confidence: float,
) -> RateComparison:
    """Non-inferiority of ``new`` against ``old``, each an episode key -> passed; paired when
    both hold the same keys (the same episodes run again), else as independent samples."""
    paired = new.keys() == old.keys()
    if paired:
        low, high = newcombe_paired_interval([(new[k], old[k]) for k in new], confidence)
    else:
        low, high = newcombe_interval(_counts(list(new.values())), _counts(list(old.values())), confidence)
    new_rate, old_rate = sum(new.values()) / len(new), sum(old.values()) / len(old)
    return RateComparison(
        scenario=scenario, metric=metric, new_rate=new_rate, old_rate=old_rate,
        difference=new_rate - old_rate, low=low, high=high, confidence=confidence, margin=margin,
        paired=paired, episodes=len(new), verdict=_verdict(low, high, margin),
    )  # fmt: skip


def _key(episode: EpisodeResult) -> str:
    return repr(sorted(episode.conditions.items()))


def _counts(values: list[bool]) -> Counts:
    return Counts(sum(values), len(values))


def _verdict(low: float, high: float, margin: float) -> ComparisonVerdict:
    if low > 0:
        return ComparisonVerdict.IMPROVED
    if low > -margin:
        return ComparisonVerdict.NON_INFERIOR
    if high < -margin:
        return ComparisonVerdict.REGRESSED
    return ComparisonVerdict.INCONCLUSIVE


class _BaselineFile(ReportModel):
    """What a comparison needs from an earlier report; the rest of it may differ in version."""

    model_config = ReportModel.model_config | {"extra": "ignore"}
    schema_version: str
    episodes: list[EpisodeResult]


def load_baseline(path: str) -> list[EpisodeResult]:
    """The episodes of an earlier report.json, read within the limits of harness.plan.reading."""
    text = read_text(Path(path), "baseline report", REPORT_MAX_BYTES)
    try:  # pydantic's JSON parser bounds nesting itself, and reads numbers of any length
        return _BaselineFile.model_validate_json(text).episodes
    except (ValueError, RecursionError) as error:
        if not isinstance(error, ValidationError):
            problem = f"not a JSON report ({error}); give the report.json of an earlier run"
            raise SpecError(path, [problem]) from None
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        field = f"field '{where}': " if where else ""
        raise SpecError(
            path,
            [
                f"not a roboverify report this version can compare with: {field}{first['msg']}; "
                "give the report.json of an earlier run"
            ],
        ) from None
