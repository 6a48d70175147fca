"""The file formats users write: scenario specs and verification plans (pydantic, strict)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from harness.distributions import Distribution

SPEC_ID_PATTERN = r"^[a-z][a-z0-9_]*/[a-z][a-z0-9_]*-v[0-9]+$"


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


class ScenarioRef(StrictModel):
    spec: str = Field(description="Built-in spec id (family/name-vN) or a path to a YAML spec.")
    episodes: int | None = Field(None, gt=0, le=1_000_000)


class CriterionConfig(StrictModel):
    """A criterion's thresholds; ``required`` criteria turn a failed verdict into a failure."""

    model_config = ConfigDict(extra="allow", frozen=True)
    required: bool = True

    @property
    def params(self) -> dict[str, Any]:
        return dict(self.model_extra or {})


class Gate(StrictModel):
    """A release gate on the success rate: passes when the one-sided lower bound clears ``min``."""

    metric: Literal["success_rate"] = "success_rate"
    scenario: str | None = Field(None, description="Spec id; omitted means every scenario.")
    min: float = Field(gt=0, lt=1)
    confidence: float = Field(0.95, gt=0.5, lt=1)


class Plan(StrictModel):
    """A verification plan: which skill, on which scenarios, how many episodes, judged how."""

    name: str = "verification"
    skill: SkillRef
    scenarios: list[ScenarioRef] = Field(min_length=1)
    episodes: int = Field(30, gt=0, le=1_000_000, description="Episodes per scenario.")
    seed: int = Field(0, ge=0, lt=2**63)
    criteria: dict[str, CriterionConfig] = Field(default_factory=lambda: {"task_success": CriterionConfig()})
    gates: list[Gate] = Field(default_factory=lambda: [Gate(min=0.9)])

    @model_validator(mode="before")
    @classmethod
    def _short_forms(cls, data: Any) -> Any:
        """Accept ``skill: name`` and ``scenarios: [id, ...]`` as well as the long forms."""
        if not isinstance(data, dict):
            return data
        data = dict(data)
        if isinstance(data.get("skill"), str):
            data["skill"] = {"name": data["skill"]}
        if isinstance(data.get("scenarios"), list):
            data["scenarios"] = [{"spec": s} if isinstance(s, str) else s for s in data["scenarios"]]
        if isinstance(data.get("criteria"), dict):
            data["criteria"] = {k: {} if v is None else v for k, v in data["criteria"].items()}
        return data

    def episodes_for(self, ref: ScenarioRef) -> int:
        return ref.episodes if ref.episodes is not None else self.episodes
