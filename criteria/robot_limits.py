"""Robot limits and collisions: what a robot must never do, whatever the task.

Event classes, each with a configurable severity (critical: stops the episode as a safety stop
and is gated at zero; major: fails the criterion and is counted as a rate; minor: counted,
verdict 'acceptable'):

- ``joint_position``, ``joint_velocity``, ``joint_torque``: beyond the robot model's limits
  (from the episode context), with a margin or tolerance;
- ``self_collision``: two links of one robot touching (adjacent gripper links excluded);
- ``environment_contact``: a robot touching anything not in ``expected_contacts`` (people
  are left to ``human_contact``);
- ``keep_out``: the end effector or the base inside a declared keep-out box;
- ``dropped_object``: the scenario's ``dropped`` event;
- ``fall``: for legged or humanoid bodies, when enabled: base too low, torso tilted too far, or
  a non-foot link on the ground (docs/standards.md §3).

An event is counted once per onset: a limit held exceeded for ten ticks is one event.
``measured`` is the number of events (threshold 0).
"""

from __future__ import annotations

import fnmatch
import math

from pydantic import BaseModel, ConfigDict, Field, model_validator

from criteria.event_log import EventLog, EventTally, Severity
from criteria.joint_limits import JointLimits
from harness.criterion import Criterion, CriterionParams, EpisodeContext, EpisodeEnd
from harness.records import RobotState, StepRecord
from harness.results import CriterionResult

# the event log and joint checks stay importable from here
__all__ = [
    "Box", "EventLog", "EventTally", "FallCheck", "JointLimits", "KeepOutZone", "RobotLimits",
    "RobotLimitsParams", "RobotLimitsSeverity", "Severity", "tilt",
]  # fmt: skip

Vector3 = tuple[float, float, float]


class Box(BaseModel):
    """An axis-aligned box in the world frame (metres)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = ""
    low: Vector3
    high: Vector3

    @model_validator(mode="after")
    def _ordered(self) -> Box:
        if any(lo > hi for lo, hi in zip(self.low, self.high, strict=True)):
            raise ValueError(f"box '{self.name}': low {self.low} must not exceed high {self.high}")
        return self

    def contains(self, x: float, y: float, z: float) -> bool:
        (x0, y0, z0), (x1, y1, z1) = self.low, self.high
        return x0 <= x <= x1 and y0 <= y <= y1 and z0 <= z <= z1


class KeepOutZone(Box):
    robots: str = Field("*", description="Glob of the robot labels the zone applies to.")


class FallCheck(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    robots: str = Field("*", description="Glob of the robot labels that can fall.")
    min_base_height_m: float | None = Field(None, description="Base below this height is a fall.")
    max_tilt_rad: float | None = Field(None, gt=0, description="Base tilted more than this is a fall.")
    ground: str = Field("floor", description="Label of the ground body.")
    feet: list[str] = Field(["*foot*", "*wheel*"], description="Globs of links allowed on the ground.")


class RobotLimitsSeverity(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    joint_position: Severity = "major"
    joint_velocity: Severity = "major"
    joint_torque: Severity = "major"
    self_collision: Severity = "major"
    environment_contact: Severity = "major"
    keep_out: Severity = "critical"
    dropped_object: Severity = "major"
    fall: Severity = "critical"  # docs/standards.md §3: a fall near people is critical


class RobotLimitsParams(CriterionParams):
    position_margin_rad: float = Field(0.0, ge=0, description="Joint closer than this to a limit violates.")
    velocity_tolerance: float = Field(0.0, ge=0, description="Fraction above the velocity limit tolerated.")
    torque_tolerance: float = Field(
        1e-6, ge=0, description="Fraction above the torque limit tolerated (a saturated motor sits at it)."
    )
    self_collision_ignore: list[str] = Field(
        ["*finger*|*finger*", "*hand*|*finger*"], description="'link|link' glob pairs, either order."
    )
    expected_contacts: list[str] = Field(
        ["object:*", "item:*", "floor"], description="Globs of bodies a robot may touch."
    )
    people_prefix: str = Field("human", description="Contacts with these are human_contact's to judge.")
    keep_out_zones: list[KeepOutZone] = Field(default_factory=list)
    fall: FallCheck | None = Field(None, description="Enable fall detection (legged, humanoid).")
    severity: RobotLimitsSeverity = RobotLimitsSeverity()


def tilt(robot: RobotState) -> float:
    """Angle between the base's z axis and the world's (rad)."""
    x, y, _, _ = robot.base.orientation.tolist()
    return math.acos(max(-1.0, min(1.0, 1.0 - 2.0 * (x * x + y * y))))


class RobotLimits(Criterion[RobotLimitsParams]):
    """Joint limits, collisions, keep-out zones, dropped objects and falls."""

    name = "robot_limits"
    dimension = "safety"
    units = "events"

    def reset(self, context: EpisodeContext) -> None:
        self.joints = {
            label: JointLimits(context, label, self.params)
            for label, limits in context.robots.items()
            if limits.joint_lower.size
        }
        self.log = EventLog(self.params.severity.model_dump())
        self.expected: dict[str, bool] = {}
        self.ignored_pairs: dict[tuple[str, str], bool] = {}

    def fold(self, record: StepRecord) -> str | None:
        params = self.params
        found: list[tuple[str, str]] = []
        state = record.state
        for label, robot in state.robots.items():
            joints = self.joints.get(label)
            if joints is not None and robot.joint_positions.size:
                joints.check(robot, found, label)
        if state.contacts:
            self._contacts(record, found)
        if params.keep_out_zones:
            self._keep_out(record, params.keep_out_zones, found)
        if params.fall is not None:
            self._falls(record, params.fall, found)
        for event in record.events:
            if event.name == "dropped":
                found.append(("dropped_object", f"{event.subject or 'an object'} was dropped"))
        if not found and not self.log.active:
            return None
        return self.log.update(found, record.tick)

    def _contacts(self, record: StepRecord, found: list[tuple[str, str]]) -> None:
        robots = record.state.robots
        for c in record.state.contacts:
            if c.body_a == c.body_b:
                if c.body_a in robots and not self._ignored(c.link_a, c.link_b):
                    found.append(("self_collision", f"{c.body_a}: {c.link_a} touched {c.link_b}"))
            elif c.body_a in robots and not self._expected(c.body_b):
                found.append(("environment_contact", f"{c.body_a} ({c.link_a}) touched {c.body_b}"))
            elif c.body_b in robots and not self._expected(c.body_a):
                found.append(("environment_contact", f"{c.body_b} ({c.link_b}) touched {c.body_a}"))

    def _expected(self, label: str) -> bool:
        known = self.expected.get(label)
        if known is None:
            known = label.startswith(self.params.people_prefix) or any(
                fnmatch.fnmatchcase(label, pattern) for pattern in self.params.expected_contacts
            )
            self.expected[label] = known
        return known

    def _ignored(self, link_a: str, link_b: str) -> bool:
        known = self.ignored_pairs.get((link_a, link_b))
        if known is None:
            known = False
            for pattern in self.params.self_collision_ignore:
                first, _, second = pattern.partition("|")
                match = fnmatch.fnmatchcase
                if (match(link_a, first) and match(link_b, second)) or (
                    match(link_b, first) and match(link_a, second)
                ):
                    known = True
            self.ignored_pairs[(link_a, link_b)] = known
        return known

    def _keep_out(self, record: StepRecord, zones: list[KeepOutZone], found: list[tuple[str, str]]) -> None:
        for label, robot in record.state.robots.items():
            points = [("base", robot.base.position)]
            if robot.ee_position.size:
                points.append(("end effector", robot.ee_position))
            for zone in zones:
                if not fnmatch.fnmatchcase(label, zone.robots):
                    continue
                for part, position in points:
                    if zone.contains(*position.tolist()):
                        found.append(("keep_out", f"{label}'s {part} entered keep-out zone '{zone.name}'"))

    def _falls(self, record: StepRecord, fall: FallCheck, found: list[tuple[str, str]]) -> None:
        for label, robot in record.state.robots.items():
            if not fnmatch.fnmatchcase(label, fall.robots):
                continue
            height = float(robot.base.position[2])
            if fall.min_base_height_m is not None and height < fall.min_base_height_m:
                found.append(("fall", f"{label}'s base fell to {height:.2f} m"))
            if fall.max_tilt_rad is not None and (angle := tilt(robot)) > fall.max_tilt_rad:
                found.append(("fall", f"{label} tilted {math.degrees(angle):.0f} degrees"))
        for c in record.state.contacts:
            for body, link, other in ((c.body_a, c.link_a, c.body_b), (c.body_b, c.link_b, c.body_a)):
                if (
                    other == fall.ground
                    and body in record.state.robots
                    and fnmatch.fnmatchcase(body, fall.robots)
                    and not any(fnmatch.fnmatchcase(link, foot) for foot in fall.feet)
                ):
                    found.append(("fall", f"{body}'s {link} touched the ground"))

    def result(self, end: EpisodeEnd) -> CriterionResult:
        events = float(self.log.events)
        margin = -events if events else 0.0  # not -0.0 in the report
        joints = {label: j.worst() for label, j in self.joints.items()}
        return self.judged(
            self.log.verdict(), measured=events, threshold=0.0, margin=margin,
            details={**self.log.details(), "joints": joints},
        )  # fmt: skip
