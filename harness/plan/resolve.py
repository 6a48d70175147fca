"""From a validated plan to runnable plugins: every name resolved, every reference checked.

All problems are collected first and reported together, each with its file, field and line.
"""

from __future__ import annotations

import difflib
import inspect
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from harness.criterion import Criterion
from harness.errors import RoboverifyError, SpecError, UsageError
from harness.plan.checks import Problems, check_gates, check_recovery_gates, check_spec_keys
from harness.plan.loading import Loaded, Location, load_model, load_model_leniently
from harness.plan.models import Plan, ScenarioRef, SkillRef
from harness.plan.resolved import ResolvedCriterion, ResolvedPlan, ResolvedScenario
from harness.plan.skill_checks import check_skill_manifest, check_skill_scope
from harness.plan.trust import TrustPolicy
from harness.registry import PluginKind, load_plugin, plugin_infos
from harness.scenario import Scenario
from harness.skill import Skill
from harness.spec import ScenarioSpec
from harness.world import World

__all__ = [
    "ResolvedCriterion",
    "ResolvedPlan",
    "ResolvedScenario",
    "TrustPolicy",
    "builtin_specs",
    "default_plan_path",
    "load_plan",
    "resolve",
]

DEFAULT_PLAN = "default_plan.yaml"


def default_plan_path() -> Path:
    return Path(str(resources.files("harness") / "data" / DEFAULT_PLAN))


def load_plan(path: Path | None, policy: TrustPolicy | None = None) -> ResolvedPlan:
    """Load and resolve a plan file (``None``: the built-in default plan). ``policy`` says which
    plugins and files it may name (default: as ``ROBOVERIFY_TRUSTED_PLUGINS_ONLY`` says)."""
    plan_path = path or default_plan_path()
    policy = policy or TrustPolicy.from_environment()
    try:
        loaded = load_model(Plan, plan_path)
    except SpecError as error:
        raise _with_reference_problems(error, plan_path, policy) from None
    return resolve(loaded, base_dir=plan_path.parent, policy=policy)


def _with_reference_problems(error: SpecError, plan_path: Path, policy: TrustPolicy) -> SpecError:
    """Add what resolving would also report, when the format problems allow a partial look."""
    lenient = load_model_leniently(Plan, plan_path)
    if lenient is None:
        return error
    try:
        resolve(lenient, base_dir=plan_path.parent, policy=policy)
    except SpecError as more:
        return SpecError(error.file, [*error.problems, *more.problems])
    return error


def resolve(loaded: Loaded[Plan], base_dir: Path, policy: TrustPolicy | None = None) -> ResolvedPlan:
    """Resolve every name and reference of ``loaded``; ``policy`` (default: accept all) says
    which plugins and spec files it may name."""
    problems = Problems()
    trust = policy or TrustPolicy()
    plan = loaded.model
    skill_class = _skill(loaded, plan.skill, ("skill",), problems, trust)
    found_refs = [
        (index, ref, found)
        for index, ref in enumerate(plan.scenarios)
        if (found := _scenario(loaded, index, ref, base_dir, skill_class, problems, trust)) is not None
    ]
    scenarios = [found for _, _, found in found_refs]
    scenarios += _endurance_entries(loaded, found_refs, problems)
    criteria = [
        criterion
        for name, config in plan.criteria.items()
        if (criterion := _criterion(loaded, name, config.params, config.required, problems, trust))
        is not None
    ]
    check_gates(loaded, [s.spec.id for s in scenarios], problems)
    check_recovery_gates(loaded, {s.spec.id: [f.label for f in s.spec.faults] for s in scenarios}, problems)
    if problems.found or skill_class is None:
        raise SpecError(loaded.file, problems.found)
    return ResolvedPlan(plan, loaded.file, skill_class, scenarios, criteria)


def _plugin(
    loaded: Loaded[Any],
    kind: PluginKind,
    name: str,
    location: Location,
    base: type,
    problems: Problems,
    trust: TrustPolicy,
    *,
    other_file: bool = False,
) -> Any:
    refusal = trust.refuse_plugin(kind, name)
    if refusal is not None:  # refused before anything is imported
        problems.at(loaded, location, refusal, other_file=other_file)
        return None
    try:
        found = load_plugin(kind, name)
    except RoboverifyError as error:
        problems.at(loaded, location, str(error), other_file=other_file)
        return None
    if not (inspect.isclass(found) and issubclass(found, base)):
        message = f"'{name}' is {found!r}, expected a subclass of {base.__name__}"
        problems.at(loaded, location, message, other_file=other_file)
        return None
    return found


def _check_skill_params(
    loaded: Loaded[Plan], skill_class: type[Skill], skill: SkillRef, where: Location, problems: Problems
) -> None:
    params = skill.params
    schema: type[BaseModel] | None = getattr(skill_class, "Params", None)
    if schema is not None:
        _validate_params(loaded, schema, params, (*where, "params"), problems)
        return
    try:
        inspect.signature(skill_class).bind(**params)
    except TypeError as error:
        problems.at(loaded, (*where, "params"), f"{skill_class.__name__} does not accept these: {error}")


def _validate_params(
    loaded: Loaded[Plan],
    schema: type[BaseModel],
    params: dict[str, Any],
    where: Location,
    problems: Problems,
    *,
    noun: str = "parameter",
    also_allowed: tuple[str, ...] = (),
) -> bool:
    try:
        schema.model_validate(params)
    except ValidationError as error:
        for detail in error.errors():
            message = str(detail["msg"]).removeprefix("Value error, ")
            if detail["type"] == "extra_forbidden":
                allowed = ", ".join([*also_allowed, *schema.model_fields])
                message = f"unknown {noun}; allowed: {allowed}"
            problems.at(loaded, (*where, *detail["loc"]), f"{message} (got {detail.get('input')!r})")
        return False
    return True


def _scenario(
    loaded: Loaded[Plan],
    index: int,
    ref: ScenarioRef,
    base_dir: Path,
    skill_class: type[Skill] | None,
    problems: Problems,
    trust: TrustPolicy,
) -> ResolvedScenario | None:
    spec_loaded = _spec_of(loaded, index, ref, base_dir, problems, trust)
    if spec_loaded is None:
        return None
    spec = spec_loaded.model
    scenario_class = _plugin(
        spec_loaded, "scenarios", spec.kind, ("kind",), Scenario, problems, trust, other_file=True
    )
    sim_class = _plugin(spec_loaded, "sims", spec.sim, ("sim",), World, problems, trust, other_file=True)
    if scenario_class is None or sim_class is None:
        return None
    check_spec_keys(spec_loaded, scenario_class, problems)
    skill = ref.skill or loaded.model.skill
    if ref.skill is not None:
        skill_class = _skill(loaded, ref.skill, ("scenarios", index, "skill"), problems, trust)
    if skill_class is None:
        return None
    if skill_class.robot != spec.robot:
        message = (
            f"skill '{skill.name}' drives robot '{skill_class.robot}' but scenario '{spec.id}' uses "
            f"'{spec.robot}'; pick a skill for that robot (a scenario may name its own 'skill')"
        )
        problems.at(loaded, ("scenarios", index, "spec"), message)
    else:  # the robot is the first reason; the manifest's scope the second
        check_skill_scope(loaded, skill.name, skill_class, spec.id, ("scenarios", index, "spec"), problems)
    baseline, baseline_class = _baseline(loaded, index, ref, spec, problems, trust)
    return ResolvedScenario(
        spec, spec_loaded.file, scenario_class, sim_class, loaded.model.episodes_for(ref),
        skill, skill_class, baseline, baseline_class, ref.cost_model or loaded.model.cost_model,
    )  # fmt: skip


def _spec_of(
    loaded: Loaded[Plan], index: int, ref: ScenarioRef, base_dir: Path, problems: Problems, trust: TrustPolicy
) -> Loaded[ScenarioSpec] | None:
    try:
        return _load_spec(ref.spec, base_dir, trust)
    except SpecError as error:  # the spec file itself is malformed: point into it
        problems.found.extend(f"{error.file}: {p}" for p in error.problems)
    except RoboverifyError as error:  # the reference does not lead to a spec: point at the plan
        problems.at(loaded, ("scenarios", index, "spec"), str(error))
    return None


def _skill(
    loaded: Loaded[Plan], ref: SkillRef, where: Location, problems: Problems, trust: TrustPolicy
) -> type[Skill] | None:
    """The skill class ``ref`` names, its parameters checked; None (reported) if it has none."""
    skill_class: type[Skill] | None = _plugin(
        loaded, "skills", ref.name, (*where, "name"), Skill, problems, trust
    )
    missing = [a for a in ("robot", "command_kind") if not hasattr(skill_class, a)] if skill_class else []
    if missing:  # e.g. the Skill base class itself: nothing to run
        message = (
            f"'{ref.name}' declares no {' or '.join(missing)}: it is not a skill to run; name a skill class"
        )
        problems.at(loaded, (*where, "name"), message)
        return None
    if skill_class is not None:
        _check_skill_params(loaded, skill_class, ref, where, problems)
        check_skill_manifest(ref.name, skill_class, problems)
    return skill_class


def _baseline(
    loaded: Loaded[Plan],
    index: int,
    ref: ScenarioRef,
    spec: ScenarioSpec,
    problems: Problems,
    trust: TrustPolicy,
) -> tuple[SkillRef | None, type[Skill] | None]:
    """The scenario's baseline skill (its own, else the plan's), checked against its robot."""
    baseline = ref.baseline_skill or loaded.model.baseline_skill
    if baseline is None:
        return None, None
    field = "baseline_skill"
    where: Location = ("scenarios", index, field) if ref.baseline_skill is not None else (field,)
    baseline_class = _skill(loaded, baseline, where, problems, trust)
    if baseline_class is not None and baseline_class.robot != spec.robot:
        message = f"baseline skill '{baseline.name}' drives '{baseline_class.robot}', not '{spec.robot}'"
        problems.at(loaded, where, message)
    return baseline, baseline_class


def _endurance_entries(
    loaded: Loaded[Plan], found_refs: list[tuple[int, ScenarioRef, ResolvedScenario]], problems: Problems
) -> list[ResolvedScenario]:
    """Endurance runs go after every scenario's episodes, as scenarios of their own."""
    entries = []
    for index, ref, entry in found_refs:
        if ref.endurance is None:
            continue
        if entry.scenario_class.next_cycle is Scenario.next_cycle:
            message = (
                f"scenario kind '{entry.spec.kind}' cannot start a new task cycle without a reset "
                "(it has no next_cycle), so it has no endurance mode; remove 'endurance'"
            )
            problems.at(loaded, ("scenarios", index, "endurance"), message)
            continue
        entries.append(entry.as_endurance(ref.endurance))
    return entries


def _load_spec(reference: str, base_dir: Path, trust: TrustPolicy) -> Loaded[ScenarioSpec]:
    if reference.endswith((".yaml", ".yml")):
        path = Path(reference) if Path(reference).is_absolute() else base_dir / reference
        trust.check_path(path, "spec file")  # before anything is read
        if not path.exists():  # a directory or a FIFO is named by the reader
            raise UsageError(f"spec file '{path}' does not exist (relative paths start at the plan's folder)")
        return load_model(ScenarioSpec, path)
    specs = builtin_specs()
    if reference not in specs:
        close = difflib.get_close_matches(reference, list(specs), n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        raise UsageError(
            f"no built-in scenario spec '{reference}'; {hint}built in: {', '.join(sorted(specs)) or 'none'}; "
            "or give the path of a .yaml spec"
        )
    return load_model(ScenarioSpec, specs[reference])


def builtin_specs() -> dict[str, Path]:
    """Spec ids shipped by every registered scenario plugin, with their files."""
    specs: dict[str, Path] = {}
    for info in plugin_infos("scenarios"):
        try:
            scenario_class = load_plugin("scenarios", info.name)
        except RoboverifyError:
            continue  # a broken plugin is reported when it is asked for by name
        folder = Path(inspect.getfile(scenario_class)).parent
        specs.update({spec_id: folder / file for spec_id, file in scenario_class.builtin_specs.items()})
    return specs


def _criterion(
    loaded: Loaded[Plan],
    name: str,
    params: dict[str, Any],
    required: bool,
    problems: Problems,
    trust: TrustPolicy,
) -> ResolvedCriterion | None:
    criterion_class = _plugin(loaded, "criteria", name, ("criteria", name), Criterion, problems, trust)
    if criterion_class is None:
        return None
    noun = f"threshold for '{name}'"
    where: Location = ("criteria", name)
    if not _validate_params(
        loaded, criterion_class.Params, params, where, problems, noun=noun, also_allowed=("required",)
    ):
        return None
    return ResolvedCriterion(criterion_class, params, required)
