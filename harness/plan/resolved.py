"""A plan with every plugin name resolved to its class: what the stages below run.

Built by ``harness.plan.resolve``; frozen dataclasses, so a command-line override makes a new
one (``dataclasses.replace``) instead of changing the plan everyone else sees.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from harness.criterion import Criterion
from harness.plan.cost_model import CostModel
from harness.plan.models import ENDURANCE_SUFFIX, Endurance, Plan, SkillRef
from harness.scenario import Scenario
from harness.skill import Skill
from harness.spec import ScenarioSpec
from harness.world import World


@dataclass(frozen=True)
class ResolvedScenario:
    spec: ScenarioSpec
    source: str
    scenario_class: type[Scenario]
    sim_class: type[World]
    episodes: int
    skill: SkillRef
    skill_class: type[Skill]
    baseline: SkillRef | None = None
    baseline_class: type[Skill] | None = None
    cost_model: CostModel | None = None
    """The scenario's own cost model, else the plan's (None: no economics summary)."""
    cycles: int = 0
    """Task cycles per episode: 0 for ordinary episodes, N for endurance runs (see
    :meth:`as_endurance`), whose spec budget then covers all N cycles."""
    single_cycle_ticks: int = 0

    def make_skill(self) -> Skill:
        return self.skill_class(**self.skill.params)

    @property
    def cycle_ticks(self) -> int:
        """Tick budget of one task cycle (of the whole episode when it is not an endurance run)."""
        return self.single_cycle_ticks or self.spec.max_ticks

    def as_baseline(self) -> ResolvedScenario | None:
        """The same scenario with its baseline skill in place of its skill, if it has one."""
        if self.baseline is None or self.baseline_class is None or self.cycles:
            return None
        return dataclasses.replace(self, skill=self.baseline, skill_class=self.baseline_class)

    def as_endurance(self, endurance: Endurance) -> ResolvedScenario:
        """Endurance runs of this scenario, under their own id: ``<spec id>@endurance``."""
        spec = self.spec.model_copy(
            update={
                "id": f"{self.spec.id}{ENDURANCE_SUFFIX}",
                "time_budget_s": self.spec.time_budget_s * endurance.cycles,
            }
        )
        return dataclasses.replace(
            self, spec=spec, episodes=endurance.runs, baseline=None, baseline_class=None,
            cycles=endurance.cycles, single_cycle_ticks=self.spec.max_ticks,
        )  # fmt: skip


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
