"""Parallel scaling: episodes per second with 1, 2, ... isolated workers, and the efficiency.

Runs the built-in pick-and-place plan (the Franka Panda in PyBullet) on the local backend.
Each worker count gets a warmed-up pool (every worker has built its world), then the same
episodes are timed. Efficiency at n workers = (episodes/s with n) / (n x episodes/s with 1);
the results of every run are checked to be identical.

As a control, the same episodes also run in n plain processes, each with its share of them in
process (no supervisor, no pipes, no isolation): what the machine itself gives at that moment.
On a machine shared with other work the two efficiencies drop together; the harness's own cost
is the gap between them.

Worker counts alternate over ``--rounds`` rounds, so a burst of load elsewhere hits them
alike; the figures are medians over the rounds, with their range.

    python benchmarks/scaling.py [--episodes 80] [--rounds 3] [--workers 1 2 4] [--seed 0]
"""

from __future__ import annotations

import argparse
import dataclasses
import multiprocessing
import os
import statistics
import time
from typing import Any

from harness.execution.pool import Supervisor, default_workers
from harness.execution.runner import InProcessBackend
from harness.plan.jobs import EpisodeJob, plan_jobs, with_overrides
from harness.plan.resolve import ResolvedPlan, load_plan
from harness.results import EpisodeResult

WARM_UP_PER_WORKER = 2
SCENARIO = "workstation/pick_place-v1"


def timed_run(
    plan: ResolvedPlan, jobs: list[EpisodeJob], warm_up: list[EpisodeJob], workers: int
) -> tuple[float, list[EpisodeResult]]:
    """Seconds to run ``jobs`` on ``workers`` warmed-up workers, and their results in plan order."""
    results: list[EpisodeResult] = []
    with Supervisor(plan, workers) as supervisor:
        supervisor.run(warm_up, lambda result: None)  # start processes, build worlds
        started = time.perf_counter()
        supervisor.run(jobs, results.append)
        elapsed = time.perf_counter() - started
    return elapsed, sorted(results, key=lambda r: r.index)


def _plain_share(plan: ResolvedPlan, share: list[EpisodeJob], warm_up: list[EpisodeJob], start: Any) -> None:
    backend = InProcessBackend()
    backend.run(plan, warm_up, lambda result: None)  # imports and the first world build
    start.wait()
    backend.run(plan, share, lambda result: None)


def plain_processes(
    plan: ResolvedPlan, jobs: list[EpisodeJob], warm_up: list[EpisodeJob], count: int
) -> float:
    """Seconds for ``count`` plain processes to run ``jobs`` between them (the control)."""
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(count + 1)
    shares = [jobs[i::count] for i in range(count)]
    processes = [
        context.Process(target=_plain_share, args=(plan, shares[i], warm_up[i : i + 1], start))
        for i in range(count)
    ]
    for process in processes:
        process.start()
    start.wait()
    started = time.perf_counter()
    for process in processes:
        process.join()
    return time.perf_counter() - started


def worker_counts(requested: list[int] | None) -> list[int]:
    if requested:
        return sorted(set([1, *requested]))
    cores = default_workers()
    counts = {1, 2, cores}
    counts |= {2**k for k in range(1, cores.bit_length()) if 2**k <= cores}
    return sorted(counts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--episodes", type=int, default=80)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, nargs="*", help="worker counts (default: 1, 2, ... cores)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    counts = worker_counts(args.workers)
    extra = WARM_UP_PER_WORKER * max(counts)
    default = load_plan(None)  # its workstation scenario: the Panda picking and placing
    workstation = [s for s in default.scenarios if s.spec.id == SCENARIO]
    plan = with_overrides(
        dataclasses.replace(default, scenarios=workstation), args.episodes + extra, args.seed
    )
    every = plan_jobs(plan)
    jobs, warm_up = every[: args.episodes], every[args.episodes :]
    print(
        f"{args.episodes} pick-and-place episodes (seed {args.seed}), {args.rounds} rounds; "
        f"{default_workers()} cores; load {_load()}"
    )
    rates: dict[int, list[float]] = {n: [] for n in counts}
    plain: dict[int, list[float]] = {n: [] for n in counts}
    reference: list[str] | None = None
    for _ in range(args.rounds):
        for workers in counts:
            elapsed, results = timed_run(plan, jobs, warm_up[: WARM_UP_PER_WORKER * workers], workers)
            rates[workers].append(len(jobs) / elapsed)
            deterministic = [r.deterministic_json() for r in results]
            reference = reference or deterministic
            if deterministic != reference:
                raise SystemExit(f"results with {workers} workers differ from those with {counts[0]}")
            plain[workers].append(len(jobs) / plain_processes(plan, jobs, warm_up, workers))
    one, plain_one = statistics.median(rates[1]), statistics.median(plain[1])
    for workers in counts:
        rate, control = statistics.median(rates[workers]), statistics.median(plain[workers])
        print(
            f"{workers:>3} worker(s): {rate:6.2f} episodes/s ({_range(rates[workers])}), "
            f"efficiency {rate / (workers * one):.3f}; control: {control:6.2f} episodes/s, "
            f"efficiency {control / (workers * plain_one):.3f}"
        )
    print(f"results identical for every worker count; load now {_load()}")


def _range(values: list[float]) -> str:
    return f"{min(values):.2f}-{max(values):.2f}"


def _load() -> str:
    return ", ".join(f"{value:.2f}" for value in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"


if __name__ == "__main__":
    main()
