"""The layers of docs/architecture.md hold, and the contracts that keep them can fail.

``lint-imports`` checks the import-linter contracts in pyproject.toml (stages import only the
stages below them; contracts and plugins import no stage; only the sim backend imports
PyBullet). Here: they hold on the tree, they break on a planted violation, there is no import
cycle in the harness, and the example plugins keep to the plugin rule too.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("harness", "skills", "scenarios", "criteria", "sims")
STAGES = ("plan", "episode", "execution", "verdicts", "report", "campaign", "cli", "testing")


def lint_imports(cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    command = [
        sys.executable,
        "-c",
        "from importlinter.cli import lint_imports_command; lint_imports_command()",
    ]
    return subprocess.run(
        [*command, "--no-cache"], cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False
    )


def test_the_import_contracts_hold_on_the_tree() -> None:
    run = lint_imports(ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "BROKEN" not in run.stdout and run.stdout.count("KEPT") >= 5


def test_a_plugin_importing_a_stage_internal_breaks_a_contract(tmp_path: Path) -> None:
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    planted = tmp_path / "criteria" / "task_success.py"
    planted.write_text(planted.read_text() + "\nfrom harness.episode.engine import run_episode  # noqa\n")
    run = lint_imports(tmp_path, {**os.environ, "PYTHONPATH": str(tmp_path)})
    assert run.returncode != 0
    assert "Plugins import only the harness facade and its contract modules BROKEN" in run.stdout
    assert "criteria.task_success -> harness.episode.engine" in run.stdout


def test_the_harness_has_no_import_cycle() -> None:
    graph = grimp.build_graph("harness", exclude_type_checking_imports=True)
    cycles = [sorted(group) for group in _strongly_connected(graph) if len(group) > 1]
    assert cycles == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = grimp.ImportGraph()
    for importer, imported in (("p.a", "p.b"), ("p.b", "p.c"), ("p.c", "p.a"), ("p.c", "p.d")):
        graph.add_import(importer=importer, imported=imported)
    assert sorted(sorted(g) for g in _strongly_connected(graph) if len(g) > 1) == [["p.a", "p.b", "p.c"]]


def _strongly_connected(graph: grimp.ImportGraph) -> list[set[str]]:
    """Tarjan's algorithm over the module graph (iterative: the graph is deep)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []
    for root in sorted(graph.modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            module, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[module])
                if low[module] == index[module]:
                    group = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.add(member)
                        if member == module:
                            break
                    groups.append(group)
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(graph.find_modules_directly_imported_by(child)))))
            elif child in on_stack:
                low[module] = min(low[module], index[child])
    return groups


def test_example_plugins_import_no_stage_internal() -> None:
    found = []
    for path in sorted((ROOT / "examples").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            names += [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            found += [
                f"{path.relative_to(ROOT)}: {n}"
                for n in names
                if n.split(".")[:2][-1] in STAGES and n.startswith("harness.")
            ]
    assert found == []
