"""roboverify's harness: the plugin contracts, and the stages that run and judge them.

Everything a plugin author or a library user needs is importable from here; names are loaded
on first use (PEP 562), so ``import harness`` costs milliseconds and pulls in neither scipy
nor pybullet. The contracts live in the top-level modules (``harness.skill``,
``harness.scenario``, ``harness.criterion``, ``harness.world``, ``harness.records``,
``harness.results``, ...); the stages of the flow, plan -> episode -> execution -> verdicts ->
report -> campaign -> cli, are subpackages (see ``docs/architecture.md``).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS: dict[str, tuple[str, ...]] = {
    "harness.criterion": ("Criterion", "CriterionParams", "EpisodeContext", "EpisodeEnd"),
    "harness.distributions": ("Choice", "Constant", "Distribution", "Normal", "Uniform"),
    "harness.errors": (
        "DuplicatePluginError", "InvalidCommand", "RoboverifyError", "SimError", "SpecError",
        "UnknownPluginError", "UsageError", "unknown_name_message",
    ),
    "harness.faults": ("ArmedFault", "FaultSpec"),
    "harness.records": (
        "BodyState", "Contact", "FloatArray", "RobotHardLimits", "RobotState", "Separation", "StepRecord",
        "TaskEvent", "TaskStatus", "WorldState", "frozen_array",
    ),
    "harness.results": ("CriterionResult", "EpisodeResult", "InjectedFault", "Outcome", "Verdict"),
    "harness.scenario": ("Conditions", "Parameter", "Scenario"),
    "harness.skill": ("CommandSpace", "KnownBad", "Observation", "Skill", "TaskInfo"),
    "harness.spec": ("ScenarioSpec",),
    "harness.world": ("HUMAN_REGIONS", "World"),
    "harness.plan.models": ("Limits", "Plan"),
    "harness.plan.resolve": ("ResolvedPlan", "load_plan"),
    "harness.episode.engine": ("BuiltScenario", "run_episode"),
    "harness.execution.runner": ("Backend", "InProcessBackend"),
    "harness.execution.pool": ("LocalBackend",),
    "harness.report.model": ("Report", "RunVerdict"),
    "harness.campaign.run": ("run_plan",),
}  # fmt: skip
_WHERE = {name: module for module, names in _EXPORTS.items() for name in names}

__all__ = [
    "HUMAN_REGIONS",
    "ArmedFault",
    "Backend",
    "BodyState",
    "BuiltScenario",
    "Choice",
    "CommandSpace",
    "Conditions",
    "Constant",
    "Contact",
    "Criterion",
    "CriterionParams",
    "CriterionResult",
    "Distribution",
    "DuplicatePluginError",
    "EpisodeContext",
    "EpisodeEnd",
    "EpisodeResult",
    "FaultSpec",
    "FloatArray",
    "InProcessBackend",
    "InjectedFault",
    "InvalidCommand",
    "KnownBad",
    "Limits",
    "LocalBackend",
    "Normal",
    "Observation",
    "Outcome",
    "Parameter",
    "Plan",
    "Report",
    "ResolvedPlan",
    "RobotHardLimits",
    "RobotState",
    "RoboverifyError",
    "RunVerdict",
    "Scenario",
    "ScenarioSpec",
    "Separation",
    "SimError",
    "Skill",
    "SpecError",
    "StepRecord",
    "TaskEvent",
    "TaskInfo",
    "TaskStatus",
    "Uniform",
    "UnknownPluginError",
    "UsageError",
    "Verdict",
    "World",
    "WorldState",
    "frozen_array",
    "load_plan",
    "run_episode",
    "run_plan",
    "unknown_name_message",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'harness' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # the next lookup is a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


if TYPE_CHECKING:  # what type checkers and editors see: the same names, imported eagerly
    from harness.campaign.run import run_plan
    from harness.criterion import Criterion, CriterionParams, EpisodeContext, EpisodeEnd
    from harness.distributions import Choice, Constant, Distribution, Normal, Uniform
    from harness.episode.engine import BuiltScenario, run_episode
    from harness.errors import (
        DuplicatePluginError,
        InvalidCommand,
        RoboverifyError,
        SimError,
        SpecError,
        UnknownPluginError,
        UsageError,
        unknown_name_message,
    )
    from harness.execution.pool import LocalBackend
    from harness.execution.runner import Backend, InProcessBackend
    from harness.faults import ArmedFault, FaultSpec
    from harness.plan.models import Limits, Plan
    from harness.plan.resolve import ResolvedPlan, load_plan
    from harness.records import (
        BodyState,
        Contact,
        FloatArray,
        RobotHardLimits,
        RobotState,
        Separation,
        StepRecord,
        TaskEvent,
        TaskStatus,
        WorldState,
        frozen_array,
    )
    from harness.report.model import Report, RunVerdict
    from harness.results import CriterionResult, EpisodeResult, InjectedFault, Outcome, Verdict
    from harness.scenario import Conditions, Parameter, Scenario
    from harness.skill import CommandSpace, KnownBad, Observation, Skill, TaskInfo
    from harness.spec import ScenarioSpec
    from harness.world import HUMAN_REGIONS, World
