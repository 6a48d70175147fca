"""The file formats users write: scenario specs and verification plans (pydantic, strict)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationInfo,
    field_validator,
    model_validator,
)

from harness.distributions import Distribution
from harness.economics import CostModel
from harness.fault_specs import FaultSpec

SPEC_ID_PATTERN = r"^[a-z][a-z0-9_]*/[a-z][a-z0-9_]*-v[0-9]+$"
ENDURANCE_SUFFIX = "@endurance"
"""Appended to a spec id to name its endurance runs in results and reports."""


class StrictModel(BaseModel):
    """Unknown keys are errors and loaded files are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class ObjectsSpec(StrictModel):
    count: int = Field(1, ge=1, le=8, description="Number of objects the task handles.")
    shape: Literal["box"] = "box"


class ScenarioSpec(StrictModel):
    """A versioned scenario: which task family, robot, rates, budget and randomisation."""

    id: Annotated[str, Field(pattern=SPEC_ID_PATTERN, description="family/name-vN")]
    kind: str = Field(description="Registered scenario plugin, e.g. 'workstation/pick_place'.")
    description: str = ""
    sim: str = "pybullet"
    robot: str = Field(description="Robot model, e.g. 'franka_panda'.")
    control_rate_hz: float = Field(gt=0, le=1000)
    physics_rate_hz: float = Field(240.0, gt=0, le=10000)
    time_budget_s: float = Field(gt=0, le=86400)
    objects: ObjectsSpec = ObjectsSpec()
    randomize: dict[str, Distribution] = Field(
        default_factory=dict, description="Per-episode parameter distributions (override defaults)."
    )
    observation_noise: dict[str, Annotated[float, Field(ge=0)]] = Field(
        default_factory=dict, description="Standard deviation of Gaussian noise per observation key."
    )
    faults: list[FaultSpec] = Field(
        default_factory=list, description="Faults injected into every episode, to measure recovery."
    )

    @field_validator("faults")
    @classmethod
    def _distinct_fault_names(cls, faults: list[FaultSpec]) -> list[FaultSpec]:
        labels = [fault.label for fault in faults]
        repeated = sorted({label for label in labels if labels.count(label) > 1})
        if repeated:
            raise ValueError(f"two faults are both called {', '.join(repeated)}; give each a distinct 'name'")
        return faults

    @field_validator("physics_rate_hz")
    @classmethod
    def _whole_substeps(cls, physics_rate_hz: float, info: ValidationInfo) -> float:
        control_rate_hz = info.data.get("control_rate_hz")
        if control_rate_hz is None:  # reported as its own problem
            return physics_rate_hz
        ratio = physics_rate_hz / control_rate_hz
        if abs(ratio - round(ratio)) > 1e-9 or round(ratio) < 1:
            raise ValueError(
                f"must be a whole multiple of control_rate_hz ({control_rate_hz:g}), got "
                f"{physics_rate_hz:g}; e.g. 240 with a control rate of 30"
            )
        return physics_rate_hz

    @property
    def substeps(self) -> int:
        return round(self.physics_rate_hz / self.control_rate_hz)

    @property
    def control_dt(self) -> float:
        return 1.0 / self.control_rate_hz

    @property
    def max_ticks(self) -> int:
        return round(self.time_budget_s * self.control_rate_hz)


class SkillRef(StrictModel):
    name: str = Field(description="Registered skill name or 'package.module:Class'.")
    params: dict[str, Any] = Field(default_factory=dict)


class Endurance(StrictModel):
    """Long runs without reset: the task repeated ``cycles`` times in one world, ``runs`` times.

    A cycle that fails, times out (after the spec's time budget) or is stopped counts as an
    intervention: the cell is reset as an operator would, and the run goes on.
    """

    cycles: int = Field(gt=0, le=100_000, description="Task cycles per run.")
    runs: int = Field(1, gt=0, le=1000, description="Runs, each from its own seed.")


class ScenarioRef(StrictModel):
    spec: str = Field(description="Built-in spec id (family/name-vN) or a path to a YAML spec.")
    episodes: int | None = Field(None, gt=0, le=1_000_000)  # fixed count, or the cap when sequential
    skill: SkillRef | None = Field(None, description="This scenario's skill, instead of the plan's.")
    baseline_skill: SkillRef | None = Field(
        None, description="This scenario's baseline, instead of the plan's."
    )
    endurance: Endurance | None = Field(
        None, description="Also run the task many times without reset (endurance runs)."
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


class EfficiencyGate(StrictModel):
    """Cycle-time improvement over the baseline skill, 1 - new / baseline, on the same episodes:
    passes when the whole paired bootstrap interval is at least ``min``."""

    metric: Literal["efficiency_improvement"]
    scenario: str | None = Field(None, description="Spec id; omitted means every scenario.")
    min: float = Field(gt=-1, lt=1)
    confidence: float = Field(0.95, gt=0.5, lt=1)


class _GateBase(StrictModel):
    scenario: str | None = Field(None, description="Spec id; omitted means every scenario.")
    confidence: float = Field(0.95, gt=0.5, lt=1)


class SuccessRateGate(_GateBase):
    """Passes when the one-sided lower bound on the success rate clears ``min``."""

    metric: Literal["success_rate"] = "success_rate"
    min: float = Field(gt=0, lt=1)


class CriterionRateGate(_GateBase):
    """Like ``success_rate``, for the share of episodes a criterion passed (or found acceptable)."""

    metric: Literal["criterion_pass_rate"]
    criterion: str
    min: float = Field(gt=0, lt=1)


class RecoveryRateGate(_GateBase):
    """Like ``success_rate``, over the episodes in which the scenario's fault ``fault`` fired."""

    metric: Literal["recovery_rate"]
    fault: str = Field(description="A fault's name (its kind unless the spec names it).")
    min: float = Field(gt=0, lt=1)


class InterventionsGate(_GateBase):
    """Endurance runs: interventions per 1000 task cycles. Passes when the upper bound of the
    interval is at most ``max``, fails when the lower bound is above it."""

    metric: Literal["interventions_per_1000_cycles"]
    max: float = Field(gt=0, le=1000)


class ZeroEventsGate(_GateBase):
    """A hard gate: no episode may fail ``criterion`` (or end with ``outcome``); the report gives
    the upper bound on the event rate (about 3/n at 95 % after n clean episodes)."""

    metric: Literal["zero_events"]
    criterion: str | None = None
    outcome: Literal["failure", "timeout", "safety_stop", "skill_error"] | None = None

    @model_validator(mode="after")
    def _one_event(self) -> ZeroEventsGate:
        if (self.criterion is None) == (self.outcome is None):
            raise ValueError("name exactly one of 'criterion' or 'outcome' as the event to count")
        return self


class CriterionValueGate(_GateBase):
    """A bound on a criterion's measured values (e.g. median cycle time <= 8 s), decided with a
    bootstrap interval: passes when the whole interval is on the right side."""

    metric: Literal["criterion_value"]
    criterion: str
    statistic: Literal["median"] = "median"
    max: float | None = None
    min: float | None = None

    @model_validator(mode="after")
    def _one_bound(self) -> CriterionValueGate:
        if (self.max is None) == (self.min is None):
            raise ValueError("give exactly one of 'max' or 'min'")
        return self


def _default_metric(raw: Any) -> Any:
    if isinstance(raw, dict) and "metric" not in raw:
        return {**raw, "metric": "success_rate"}
    return raw


Gate = Annotated[
    SuccessRateGate
    | CriterionRateGate
    | RecoveryRateGate
    | InterventionsGate
    | ZeroEventsGate
    | CriterionValueGate
    | EfficiencyGate,
    Field(discriminator="metric"),
    BeforeValidator(_default_metric),
]


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

    name: str = "verification"
    skill: SkillRef
    baseline_skill: SkillRef | None = Field(
        None, description="Run on the same episodes too, for efficiency_improvement gates."
    )
    scenarios: list[ScenarioRef] = Field(min_length=1)
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
        None, description="Costs for the economics summary (needs the 'economics' criterion)."
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
