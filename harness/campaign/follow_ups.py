"""What a run adds to its report once its own episodes are in.

A comparison with an earlier report (``--baseline-report``), the rerun check that results
repeat (``reliability.rerun_episodes``) and the baseline skill's run on the same episodes (for
``efficiency_improvement`` gates and non-inferiority against current practice). Each one
reports what it is about to do through ``say``, because each can take a while.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from harness.campaign.run import run_plan
from harness.execution.runner import Backend
from harness.plan.conditions import ConditionsByScenario
from harness.plan.jobs import rerun_jobs
from harness.plan.resolve import ResolvedPlan
from harness.report.build import with_baseline, with_comparisons, with_flakiness, with_improvements
from harness.report.model import Report
from harness.results import EpisodeResult
from harness.verdicts.flakiness import compare_reruns

Say = Callable[[str], None]


def with_follow_ups(
    report: Report,
    resolved: ResolvedPlan,
    backend: Backend,
    given: ConditionsByScenario | None = None,
    *,
    baseline_report: str | None = None,
    say: Say = lambda text: None,
) -> Report:
    """The report with every follow-up the plan (or ``baseline_report``) asks for."""
    if baseline_report is not None:
        report = with_baseline(report, resolved, baseline_report)
    report = _with_reruns(report, resolved, backend, say)
    return _with_baseline_skill(report, resolved, backend, given, say)


def _with_reruns(report: Report, resolved: ResolvedPlan, backend: Backend, say: Say) -> Report:
    reruns = rerun_jobs(report.episodes, resolved.plan.reliability.rerun_episodes)
    if not reruns:
        return report
    say(f"running {len(reruns)} episode(s) again to check that results repeat")
    again: list[EpisodeResult] = []
    backend.run(resolved, reruns, again.append)
    return with_flakiness(report, compare_reruns(report.episodes, again))


def _with_baseline_skill(
    report: Report, resolved: ResolvedPlan, backend: Backend, given: ConditionsByScenario | None, say: Say
) -> Report:
    baselines = [b for s in resolved.scenarios if (b := s.as_baseline()) is not None]
    if not baselines:
        return report
    say(f"running the baseline skill on the same {len(baselines)} scenario(s)'s episodes")
    comparison = dataclasses.replace(resolved, scenarios=baselines)
    baseline = run_plan(comparison, None, given, backend=backend)
    report = with_improvements(report, resolved, baseline.episodes)
    names = ", ".join(dict.fromkeys(f"baseline skill '{b.skill.name}'" for b in baselines))
    return with_comparisons(report, resolved, baseline.episodes, names)
