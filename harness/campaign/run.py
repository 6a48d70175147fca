"""Running a whole plan: every episode, in waves when the plan is sequential, then the report.

A sequential plan runs each scenario's next episodes (as many as the backend has workers,
twice over, so they stay busy) until its SPRT is decided (``harness.verdicts.sequential``);
episodes that ran past a decision are left out of the report, so the same plan and seed give
the same report whatever the worker count.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Sequence

from harness.execution.runner import Backend, InProcessBackend, ResultHook
from harness.plan.conditions import ConditionsByScenario
from harness.plan.jobs import EpisodeJob, plan_jobs, with_conditions
from harness.plan.resolve import ResolvedPlan
from harness.report.build import build_report
from harness.report.model import Report
from harness.results import EpisodeResult
from harness.verdicts.sequential_decisions import decision_of, keep_decided, sequential_test

WAVES_PER_WORKER = 2


def run_plan(
    resolved: ResolvedPlan,
    on_result: ResultHook | None = None,
    given: ConditionsByScenario | None = None,
    *,
    backend: Backend | None = None,
    done: Sequence[EpisodeResult] = (),
) -> Report:
    """Run every episode of the plan not already ``done`` and build the report.

    ``backend`` defaults to :class:`InProcessBackend`. ``done`` holds results of an earlier,
    interrupted run (from its journal); only the missing episodes run.
    """
    if given is not None:
        resolved = with_conditions(resolved, given)
    started = time.perf_counter()
    finished = {(result.scenario, result.index): result for result in done}
    jobs = [job for job in plan_jobs(resolved, given) if (job.scenario, job.index) not in finished]
    results = list(finished.values())

    def collect(result: EpisodeResult) -> None:
        results.append(result)
        if on_result is not None:
            on_result(result)

    backend = backend or InProcessBackend()
    if resolved.plan.sequential is None:
        backend.run(resolved, jobs, collect)
        return build_report(resolved, results, time.perf_counter() - started)
    endurance = {s.spec.id for s in resolved.scenarios if s.cycles}
    _run_in_waves(resolved, [j for j in jobs if j.scenario not in endurance], results, collect, backend)
    if endurance:
        backend.run(resolved, [j for j in jobs if j.scenario in endurance], collect)
    kept, used = keep_decided(resolved, results)
    caps = {s.spec.id: s.episodes for s in resolved.scenarios}  # each sequential test's cap
    scenarios = [dataclasses.replace(s, episodes=used[s.spec.id]) for s in resolved.scenarios]
    return build_report(
        dataclasses.replace(resolved, scenarios=scenarios), kept, time.perf_counter() - started, caps
    )


def _run_in_waves(
    resolved: ResolvedPlan,
    jobs: list[EpisodeJob],
    results: list[EpisodeResult],
    collect: ResultHook,
    backend: Backend,
) -> None:
    """Run each scenario's next episodes until its sequential gate is decided or capped."""
    settings = resolved.plan.sequential
    assert settings is not None
    size = wave_size(getattr(backend, "workers", 1))
    sequential = [s for s in resolved.scenarios if not s.cycles]
    pending = {s.spec.id: [j for j in jobs if j.scenario == s.spec.id] for s in sequential}
    while True:
        wave = []
        for entry in sequential:
            mine = {r.index: r for r in results if r.scenario == entry.spec.id}
            test, confidence = sequential_test(resolved, entry.spec.id, settings, entry.episodes)
            if decision_of(mine, test, confidence) is None:
                wave += pending[entry.spec.id][:size]
                del pending[entry.spec.id][:size]
        if not wave:
            return
        backend.run(resolved, wave, collect)


def wave_size(workers: int) -> int:
    """Episodes per scenario in one wave: enough to keep every worker busy twice over."""
    return max(1, workers) * WAVES_PER_WORKER
