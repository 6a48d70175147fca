"""Injected faults: what a scenario spec declares, and the armed fault a scenario injects.

A spec's ``faults`` list measures how a skill recovers from trouble on purpose.

Each fault fires once per episode (with ``probability``), either at a time (``at_s``) or a
while after a task event (``after`` with ``delay_s``), and lasts ``duration_s``. Times may be
distributions; they are drawn from the episode's own fault stream, so the same seed injects
the same faults at the same ticks. The harness arms each declared fault for an episode as an
:class:`ArmedFault` and hands world faults to :meth:`harness.Scenario.inject_fault`.
In a spec::

    faults:
      - kind: object_slip
        after: grasped
        delay_s: uniform(0.2, 0.8)
      - kind: sensor_dropout
        keys: [object_positions]
        at_s: uniform(1, 4)
        duration_s: 0.5
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from harness.distributions import Choice, Constant, Distribution, Uniform
from harness.results import InjectedFault

FAULT_KINDS = ("sensor_dropout", "object_slip", "blocked_path", "person_steps_in")
"""Every kind a spec may declare; a scenario says which of the world faults it supports."""


class _Fault(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str | None = Field(None, description="Label in the report; default: the kind.")
    probability: float = Field(1.0, gt=0, le=1, description="Chance the fault is armed in an episode.")
    at_s: Distribution | None = Field(None, description="Simulated time the fault fires at (s).")
    after: str | None = Field(None, description="Task event the fault follows, e.g. 'grasped'.")
    delay_s: Distribution = Field(Constant(value=0.0), description="Seconds between the event and the fault.")
    duration_s: Distribution = Field(Constant(value=0.5), description="Seconds the fault lasts.")

    @field_validator("at_s", "delay_s", "duration_s")
    @classmethod
    def _seconds(cls, value: Distribution | None) -> Distribution | None:
        """Times are seconds: numbers no smaller than 0 (a normal's draws below 0 count as 0)."""
        if value is None:
            return value
        if isinstance(value, Constant | Choice):
            values = [value.value] if isinstance(value, Constant) else value.options
            if any(isinstance(v, bool | str) or v < 0 for v in values):
                raise ValueError(
                    f"must be seconds, a number >= 0, or a distribution of them; got {value.describe()}"
                )
        elif isinstance(value, Uniform) and value.low < 0:
            raise ValueError(f"must not go below 0 s; got {value.describe()}")
        return value

    @model_validator(mode="after")
    def _one_trigger(self) -> _Fault:
        if (self.at_s is None) == (self.after is None):
            raise ValueError(
                "give exactly one trigger: 'at_s' (e.g. at_s: uniform(1, 4)) or 'after' a task event "
                "(e.g. after: grasped)"
            )
        return self

    @property
    def label(self) -> str:
        return self.name or self.kind  # type: ignore[attr-defined]


class SensorDropout(_Fault):
    """Observation keys stop updating: they hold their last value, read zeros, or read NaN."""

    kind: Literal["sensor_dropout"]
    keys: list[str] = Field(min_length=1, description="Observation keys that drop out.")
    mode: Literal["hold", "zeros", "nan"] = "hold"


class ObjectSlip(_Fault):
    """The held object slips out of the gripper: it falls through the fingers for ``duration_s``."""

    kind: Literal["object_slip"]


class BlockedPath(_Fault):
    """An obstacle appears ahead of the robot, ``distance_m`` along its heading, then is cleared."""

    kind: Literal["blocked_path"]
    distance_m: float = Field(2.0, gt=0.3, le=20)
    duration_s: Distribution = Field(
        Constant(value=6.0), description="Seconds before the obstacle is taken away."
    )


class PersonStepsIn(_Fault):
    """A person steps into the robot's path, ``distance_m`` ahead, stands, then steps back out."""

    kind: Literal["person_steps_in"]
    distance_m: float = Field(2.5, gt=0.3, le=20)
    duration_s: Distribution = Field(Constant(value=4.0), description="Seconds the person stays in the path.")


FaultSpec = Annotated[SensorDropout | ObjectSlip | BlockedPath | PersonStepsIn, Field(discriminator="kind")]


@dataclass
class ArmedFault:
    """One declared fault in one episode: when it fires, for how long, and what it hit.

    The engine fills in ``fired_tick`` and ``cleared_tick``; a scenario's ``inject_fault`` reads
    ``spec`` (the declared fault, e.g. its ``distance_m``) and ``subject`` (what the ``after``
    event named, e.g. the grasped object).
    """

    spec: FaultSpec
    fire_tick: int | None  # None: waiting for the ``after`` event
    delay_ticks: int
    duration_ticks: int
    fired_tick: int | None = None
    cleared_tick: int | None = None
    subject: str = ""
    detail: str = ""

    @property
    def active(self) -> bool:
        return self.fired_tick is not None and self.cleared_tick is None

    def record(self) -> InjectedFault:
        assert self.fired_tick is not None
        return InjectedFault(
            name=self.spec.label, kind=self.spec.kind, tick=self.fired_tick,
            cleared_tick=self.cleared_tick, subject=self.subject, detail=self.detail,
        )  # fmt: skip
