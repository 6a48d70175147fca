"""roboverify's harness: specs, the episode engine, the runner, statistics and reports."""

from harness.criterion import Criterion, CriterionParams, EpisodeContext, EpisodeEnd
from harness.distributions import Choice, Constant, Distribution, Normal, Uniform
from harness.engine import BuiltScenario, run_episode
from harness.errors import (
    DuplicatePluginError,
    InvalidCommand,
    RoboverifyError,
    SimError,
    SpecError,
    UnknownPluginError,
    UsageError,
)
from harness.pool import LocalBackend
from harness.records import (
    BodyState,
    Contact,
    RobotState,
    StepRecord,
    TaskEvent,
    TaskStatus,
    WorldState,
)
from harness.results import CriterionResult, EpisodeResult, Outcome, Verdict
from harness.runner import Backend, InProcessBackend, run_plan
from harness.scenario import Conditions, Parameter, Scenario
from harness.skill import CommandSpace, Observation, Skill, TaskInfo
from harness.specs import Limits, Plan, ScenarioSpec
from harness.world import World

__all__ = [
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
    "InProcessBackend",
    "InvalidCommand",
    "Limits",
    "LocalBackend",
    "Normal",
    "Observation",
    "Outcome",
    "Parameter",
    "Plan",
    "RobotState",
    "RoboverifyError",
    "Scenario",
    "ScenarioSpec",
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
    "run_episode",
    "run_plan",
]
