"""What loading roboverify's pytest plugin adds to pytest's start-up.

Runs ``pytest`` on one trivial test in a fresh interpreter, alternately with the plugin loaded
(``-p roboverify``) and disabled (``-p no:roboverify``), and prints the medians and their
difference, then the cost of importing the plugin module alone (the part of the difference
that is not noise). Other auto-loaded plugins are left as installed: the figure is what a user of
this environment sees::

    python benchmarks/pytest_plugin.py [--runs 15]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def pytest_seconds(folder: Path, plugin_option: str) -> float:
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        plugin_option,
        "-p",
        "no:cacheprovider",
        str(folder),
    ]
    started = time.perf_counter()
    subprocess.run(command, cwd=folder, check=True, capture_output=True)
    return time.perf_counter() - started


IMPORT_COST = """
import time, pytest
started = time.perf_counter()
import harness.pytest_plugin.plugin
print(time.perf_counter() - started)
"""


def import_seconds() -> float:
    """Importing the plugin module in an interpreter that has pytest loaded already."""
    done = subprocess.run([sys.executable, "-c", IMPORT_COST], check=True, capture_output=True, text=True)
    return float(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory(prefix="roboverify-pytest-") as name:
        folder = Path(name)
        (folder / "test_trivial.py").write_text("def test_trivial():\n    assert True\n")
        samples: dict[str, list[float]] = {"roboverify": [], "no:roboverify": []}
        pytest_seconds(folder, "roboverify")  # warm the file cache
        for _ in range(runs):
            for option, times in samples.items():
                times.append(pytest_seconds(folder, option))
    loaded, without = (statistics.median(samples[k]) for k in ("roboverify", "no:roboverify"))
    print(f"pytest -p no:roboverify    median {without * 1000:7.1f} ms ({runs} runs)")
    print(f"pytest -p roboverify       median {loaded * 1000:7.1f} ms ({runs} runs)")
    print(f"added by the plugin:              {(loaded - without) * 1000:7.1f} ms (target < 50 ms)")
    imports = statistics.median(import_seconds() for _ in range(runs))
    print(f"importing the plugin module alone: {imports * 1000:6.1f} ms (median of {runs}, pytest loaded)")


if __name__ == "__main__":
    main()
