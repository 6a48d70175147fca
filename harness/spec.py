"""The scenario spec: the versioned file a scenario is built from (strict pydantic models).

A :class:`harness.Scenario` is constructed with its :class:`ScenarioSpec`; plans refer to
specs by id or path (``harness.plan``).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from harness.distributions import Distribution
from harness.faults import FaultSpec

SPEC_ID_PATTERN = r"^[a-z][a-z0-9_]*/[a-z][a-z0-9_]*-v[0-9]+$"


class StrictModel(BaseModel):
    """Unknown keys are errors and loaded files are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class ObjectsSpec(StrictModel):
    count: int = Field(1, ge=1, le=8, description="Number of objects the task handles.")
    shape: Literal["box"] = "box"


class ScenarioSpec(StrictModel):
    """A versioned scenario: which task family, robot, rates, budget and randomisation."""

    id: Annotated[str, Field(pattern=SPEC_ID_PATTERN, max_length=128, description="family/name-vN")]
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
