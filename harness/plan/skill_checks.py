"""Checking a plan's skills against their manifests: valid, and made for the scenario they get."""

from __future__ import annotations

from harness.errors import SpecError
from harness.plan.checks import Problems
from harness.plan.loading import Loaded, Location
from harness.plan.models import Plan
from harness.registry import is_reference
from harness.skill import Skill
from harness.skill_manifest import SkillManifest, manifest_of


def check_skill_manifest(name: str, skill_class: type[Skill], problems: Problems) -> SkillManifest | None:
    """The skill's manifest; a malformed one is reported at the skill's own file and line."""
    try:
        return manifest_of(skill_class, None if is_reference(name) else name)
    except SpecError as error:
        problems.found.extend(f"{error.file}: {problem}" for problem in error.problems)
        return None


def check_skill_scope(
    loaded: Loaded[Plan],
    name: str,
    skill_class: type[Skill],
    spec_id: str,
    where: Location,
    problems: Problems,
) -> None:
    """Refuse a skill on a scenario its manifest does not claim (an undeclared scope claims all)."""
    try:
        manifest = manifest_of(skill_class, None if is_reference(name) else name)
    except SpecError:
        return  # reported once, by check_skill_manifest
    if manifest.supports_scenario(spec_id):
        return
    message = (
        f"skill '{name}' {manifest.version} is made for {', '.join(manifest.supports)}, not '{spec_id}'; "
        f"pair it with a scenario it supports, or add '{spec_id}' to its 'supports' if it is made for it"
    )
    problems.at(loaded, where, message)
