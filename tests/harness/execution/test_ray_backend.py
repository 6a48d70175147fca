"""The Ray backend on a local multi-node cluster: same episodes, same isolation, same report as a
local run. Needs ``pip install 'roboverify[ray]'``; run with ``pytest -m ray``."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from harness.campaign.run import run_plan
from harness.cli import main
from harness.execution.pool import LocalBackend
from harness.plan.resolve import load_plan
from harness.results import Outcome
from harness.testing.hostile import hostile_episode

ray = pytest.importorskip("ray")
pytestmark = pytest.mark.ray
PlanWriter = Callable[..., Path]


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    """A head and a second node, one CPU each: two actors must land on different nodes."""
    from ray.cluster_utils import Cluster

    local = Cluster(initialize_head=True, head_node_args={"num_cpus": 1})
    local.add_node(num_cpus=1)
    local.wait_for_nodes()
    yield local
    local.shutdown()


def test_ray_runs_the_same_episodes_as_a_local_run(cluster: Any, reach_plan: PlanWriter) -> None:
    from harness.execution.ray_backend import RayBackend

    plan = load_plan(
        reach_plan({"behaviour": "hang", "rate": 0.3}, episodes=10, limits={"episode_wall_s": 2})
    )
    on_ray = run_plan(plan, backend=RayBackend(address=cluster.address))
    local = run_plan(plan, backend=LocalBackend(2))
    assert [e.deterministic_json() for e in on_ray.episodes] == [
        e.deterministic_json() for e in local.episodes
    ]
    assert on_ray.scenarios == local.scenarios
    assert on_ray.gates == local.gates
    hung = [e for e in on_ray.episodes if hostile_episode(e.seed, 0.3)]
    assert hung and all(e.outcome is Outcome.SKILL_ERROR and "wall-clock limit" in e.reason for e in hung)
    assert not ray.is_initialized(), "a connection made for the run is closed after it"


@pytest.mark.parametrize("behaviour", ["segfault", "memory"])
def test_a_crashing_skill_costs_one_episode_on_a_cluster_too(
    cluster: Any, reach_plan: PlanWriter, behaviour: str
) -> None:
    from harness.execution.ray_backend import RayBackend

    plan = load_plan(
        reach_plan(
            {"behaviour": behaviour, "rate": 0.5}, limits={"worker_memory_mb": 300, "episode_wall_s": 60}
        )
    )
    report = run_plan(plan, backend=RayBackend(address=cluster.address, workers=2))
    for episode in report.episodes:
        bad = hostile_episode(episode.seed, 0.5)
        assert episode.outcome is (Outcome.SKILL_ERROR if bad else Outcome.SUCCESS), episode
        if bad:
            assert "at tick 1 (in skill act)" in episode.reason


def test_verify_on_a_cluster_from_the_command_line(
    cluster: Any, reach_plan: PlanWriter, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = reach_plan({"behaviour": "raise", "rate": 0.3}, episodes=8)
    ray_out, local_out = tmp_path / "ray", tmp_path / "local"
    code = main(
        ["verify", str(plan), "--out", str(ray_out), "--backend", "ray", "--address", cluster.address]
    )
    said = " ".join(capsys.readouterr().out.split())  # rich wraps long lines
    assert f"running on the Ray cluster at {cluster.address}" in said
    assert main(["verify", str(plan), "--out", str(local_out), "--quiet"]) == code

    def episodes(out: Path) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = json.loads((out / "report.json").read_text())["episodes"]
        for episode in found:
            episode["timing"].pop("wall_s")
        return found

    assert episodes(ray_out) == episodes(local_out)


def deterministic(report: Any) -> list[str]:
    return [e.deterministic_json() for e in report.episodes]


def test_more_workers_than_the_cluster_has_cpus_still_finishes(cluster: Any, reach_plan: PlanWriter) -> None:
    from harness.execution.ray_backend import RayBackend

    plan = load_plan(reach_plan(episodes=4))
    report = run_plan(plan, backend=RayBackend(address=cluster.address, workers=4))  # 2 CPUs
    assert [e.outcome for e in report.episodes] == [Outcome.SUCCESS] * 4


def test_losing_a_node_mid_run_loses_no_episode(
    cluster: Any, reach_plan: PlanWriter, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Three one-CPU nodes, three actors: one per node. The third node goes away while its actor
    holds jobs; they run elsewhere and the report is the one a local run gives."""
    from harness.execution import ray_backend
    from harness.execution.ray_backend import RayBackend

    lost: list[Any] = []
    original = ray_backend._Driver._lost
    monkeypatch.setattr(ray_backend._Driver, "_lost", lambda self, *a: (lost.append(a), original(self, *a)))

    node = cluster.add_node(num_cpus=1)
    cluster.wait_for_nodes()
    plan = load_plan(reach_plan({"pause_s": 0.1, "behaviour": "raise", "rate": 0.2}, episodes=24))
    removed = threading.Event()
    seen: list[Any] = []

    def collect(result: Any) -> None:
        seen.append(result)
        if len(seen) == 4:
            threading.Thread(target=lambda: (cluster.remove_node(node), removed.set())).start()

    report = run_plan(plan, collect, backend=RayBackend(address=cluster.address, workers=3))
    assert removed.wait(30)
    assert lost, "the node's actor held jobs when it went away"
    assert len(seen) == 24, "every episode exactly once"
    assert deterministic(report) == deterministic(run_plan(plan, backend=LocalBackend(2)))
