"""Start-up cost: ``roboverify --help``, ``import harness``, and ``roboverify verify`` up to the
moment its first episode is handed to a worker.

Each figure is the median of several runs, each in a fresh interpreter, as a user would start
it. The first-episode figure runs the real command on the built-in plan and stops the process
the moment the supervisor submits the first job (nothing is measured after that)::

    python benchmarks/startup.py [--runs 7]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FIRST_EPISODE = """
import os, sys
from harness.execution import worker

def submit(self, running):
    sys.stdout.write("dispatched\\n")
    sys.stdout.flush()
    os._exit(0)  # the workers die with this process

worker.WorkerHandle.submit = submit
from harness.cli import main
main(["verify", "--quiet", "--out", sys.argv[1]])
"""


def timed(command: list[str], until: str | None = None) -> float:
    """Seconds from starting ``command`` to its exit (or to the line ``until`` on its output)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert process.stdout is not None
    for line in process.stdout:
        if until is not None and line.strip() == until:
            break
    elapsed = time.perf_counter() - started
    process.wait()
    if until is None and process.returncode != 0:
        raise SystemExit(f"{command} exited with {process.returncode}")
    return elapsed


def first_episode() -> float:
    out = tempfile.mkdtemp(prefix="roboverify-startup-")
    try:
        return timed([sys.executable, "-c", FIRST_EPISODE, f"{out}/run"], until="dispatched")
    finally:
        shutil.rmtree(out, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    beside = Path(sys.executable).with_name("roboverify")  # the environment this script runs in
    roboverify = str(beside) if beside.is_file() else shutil.which("roboverify") or "roboverify"
    figures = {
        "python -c pass (the interpreter alone)": lambda: timed([sys.executable, "-c", "pass"]),
        "python -c 'import harness'": lambda: timed([sys.executable, "-c", "import harness"]),
        "roboverify --help": lambda: timed([roboverify, "--help"]),
        "roboverify verify, to the first episode dispatched": first_episode,
    }
    for name, measure in figures.items():
        samples = [measure() for _ in range(runs)]
        print(f"{name:55s} median {statistics.median(samples):.3f} s (min {min(samples):.3f}, {runs} runs)")


if __name__ == "__main__":
    main()
