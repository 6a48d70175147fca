"""A run's manifest: what its results depend on, so a resumed run mixes only equal results.

``DIR/manifest.json`` holds hashes of the plan, the scenario specs and the plugins' code, the
harness version and the command line's overrides; two runs with equal manifests give equal
results.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from harness.plan.resolve import ResolvedPlan

MANIFEST = "manifest.json"


FORMAT = 2  # 2: journal lines carry an integrity chain, seeded by the manifest and its run id


class Manifest(BaseModel):
    """What a run's results depend on; two runs with equal manifests give equal results."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    format: int = FORMAT
    roboverify: str
    plan: str
    plan_sha256: str
    scenarios: dict[str, str]  # spec id -> sha256 of its spec file
    code: dict[str, str]  # top-level package (or module) of a plugin -> sha256 of its files
    skill: str
    seed: int
    episodes: dict[str, int]
    conditions_sha256: str | None = None
    run_id: str = ""  # random, set when the run starts: another run's journal lines never fit


def build_manifest(resolved: ResolvedPlan, version: str, conditions: Path | None = None) -> Manifest:
    classes: list[type] = [resolved.skill_class, *(c.criterion_class for c in resolved.criteria)]
    for entry in resolved.scenarios:
        classes += [entry.scenario_class, entry.sim_class, entry.skill_class]
    return Manifest(
        roboverify=version,
        plan=resolved.source,
        plan_sha256=file_sha256(Path(resolved.source)),
        scenarios={entry.spec.id: file_sha256(Path(entry.source)) for entry in resolved.scenarios},
        code={name: tree_sha256(paths) for name, paths in sorted(code_roots(classes).items())},
        skill=json.dumps(
            {entry.spec.id: entry.skill.model_dump() for entry in resolved.scenarios}, sort_keys=True
        ),
        seed=resolved.plan.seed,
        episodes={entry.spec.id: entry.episodes for entry in resolved.scenarios},
        conditions_sha256=file_sha256(conditions) if conditions is not None else None,
    )


def differences(stored: Manifest, current: Manifest) -> list[str]:
    """What changed since the stored run started, in words."""
    labels = {
        "format": "journal format (the run was started by another roboverify version)",
        "roboverify": "roboverify version",
        "plan_sha256": f"plan file ({current.plan})",
        "skill": "skill and its parameters",
        "seed": "seed (--seed)",
        "episodes": "episodes per scenario (--episodes)",
        "conditions_sha256": "conditions file (--conditions)",
    }
    found = [text for name, text in labels.items() if getattr(stored, name) != getattr(current, name)]
    if stored.scenarios.keys() != current.scenarios.keys():
        found.append(f"scenarios ({', '.join(stored.scenarios)} -> {', '.join(current.scenarios)})")
    else:
        found += [
            f"scenario spec {s}" for s in current.scenarios if stored.scenarios[s] != current.scenarios[s]
        ]
    changed = sorted(p for p in {*stored.code, *current.code} if stored.code.get(p) != current.code.get(p))
    found += [f"code of {package}" for package in changed]
    return found


def file_sha256(path: Path) -> str:
    return tree_sha256([path])


def tree_sha256(paths: list[Path]) -> str:
    """One hash over files and folders (every file below them, by relative name and content)."""
    digest = hashlib.sha256()
    for root in paths:
        files = sorted(code_files(root)) if root.is_dir() else [root]
        for file in files:
            digest.update(str(file.relative_to(root) if root.is_dir() else file.name).encode() + b"\0")
            with contextlib.suppress(OSError), open(file, "rb") as stream:
                for block in iter(lambda s=stream: s.read(1 << 20), b""):  # type: ignore[misc]
                    digest.update(block)
            digest.update(b"\0")
    return digest.hexdigest()


def code_files(root: Path) -> Iterator[Path]:
    for folder, subfolders, names in os.walk(root):
        subfolders[:] = sorted(d for d in subfolders if d != "__pycache__" and not d.startswith("."))
        for name in names:
            if not name.endswith((".pyc", ".pyo")) and not name.startswith("."):
                yield Path(folder) / name


def code_roots(classes: list[type]) -> dict[str, list[Path]]:
    """The top-level package (all of it: a plugin may import its siblings) or module of each class.

    The harness itself is covered by its version; a plugin that lives inside it (the test
    doubles) contributes its own module file only.
    """
    roots: dict[str, list[Path]] = {}
    for cls in classes:
        name = cls.__module__ if cls.__module__.startswith("harness.") else cls.__module__.split(".")[0]
        module = sys.modules.get(name)
        if module is None or name in roots:
            continue
        package_paths = getattr(module, "__path__", None)
        if package_paths is not None:
            roots[name] = [Path(p) for p in package_paths]
        elif getattr(module, "__file__", None):
            roots[name] = [Path(str(module.__file__))]
    return roots
