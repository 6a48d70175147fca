"""What ``check-skill`` checks: the skill class a name points to, and the scenarios to check it on."""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from pathlib import Path

from harness.episode.findings import Finding, failed, passed, warned
from harness.errors import SpecError, UsageError, unknown_name_message
from harness.plan.loading import load_model
from harness.plan.resolve import builtin_specs
from harness.plan.trust import TrustPolicy
from harness.registry import is_reference, load_plugin
from harness.scenario import Scenario
from harness.skill import Skill
from harness.skill_manifest import DECLARED, SkillManifest, manifest_of
from harness.spec import ScenarioSpec
from harness.world import World


@dataclass(frozen=True)
class Target:
    """A scenario spec with the classes that run it."""

    spec: ScenarioSpec
    scenario_class: type[Scenario]
    sim_class: type[World]


def load_skill(name: str, policy: TrustPolicy | None = None) -> type[Skill]:
    """The skill class a registered name or ``module:Class`` reference points to (``policy``:
    whether a reference is accepted)."""
    (policy or TrustPolicy()).check_plugin("skills", name, "skill")
    found = load_plugin("skills", name)  # an unknown name is a UsageError with "did you mean"
    if not (inspect.isclass(found) and issubclass(found, Skill)):
        raise UsageError(f"'{name}' is {found!r}, expected a subclass of harness.Skill; name a skill class")
    return found


def manifest_finding(name: str, skill_class: type[Skill]) -> tuple[SkillManifest | None, Finding]:
    """The skill's manifest (None if it is invalid) and the finding about it."""
    expected = f"a valid manifest declared by the class itself ({', '.join(DECLARED)})"
    try:
        manifest = manifest_of(skill_class, None if is_reference(name) else name)
    except SpecError as error:
        found = f"{error.file}: {'; '.join(error.problems)}"
        return None, failed("manifest", expected, found, "correct the attributes named")
    missing = [key for key in DECLARED if key not in manifest.declared]
    if not missing:
        return manifest, passed("manifest", expected, f"{manifest.name} {manifest.version}")
    found = f"not declared: {', '.join(missing)} (using name '{manifest.name}', version {manifest.version})"
    fix = f"declare {', '.join(missing)} in the class body of {skill_class.__name__} itself"
    return manifest, warned("manifest", expected, found, fix)


def targets_for(
    name: str,
    skill_class: type[Skill],
    manifest: SkillManifest | None,
    scenario: str | None,
    policy: TrustPolicy | None = None,
) -> list[Target]:
    """The named scenario (a built-in spec id or a .yaml file), else every built-in spec the
    skill's manifest supports and whose robot it drives."""
    if scenario is not None:
        trust = policy or TrustPolicy()
        spec = _load_spec(scenario, trust)
        trust.check_plugin("scenarios", spec.kind, f"{scenario}: field 'kind'")
        trust.check_plugin("sims", spec.sim, f"{scenario}: field 'sim'")
        _check_pairing(name, skill_class, manifest, spec)
        return [_target(spec)]
    specs = [load_model(ScenarioSpec, path).model for _, path in sorted(builtin_specs().items())]
    chosen = [spec for spec in specs if _pairs(skill_class, manifest, spec)]
    if not chosen:
        raise UsageError(
            f"no built-in scenario spec uses robot '{skill_class.robot}' and matches the supports of "
            f"skill '{name}'; give one with --scenario ID or --scenario path/to/spec.yaml"
        )
    return [_target(spec) for spec in chosen]


def _pairs(skill_class: type[Skill], manifest: SkillManifest | None, spec: ScenarioSpec) -> bool:
    supported = manifest is None or manifest.supports_scenario(spec.id)
    return supported and spec.robot == skill_class.robot


def _check_pairing(
    name: str, skill_class: type[Skill], manifest: SkillManifest | None, spec: ScenarioSpec
) -> None:
    if spec.robot != skill_class.robot:
        raise UsageError(
            f"skill '{name}' drives robot '{skill_class.robot}' but scenario '{spec.id}' uses "
            f"'{spec.robot}'; pick a scenario for that robot, or leave out --scenario"
        )
    if manifest is not None and not manifest.supports_scenario(spec.id):
        raise UsageError(
            f"skill '{name}' {manifest.version} is made for {', '.join(manifest.supports)}, not "
            f"'{spec.id}'; pick a scenario it supports, or add '{spec.id}' to its 'supports'"
        )


def _load_spec(scenario: str, policy: TrustPolicy) -> ScenarioSpec:
    if scenario.endswith((".yaml", ".yml")):
        policy.check_path(Path(scenario), "--scenario")
        return load_model(ScenarioSpec, _existing(scenario)).model
    specs = builtin_specs()
    if scenario not in specs:
        message = unknown_name_message("scenario spec", scenario, list(specs), listing="Built in")
        raise UsageError(f"{message} Or give the path of a .yaml spec.")
    return load_model(ScenarioSpec, specs[scenario]).model


def _existing(path: str) -> Path:
    if not Path(path).is_file():
        raise UsageError(f"spec file '{path}' does not exist; give a built-in spec id or a .yaml file")
    return Path(path)


def _target(spec: ScenarioSpec) -> Target:
    scenario_class = load_plugin("scenarios", spec.kind)
    sim_class = load_plugin("sims", spec.sim)
    return Target(spec, scenario_class, sim_class)
