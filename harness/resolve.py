"""From a validated plan to runnable plugins: every name resolved, every reference checked.

All problems are collected first and reported together, each with its field and line.
"""

from __future__ import annotations

import difflib
import inspect
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from harness.criterion import Criterion
from harness.errors import RoboverifyError, SpecError
from harness.loading import Loaded, format_location, load_model
from harness.registry import load_plugin
from harness.scenario import Scenario
from harness.skill import Skill
from harness.specs import Plan, ScenarioRef, ScenarioSpec
from harness.world import World

DEFAULT_PLAN = "default_plan.yaml"


@dataclass(frozen=True)
class ResolvedScenario:
    spec: ScenarioSpec
    source: str
    scenario_class: type[Scenario]
    sim_class: type[World]
    episodes: int


@dataclass(frozen=True)
class ResolvedCriterion:
    criterion_class: type[Criterion]
    params: dict[str, Any]
    required: bool

    def make(self) -> Criterion:
        return self.criterion_class.from_config(self.params, required=self.required)


@dataclass(frozen=True)
class ResolvedPlan:
    plan: Plan
    source: str
    skill_class: type[Skill]
    scenarios: list[ResolvedScenario]
    criteria: list[ResolvedCriterion]

    def make_skill(self) -> Skill:
        return self.skill_class(**self.plan.skill.params)

    def make_criteria(self) -> list[Criterion]:
        return [criterion.make() for criterion in self.criteria]


def default_plan_path() -> Path:
    return Path(str(resources.files("harness") / "data" / DEFAULT_PLAN))


def load_plan(path: Path | None) -> ResolvedPlan:
    """Load and resolve a plan file (``None``: the built-in default plan)."""
    loaded = load_model(Plan, path or default_plan_path())
    return resolve(loaded, base_dir=(path or default_plan_path()).parent)


def resolve(loaded: Loaded[Plan], base_dir: Path) -> ResolvedPlan:
    problems: list[str] = []
    plan = loaded.model
    skill_class = _plugin(loaded, "skills", plan.skill.name, ("skill", "name"), Skill, problems)
    scenarios = [
        found
        for index, ref in enumerate(plan.scenarios)
        if (found := _scenario(loaded, index, ref, base_dir, skill_class, problems)) is not None
    ]
    criteria = [
        found
        for name, config in plan.criteria.items()
        if (found := _criterion(loaded, name, config.params, config.required, problems)) is not None
    ]
    _check_gates(loaded, [s.spec.id for s in scenarios], problems)
    if problems or skill_class is None:
        raise SpecError(loaded.file, problems)
    return ResolvedPlan(plan, loaded.file, skill_class, scenarios, criteria)


def _plugin(
    loaded: Loaded[Plan], kind: Any, name: str, location: tuple[int | str, ...], base: type, problems: list[str]
) -> Any:
    try:
        found = load_plugin(kind, name)
    except RoboverifyError as error:
        problems.append(loaded.problem(location, str(error)))
        return None
    if not (inspect.isclass(found) and issubclass(found, base)):
        problems.append(loaded.problem(location, f"'{name}' is {found!r}, expected a subclass of {base.__name__}"))
        return None
    return found


def _scenario(
    loaded: Loaded[Plan], index: int, ref: ScenarioRef, base_dir: Path,
    skill_class: type[Skill] | None, problems: list[str],
) -> ResolvedScenario | None:
    location: tuple[int | str, ...] = ("scenarios", index, "spec")
    try:
        spec_loaded = _load_spec(ref.spec, base_dir)
    except SpecError as error:
        problems.extend(f"{error.file}: {p}" for p in error.problems)
        return None
    except RoboverifyError as error:
        problems.append(loaded.problem(location, str(error)))
        return None
    spec = spec_loaded.model
    scenario_class = _plugin(loaded, "scenarios", spec.kind, location, Scenario, problems)
    sim_class = _plugin(loaded, "sims", spec.sim, location, World, problems)
    if scenario_class is None or sim_class is None:
        return None
    problems.extend(f"{spec_loaded.file}: {p}" for p in _spec_problems(spec_loaded, scenario_class))
    if skill_class is not None and skill_class.robot != spec.robot:
        problems.append(loaded.problem(location, (
            f"skill '{loaded.model.skill.name}' drives robot '{skill_class.robot}' but scenario "
            f"'{spec.id}' uses '{spec.robot}'; pick a skill for that robot"
        )))
    return ResolvedScenario(spec, spec_loaded.file, scenario_class, sim_class, loaded.model.episodes_for(ref))


def _load_spec(reference: str, base_dir: Path) -> Loaded[ScenarioSpec]:
    if reference.endswith((".yaml", ".yml")):
        path = Path(reference)
        return load_model(ScenarioSpec, path if path.is_absolute() else base_dir / path)
    kind = reference.rsplit("-v", 1)[0]
    scenario_class = load_plugin("scenarios", kind)
    files = getattr(scenario_class, "builtin_specs", {})
    if reference not in files:
        known = sorted(files)
        close = difflib.get_close_matches(reference, known, n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        raise SpecError(reference, [f"no built-in spec '{reference}'; {hint}known: {', '.join(known) or 'none'}; "
                                    "or give a path to a .yaml spec"])
    module_dir = Path(inspect.getfile(scenario_class)).parent
    return load_model(ScenarioSpec, module_dir / files[reference])


def _spec_problems(loaded: Loaded[ScenarioSpec], scenario_class: type[Scenario]) -> list[str]:
    problems = []
    for field, known in (("randomize", scenario_class.parameters), ("observation_noise", scenario_class.observation_keys)):
        for key in getattr(loaded.model, field):
            if key not in known:
                close = difflib.get_close_matches(key, list(known), n=1)
                hint = f"did you mean '{close[0]}'? " if close else ""
                problems.append(loaded.problem(
                    (field, key), f"'{loaded.model.kind}' has no parameter '{key}'; {hint}known: {', '.join(known)}"
                ))
    return problems


def _criterion(
    loaded: Loaded[Plan], name: str, params: dict[str, Any], required: bool, problems: list[str]
) -> ResolvedCriterion | None:
    criterion_class = _plugin(loaded, "criteria", name, ("criteria", name), Criterion, problems)
    if criterion_class is None:
        return None
    try:
        criterion_class.Params.model_validate(params)
    except ValidationError as error:
        for detail in error.errors():
            location = ("criteria", name, *detail["loc"])
            message = str(detail["msg"]).removeprefix("Value error, ")
            if detail["type"] == "extra_forbidden":
                allowed = ", ".join(["required", *criterion_class.Params.model_fields])
                message = f"unknown threshold for '{name}'; allowed: {allowed}"
            problems.append(loaded.problem(location, f"{message} (got {detail.get('input')!r})"))
        return None
    return ResolvedCriterion(criterion_class, params, required)


def _check_gates(loaded: Loaded[Plan], spec_ids: list[str], problems: list[str]) -> None:
    for index, gate in enumerate(loaded.model.gates):
        if gate.scenario is not None and gate.scenario not in spec_ids:
            location = ("gates", index, "scenario")
            problems.append(loaded.problem(location, (
                f"'{gate.scenario}' is not among the plan's scenarios ({', '.join(spec_ids)}); "
                f"use one of them or omit '{format_location(location[-1:])}'"
            )))
