"""Parallel, interruptible runs through the command line: kill -9 and Ctrl-C of the runner, then
--resume to the same report; workers never outlive the runner; progress and usage errors."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from harness.campaign.run import run_plan
from harness.cli import main
from harness.execution.pool import LocalBackend
from harness.execution.runner import InProcessBackend

PlanWriter = Callable[..., Path]
SLOW = {"pause_s": 0.03}  # honest, but slow enough to be interrupted half-way
EPISODES = 60


@pytest.fixture(autouse=True)
def plain_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "250")
    monkeypatch.chdir(tmp_path)


def start_runner(plan: Path, out: Path) -> subprocess.Popen[str]:
    command = [
        sys.executable,
        "-m",
        "harness.cli",
        "verify",
        str(plan),
        "--out",
        str(out),
        "-j",
        "2",
        "--quiet",
    ]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def wait_for_lines(journal: Path, count: int, runner: subprocess.Popen[str]) -> int:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        lines = journal.read_bytes().count(b"\n") if journal.exists() else 0
        if lines >= count:
            return lines
        assert runner.poll() is None, f"the runner ended early: {runner.communicate()[0]}"
        time.sleep(0.01)
    raise AssertionError(f"fewer than {count} episodes in the journal after 120 s")


def descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (Linux /proc)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def gone(pids: set[int], within_s: float = 15.0) -> bool:
    """Whether all of ``pids`` ended (helpers such as the resource tracker take a moment)."""
    deadline = time.monotonic() + within_s
    while alive(pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not alive(pids)


def alive(pids: set[int]) -> set[int]:
    return {pid for pid in pids if Path(f"/proc/{pid}").exists() and _state(pid) != "Z"}


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return "Z"


def deterministic(out: Path) -> dict[str, Any]:
    report: dict[str, Any] = json.loads((out / "report.json").read_text())
    for key in ("created_utc", "wall_s"):
        report.pop(key)
    report["provenance"].pop("journal_sha256")  # the journal holds wall-clock times, in any order
    for episode in report["episodes"]:
        episode["timing"].pop("wall_s")
    return report


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds the workers through /proc")
def test_kill_9_of_the_runner_then_resume_gives_the_uninterrupted_report(
    reach_plan: PlanWriter, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = reach_plan({**SLOW, "behaviour": "raise", "rate": 0.2}, episodes=EPISODES)
    out = tmp_path / "run"
    runner = start_runner(plan, out)
    done = wait_for_lines(out / "journal.jsonl", 10, runner)
    workers = descendants(runner.pid)
    assert len(workers) >= 3, "a fork server and two workers"
    runner.send_signal(signal.SIGKILL)
    runner.communicate()
    assert done < EPISODES and not (out / "report.json").exists()
    assert gone(workers), "workers must die with their runner"

    capsys.readouterr()
    code = main(["verify", str(plan), "--out", str(out), "--resume", "--quiet", "-j", "2"])
    said = capsys.readouterr().out
    assert "resuming: " in said and " episodes already done" in said
    assert main(["verify", str(plan), "--out", str(tmp_path / "whole"), "--quiet"]) == code
    assert deterministic(out) == deterministic(tmp_path / "whole")
    journaled = [json.loads(line) for line in (out / "journal.jsonl").read_text().splitlines()]
    assert sorted(e["result"]["index"] for e in journaled) == list(range(EPISODES)), "each episode once"


def test_ctrl_c_stops_cleanly_and_says_how_to_resume(reach_plan: PlanWriter, tmp_path: Path) -> None:
    plan = reach_plan(SLOW, episodes=EPISODES)
    out = tmp_path / "run"
    runner = start_runner(plan, out)
    wait_for_lines(out / "journal.jsonl", 5, runner)
    workers = descendants(runner.pid)
    runner.send_signal(signal.SIGINT)
    said, _ = runner.communicate(timeout=60)
    assert runner.returncode == 130, said
    assert f" of {EPISODES} episodes are saved in {out}" in said
    assert f"continue with: roboverify verify {plan} --out {out} --resume" in said
    assert "Traceback" not in said
    assert gone(workers)
    assert main(["verify", str(plan), "--out", str(out), "--resume", "--quiet"]) == 0
    assert len(json.loads((out / "report.json").read_text())["episodes"]) == EPISODES


@pytest.mark.sim
def test_the_pybullet_workstation_on_two_workers_matches_this_process(write_plan: Any) -> None:
    plan = write_plan(episodes=6, seed=11)  # pick_place on workstation/pick_place-v1
    here = run_plan(plan, backend=InProcessBackend())
    there = run_plan(plan, backend=LocalBackend(2))
    assert [e.deterministic_json() for e in there.episodes] == [e.deterministic_json() for e in here.episodes]
    assert {e.outcome.value for e in here.episodes} >= {"success"}


def test_progress_counts_failures_by_outcome(
    reach_plan: PlanWriter, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = reach_plan({"behaviour": "segfault", "rate": 0.5}, gates=[{"min": 0.9}])
    assert main(["verify", str(plan), "--out", "out", "-j", "2"]) == 1
    said = capsys.readouterr().out
    assert "running on 2 worker processes" in said
    bar = next(line for line in said.splitlines() if line.startswith("testing/reach-v1 "))
    assert "6/6" in bar and "3 ok" in bar and "skill_error 3" in bar, bar


def test_quiet_prints_one_line_per_scenario(
    reach_plan: PlanWriter, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = reach_plan({"behaviour": "exit", "rate": 0.5}, gates=[{"min": 0.9}])
    assert main(["verify", str(plan), "--out", "out", "--quiet"]) == 1
    said = capsys.readouterr().out
    lines = [line for line in said.splitlines() if line.startswith("testing/reach-v1:")]
    assert len(lines) == 1
    assert lines[0].startswith("testing/reach-v1: 6/6 episodes, 3 success (50.0%), skill_error 3 (")
    assert not [line for line in said.splitlines() if line.startswith("testing/reach-v1 ")], "no bar"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            ["--address", "ray://head:10001"],
            "--address is the address of a Ray cluster; use it with --backend ray",
        ),
        (["--resume"], "--resume needs the --out folder of the run to continue"),
        (
            ["--backend", "inprocess", "-j", "2", "--out", "o"],
            "--backend inprocess runs one episode at a time",
        ),
        (["--resume", "--out", "nothing"], "there is no run to resume in 'nothing'"),
    ],
)
def test_option_problems_are_usage_errors(
    reach_plan: PlanWriter, capsys: pytest.CaptureFixture[str], options: list[str], message: str
) -> None:
    assert main(["verify", str(reach_plan()), *options]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


def test_the_ray_backend_without_ray_says_how_to_install_it(
    reach_plan: PlanWriter, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib

    real = importlib.import_module

    def no_ray(name: str, *args: Any) -> Any:
        if name == "ray":
            raise ImportError("No module named 'ray'")
        return real(name, *args)

    monkeypatch.setattr(importlib, "import_module", no_ray)
    assert main(["verify", str(reach_plan()), "--backend", "ray", "--out", "o"]) == 2
    err = capsys.readouterr().err
    assert "--backend ray needs Ray, which is not installed" in err
    assert "pip install 'roboverify[ray]'" in err
    assert not Path("o").exists(), "nothing is written before the backend is known to work"
