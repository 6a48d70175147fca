"""The one-line command that runs a reported episode again, on its own, as it ran."""

from __future__ import annotations

import shlex

from harness.plan.resolve import default_plan_path
from harness.report.model import Report
from harness.results import EpisodeResult, Outcome


def reproduce_command(report: Report, episode: EpisodeResult) -> str:
    """``roboverify verify PLAN --seed S --only SCENARIO#INDEX --backend inprocess``: the same
    seed and conditions, in this process, where a debugger can stop in the skill."""
    plan = "" if report.plan.source == str(default_plan_path()) else f"{shlex.quote(report.plan.source)} "
    only = shlex.quote(f"{episode.scenario}#{episode.index}")
    return f"roboverify verify {plan}--seed {report.plan.seed} --only {only} --backend inprocess"


def failed_episodes(report: Report) -> list[EpisodeResult]:
    """The episodes that did not succeed, in plan order (infrastructure errors included)."""
    return [episode for episode in report.episodes if episode.outcome is not Outcome.SUCCESS]
