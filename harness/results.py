"""Outcome taxonomy and the per-episode result models that go into the report."""

from __future__ import annotations

import enum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Outcome(enum.StrEnum):
    """Exactly one per episode. The last two are infrastructure, never the skill's fault."""

    SUCCESS = "success"
    FAILURE = "failure"
    TIMEOUT = "timeout"
    SAFETY_STOP = "safety_stop"
    SKILL_ERROR = "skill_error"
    SIM_ERROR = "sim_error"
    HARNESS_ERROR = "harness_error"

    @property
    def scored(self) -> bool:
        """Whether the episode counts in the skill's statistics (infrastructure errors do not)."""
        return self not in (Outcome.SIM_ERROR, Outcome.HARNESS_ERROR)


class Verdict(enum.StrEnum):
    PASS = "pass"
    ACCEPTABLE = "acceptable"
    FAIL = "fail"
    NOT_APPLICABLE = "n/a"


class ReportModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CriterionResult(ReportModel):
    """What a criterion measured in one episode, against which threshold, and its verdict."""

    name: str
    verdict: Verdict
    measured: float | None = None
    threshold: float | None = None
    units: str = ""
    margin: float | None = Field(None, description="Distance to the threshold; negative = violated.")
    required: bool = True
    details: dict[str, Any] = Field(default_factory=dict)


class Timing(ReportModel):
    sim_s: float
    ticks: int
    physics_steps: int
    wall_s: float = Field(description="Wall-clock seconds; the only non-deterministic field.")


class InjectedFault(ReportModel):
    """A fault the scenario declared and the harness injected, with the ticks it began and ended."""

    name: str
    kind: str
    tick: int
    cleared_tick: int | None = None
    subject: str = ""
    detail: str = ""
    cycle: int | None = Field(None, description="The cycle of an endurance run it hit.")


class CycleRecord(ReportModel):
    """One task cycle of an endurance run; anything but a success needed an intervention."""

    cycle: int
    outcome: Outcome
    ticks: int
    sim_s: float
    ended_by: str
    reason: str = ""


class EpisodeResult(ReportModel):
    scenario: str
    index: int
    seed: int
    outcome: Outcome
    ended_by: str = Field(description="What ended the episode, e.g. 'task_succeeded' or 'tick 37'.")
    reason: str = ""
    conditions: dict[str, Any]
    criteria: list[CriterionResult]
    metrics: dict[str, float] = Field(default_factory=dict)
    timing: Timing
    attempts: int = 1
    faults: list[InjectedFault] = Field(default_factory=list, description="Faults injected on purpose.")
    cycles: list[CycleRecord] = Field(
        default_factory=list, description="Task cycles, for an endurance run (empty otherwise)."
    )

    def deterministic_json(self) -> str:
        """Everything but wall-clock time: byte-identical for the same plan and seed."""
        return self.model_dump_json(exclude={"timing": {"wall_s"}})
