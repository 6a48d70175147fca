"""Assessing the five dimensions of a report, and the run's verdict that follows from them."""

from __future__ import annotations

from collections.abc import Callable

from harness.report import figures
from harness.report.dimensions import (
    DIMENSIONS,
    Dimension,
    DimensionVerdict,
    Figure,
    comparison_dimension,
    comparison_verdict,
    decide,
)
from harness.report.model import Report, RunVerdict
from harness.results import Verdict
from harness.verdicts.compare import ComparisonVerdict

FIGURES: dict[str, Callable[[Report], list[Figure]]] = {
    "success": figures.success,
    "efficiency": figures.efficiency,
    "safety": figures.safety,
    "reliability": figures.reliability,
    "economics": figures.economics,
}
WHAT = {
    "success": "how often the task succeeded, per scenario",
    "efficiency": "cycle time and throughput, and the improvement over a baseline skill",
    "safety": "safety stops, contact with people, separation, speed and robot limits",
    "reliability": "failures between successes, recovery from injected faults, endurance, repeatability",
    "economics": "energy and cost per task, payback and net present value from the plan's cost model",
}


def assess(report: Report) -> Report:
    """The report with its dimensions assessed and its verdict derived from them."""
    dimensions = [_dimension(report, name, report.require_non_inferiority) for name in DIMENSIONS]
    verdict, reason = _run_verdict(report, dimensions)
    return report.model_copy(update={"dimensions": dimensions, "verdict": verdict, "verdict_reason": reason})


def _dimension(report: Report, name: str, require_non_inferiority: bool) -> Dimension:
    gates = [(i, g) for i, g in enumerate(report.gates) if g.dimension == name]
    verdict, reason = decide(name, gates, _other_evidence(report, name, require_non_inferiority))
    criteria = sorted(c for c, d in report.criterion_dimensions.items() if d == name)
    return Dimension(
        name=name, title=DIMENSIONS[name], verdict=verdict, reason=reason, assessed=WHAT[name],
        gates=[i for i, _ in gates], criteria=criteria, figures=FIGURES[name](report),
    )  # fmt: skip


def _other_evidence(report: Report, name: str, require: bool) -> list[tuple[str, DimensionVerdict]]:
    """Decisive evidence besides gates: the economics verdicts, comparisons with a baseline,
    the rerun check."""
    found = []
    if name == "economics":
        found += [
            (
                f"{e.scenario}: payback within {e.summary.threshold_months:g} months",
                _economics(e.summary.verdict),
            )
            for e in report.economics
        ]
    if name == "reliability":
        found += [
            (
                f"{c.scenario}: results repeat",
                DimensionVerdict.FAIL if c.outcome_flips or c.drifted else DimensionVerdict.PASS,
            )
            for c in report.flakiness
        ]
    for c in report.comparisons:
        if comparison_dimension(c, report.criterion_dimensions) != name:
            continue
        # a comparison decides only against the skill: a regression, or non-inferiority the plan
        # requires and did not get; being no worse than a baseline is not a pass by itself
        if c.verdict is ComparisonVerdict.REGRESSED:
            found.append((f"{c.scenario}: {c.metric} against the baseline", comparison_verdict(c)))
        elif require and c.verdict is ComparisonVerdict.INCONCLUSIVE:
            found.append((f"{c.scenario}: non-inferiority of {c.metric}", DimensionVerdict.INCONCLUSIVE))
    return found


def _repeats(differing: list[int]) -> DimensionVerdict:
    return DimensionVerdict.FAIL if differing else DimensionVerdict.PASS


def _economics(verdict: Verdict) -> DimensionVerdict:
    return DimensionVerdict.PASS if verdict is Verdict.PASS else DimensionVerdict.FAIL


def _run_verdict(report: Report, dimensions: list[Dimension]) -> tuple[RunVerdict, str]:
    unscored = [s.scenario for s in report.scenarios if s.unscored or s.attempted < s.planned]
    if unscored:
        return RunVerdict.INVALID, f"infrastructure errors left episodes unscored in: {', '.join(unscored)}"
    flaky = [
        f"{c.scenario} episode(s) {c.outcome_flips + c.drifted}"
        for c in report.flakiness
        if c.outcome_flips or c.drifted
    ]
    if flaky:
        return RunVerdict.INVALID, (
            "results did not repeat with the same seed and conditions (a harness defect, or a skill "
            "drawing unseeded randomness): " + "; ".join(flaky)
        )
    for verdict, run_verdict in (
        (DimensionVerdict.FAIL, RunVerdict.FAIL),
        (DimensionVerdict.INCONCLUSIVE, RunVerdict.INCONCLUSIVE),
    ):
        which = [d for d in dimensions if d.verdict is verdict]
        if which:
            return run_verdict, "; ".join(f"{d.title}: {d.reason}" for d in which)
    assessed = [d.title for d in dimensions if d.verdict is DimensionVerdict.PASS]
    if not assessed:  # never a silent pass
        return RunVerdict.INCONCLUSIVE, "no gate assessed anything; add gates to the plan"
    return RunVerdict.PASS, f"passed: {', '.join(assessed)}"
