"""The verification plan a user writes: skill, scenarios, episodes, criteria, gates, limits."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Discriminator, Field, Tag, model_validator

from harness.plan.cost_model import CostModel
from harness.plan.gates import Gate, SuccessRateGate
from harness.spec import ScenarioSpec, StrictModel

ENDURANCE_SUFFIX = "@endurance"
"""Appended to a spec id to name its endurance runs in results and reports."""


class SkillRef(StrictModel):
    name: str = Field(max_length=256, description="Registered skill name or 'package.module:Class'.")
    params: dict[str, Any] = Field(default_factory=dict)


class Endurance(StrictModel):
    """Long runs without reset: the task repeated ``cycles`` times in one world, ``runs`` times.

    A cycle that fails, times out (after the spec's time budget) or is stopped counts as an
    intervention: the cell is reset as an operator would, and the run goes on.
    """

    cycles: int = Field(gt=0, le=100_000, description="Task cycles per run.")
    runs: int = Field(1, gt=0, le=1000, description="Runs, each from its own seed.")


class ScenarioRef(StrictModel):
    spec: str = Field(
        max_length=4096, description="Built-in spec id (family/name-vN) or a path to a YAML spec."
    )
    episodes: int | None = Field(None, gt=0, le=1_000_000)  # fixed count, or the cap when sequential
    skill: SkillRef | None = Field(None, description="This scenario's skill, instead of the plan's.")
    baseline_skill: SkillRef | None = Field(
        None, description="This scenario's baseline, instead of the plan's."
    )
    endurance: Endurance | None = Field(
        None, description="Also run the task many times without reset (endurance runs)."
    )
    cost_model: CostModel | None = Field(
        None, description="This scenario's cost model, instead of the plan's (its manual rate differs)."
    )

    @model_validator(mode="before")
    @classmethod
    def _skill_by_name(cls, data: Any) -> Any:
        if isinstance(data, dict):
            data = {**data}
            for key in ("skill", "baseline_skill"):
                if isinstance(data.get(key), str):
                    data[key] = {"name": data[key]}
        return data


class CriterionConfig(StrictModel):
    """A criterion's thresholds; ``required`` criteria turn a failed verdict into a failure."""

    model_config = ConfigDict(extra="allow", frozen=True)
    required: bool = True

    @property
    def params(self) -> dict[str, Any]:
        return dict(self.model_extra or {})


class Limits(StrictModel):
    """What one episode and one worker process may use before the worker is killed.

    Past either limit the episode becomes a ``skill_error`` (a ``harness_error`` when the harness
    itself was running) and a fresh worker takes over; the rest of the campaign goes on.
    """

    episode_wall_s: float | None = Field(
        None,
        gt=0,
        le=7 * 86400,
        description="Wall-clock seconds one episode (one cycle of an endurance run) may take, building "
        "the world included. Default: 60 + 4 x the scenario's time_budget_s (120 s for a 15 s budget).",
    )
    worker_memory_mb: int = Field(
        4096,
        ge=128,
        le=1 << 24,
        description="Resident memory (MB) one worker process may use while it runs an episode.",
    )

    def episode_wall_s_for(self, spec: ScenarioSpec, cycles: int = 0) -> float:
        """The limit for one episode, or for one endurance run of ``cycles`` cycles (the spec of an
        endurance run already budgets all its cycles; an explicit limit is per cycle there)."""
        if self.episode_wall_s is not None:
            return self.episode_wall_s * max(1, cycles)
        return 60.0 + 4.0 * spec.time_budget_s


class Comparison(StrictModel):
    """How a run is compared with a baseline (``--baseline-report``): non-inferiority margins."""

    margin: float = Field(0.05, ge=0, lt=1, description="Largest acceptable drop in a rate.")
    confidence: float = Field(0.95, gt=0.5, lt=1)
    require_non_inferiority: bool = Field(
        False, description="Also make the run inconclusive when non-inferiority is not shown."
    )


class SequentialEpisodes(StrictModel):
    """Stop each scenario as soon as its success-rate gate is decided (Wald's SPRT).

    H0 is the gate's ``min`` (p0), H1 is ``min + indifference`` (p1); ``alpha`` is the chance
    that a skill at p0 passes, ``beta`` that one at p1 fails. At ``max`` episodes without a
    decision the fixed-n bound decides, possibly inconclusive.
    """

    mode: Literal["sequential"]
    max: int = Field(gt=0, le=1_000_000)
    indifference: float = Field(0.05, gt=0, lt=1)
    alpha: float = Field(0.05, gt=0, lt=0.5)
    beta: float = Field(0.05, gt=0, lt=0.5)


def _episodes_kind(raw: Any) -> str:
    return "sequential" if isinstance(raw, dict | SequentialEpisodes) else "count"


Episodes = Annotated[
    Annotated[Annotated[int, Field(gt=0, le=1_000_000)], Tag("count")]
    | Annotated[SequentialEpisodes, Tag("sequential")],
    Discriminator(_episodes_kind),
]


class ReliabilityChecks(StrictModel):
    rerun_episodes: int = Field(
        0, ge=0, le=1000, description="Episodes per scenario run twice; any difference makes the run invalid."
    )


def _default_gate() -> Gate:
    return SuccessRateGate(min=0.9)


class Plan(StrictModel):
    """A verification plan: which skill, on which scenarios, how many episodes, judged how."""

    name: str = Field("verification", max_length=256)
    skill: SkillRef
    baseline_skill: SkillRef | None = Field(
        None, description="Run on the same episodes too, for efficiency_improvement gates."
    )
    scenarios: list[ScenarioRef] = Field(min_length=1, max_length=1000)
    episodes: Episodes = Field(
        30, description="Episodes per scenario, or {mode: sequential, max: N, ...} to stop on the evidence."
    )
    seed: int = Field(0, ge=0, lt=2**63)
    criteria: dict[str, CriterionConfig] = Field(default_factory=lambda: {"task_success": CriterionConfig()})
    gates: list[Gate] = Field(default_factory=lambda: [_default_gate()])
    intervals: Literal["wilson", "exact"] = Field(
        "wilson",
        description="Interval for every rate: Wilson score, or Clopper-Pearson ('exact') for audits.",
    )
    limits: Limits = Limits()
    comparison: Comparison = Comparison()
    reliability: ReliabilityChecks = ReliabilityChecks()
    cost_model: CostModel | None = Field(
        None, description="Costs for the economics summary (needs the 'energy' criterion)."
    )

    @model_validator(mode="before")
    @classmethod
    def _short_forms(cls, data: Any) -> Any:
        """Accept ``skill: name`` and ``scenarios: [id, ...]`` as well as the long forms."""
        if not isinstance(data, dict):
            return data
        data = dict(data)
        for key in ("skill", "baseline_skill"):
            if isinstance(data.get(key), str):
                data[key] = {"name": data[key]}
        if isinstance(data.get("scenarios"), list):
            data["scenarios"] = [{"spec": s} if isinstance(s, str) else s for s in data["scenarios"]]
        if isinstance(data.get("criteria"), dict):
            data["criteria"] = {k: {} if v is None else v for k, v in data["criteria"].items()}
        return data

    def episodes_for(self, ref: ScenarioRef) -> int:
        """Episodes to plan for (the cap, in sequential mode)."""
        if ref.episodes is not None:
            return ref.episodes
        return self.episodes if isinstance(self.episodes, int) else self.episodes.max

    @property
    def sequential(self) -> SequentialEpisodes | None:
        return self.episodes if isinstance(self.episodes, SequentialEpisodes) else None
