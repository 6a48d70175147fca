"""Filling the report's provenance when a run writes its report.

The skills' code is found and hashed as the manifest does it (``code_roots``, ``tree_sha256``);
see :mod:`harness.report.provenance` for what is recorded.
"""

from __future__ import annotations

import platform
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from harness.campaign.manifest import code_files, code_roots, tree_sha256
from harness.plan.models import ENDURANCE_SUFFIX
from harness.plan.resolve import ResolvedPlan, ResolvedScenario
from harness.registry import is_reference
from harness.report.model import Report, tool_version
from harness.report.provenance import (
    CodeHash,
    EngineParameters,
    EpisodeSeed,
    FileHash,
    Provenance,
    SkillInfo,
    sha256_of,
)
from harness.skill import Skill
from harness.skill_manifest import manifest_of


def with_provenance(report: Report, resolved: ResolvedPlan, conditions: Path | None, journal: Path) -> Report:
    """The report with its provenance; ``journal`` is hashed as it is now."""
    skills = _skills(resolved)
    provenance = Provenance(
        roboverify=tool_version(),
        python=f"{platform.python_implementation()} {platform.python_version()}",
        platform=platform.platform(),
        pybullet=_distribution_version("pybullet"),
        numpy=_distribution_version("numpy"),
        engine=[_engine(entry) for entry in resolved.scenarios],
        inputs=_inputs(resolved, conditions),
        skills=[_skill_info(name, cls) for name, cls in skills],
        code=package_hashes([cls for _, cls in skills]),
        seeds=[EpisodeSeed(scenario=e.scenario, index=e.index, seed=e.seed) for e in report.episodes],
        journal_sha256=sha256_of(journal),
    )
    return report.model_copy(update={"provenance": provenance})


def package_hashes(classes: list[type]) -> list[CodeHash]:
    """The top-level package (or module) of each class, as the manifest finds and hashes it."""
    return [
        CodeHash(
            package=name, paths=[str(p) for p in paths], sha256=tree_sha256(paths), files=file_hashes(paths)
        )
        for name, paths in sorted(code_roots(classes).items())
    ]


def file_hashes(paths: list[str] | list[Path]) -> dict[str, str]:
    """Each file below ``paths`` (or the file itself), by its name relative to its root."""
    found: dict[str, str] = {}
    for root in map(Path, paths):
        if root.is_dir():
            found |= {str(f.relative_to(root)): sha256_of(f) for f in sorted(code_files(root))}
        elif root.is_file():
            found[root.name] = sha256_of(root)
    return found


def _skills(resolved: ResolvedPlan) -> list[tuple[str, type[Skill]]]:
    """Every skill that ran, by its name in the plan: the plan's, each scenario's, each baseline."""
    found = {(resolved.plan.skill.name, resolved.skill_class)}
    for entry in resolved.scenarios:
        found.add((entry.skill.name, entry.skill_class))
        if entry.baseline is not None and entry.baseline_class is not None:
            found.add((entry.baseline.name, entry.baseline_class))
    return sorted(found, key=lambda pair: (pair[0], pair[1].__qualname__))


def _skill_info(name: str, cls: type[Skill]) -> SkillInfo:
    manifest = manifest_of(cls, None if is_reference(name) else name)
    return SkillInfo(
        name=name,
        cls=f"{cls.__module__}:{cls.__qualname__}",
        version=manifest.version,
        package=next(iter(code_roots([cls])), cls.__module__),
        manifest=manifest,
        manifest_sha256=manifest.sha256,
    )


def _distribution_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "unknown"


def _engine(entry: ResolvedScenario) -> EngineParameters:
    spec = entry.spec
    return EngineParameters(
        scenario=spec.id,
        control_rate_hz=spec.control_rate_hz,
        physics_rate_hz=spec.physics_rate_hz,
        substeps=spec.substeps,
        time_budget_s=spec.time_budget_s,
        max_ticks=spec.max_ticks,
    )


def _inputs(resolved: ResolvedPlan, conditions: Path | None) -> list[FileHash]:
    files = [("plan", resolved.source)]
    specs = {entry.spec.id.removesuffix(ENDURANCE_SUFFIX): entry.source for entry in resolved.scenarios}
    files += [(f"scenario spec {spec_id}", source) for spec_id, source in specs.items()]
    if conditions is not None:
        files.append(("conditions", str(conditions)))
    return [
        FileHash(role=role, path=str(Path(path).resolve()), sha256=sha256_of(Path(path)))
        for role, path in files
    ]
