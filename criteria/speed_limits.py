"""Speed limits around people (docs/standards.md §3): functional proxies, never a compliance claim.

Event classes, with configurable severities (see ``robot_limits``):

- ``tcp_speed``: an arm's tool centre point faster than the zone's limit inside a declared
  collaborative zone (default 0.25 m/s, the ISO 10218 reduced speed; it is *not* a general
  collaborative limit: set each zone's limit from the risk assessment);
- ``stopping_distance``: a mobile base that could not stop before reaching the nearest person:
  the distance it needs, braking distance + v·(controller + sensor response) + tolerances
  (the protective field length of ISO 3691-4, docs/standards.md §3), exceeds the separation;
- ``protective_field``: a mobile base faster than its declared protective field covers (only
  when ``protective_field_m`` is given);
- ``base_speed_near_people``: a site rule, off by default: a mobile base faster than
  ``base_speed_near_people`` while a person is closer than ``near_people_m`` (no standard's
  figure: take both from the risk assessment);
- ``restart``: moving again after a protective stop without a reset (ISO 3691-4: no automatic
  restart). A protective stop is a ``protective_stop`` task event (subject: the robot, or empty
  for all), cleared only by a ``reset`` event; or a person inside a mobile base's protective
  field, cleared when they leave. A restart is a robot that came to rest and moves again while
  still stopped.

``measured`` is the number of events (threshold 0); the details hold the worst speeds. The
verdict is ``n/a`` when nothing applied: no zone declared, no mobile base, no protective stop.
"""

from __future__ import annotations

import fnmatch
import math

from pydantic import BaseModel, ConfigDict, Field

from criteria.robot_limits import Box, EventLog, Severity
from harness.criterion import Criterion, CriterionParams, EpisodeContext, EpisodeEnd
from harness.records import RobotState, StepRecord
from harness.results import CriterionResult, Verdict


class CollaborativeZone(Box):
    tcp_speed_limit: float | None = Field(None, gt=0, description="m/s; default: the criterion's.")
    robots: str = Field("*", description="Glob of the robot labels the zone applies to.")


class SpeedLimitsSeverity(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    tcp_speed: Severity = "major"
    stopping_distance: Severity = "major"
    base_speed_near_people: Severity = "major"
    protective_field: Severity = "major"
    restart: Severity = "critical"  # ISO 3691-4: never an automatic restart


class SpeedLimitsParams(CriterionParams):
    collaborative_zones: list[CollaborativeZone] = Field(default_factory=list)
    tcp_speed_limit: float = Field(0.25, gt=0, description="m/s in collaborative zones (§3: 250 mm/s).")
    speed_tolerance: float = Field(0.0, ge=0, description="m/s tolerated above every speed limit.")
    near_people_m: float = Field(1.5, gt=0, description="A person closer than this is near a base, m.")
    base_speed_near_people: float | None = Field(
        None, gt=0, description="Base speed limit near people, m/s (a site rule; None: off)."
    )
    protective_field_m: float | None = Field(
        None, gt=0, description="The bases' protective field length, m; None skips the field checks."
    )
    deceleration: float = Field(1.0, gt=0, description="Base braking deceleration, m/s^2 (§3 example).")
    scanner_response_s: float = Field(0.08, ge=0, description="Sensor response time, s (§3 example).")
    controller_response_s: float = Field(0.1, ge=0, description="Controller response time, s (§3 example).")
    field_tolerance_m: float = Field(0.2, ge=0, description="Measurement and stopping tolerances, m (§3).")
    moving_speed: float = Field(0.02, ge=0, description="Below this speed (m/s) a robot is at rest.")
    people_prefix: str = Field("human", description="Labels of human proxies start with this.")
    severity: SpeedLimitsSeverity = SpeedLimitsSeverity()


def protective_field_length(speed: float, params: SpeedLimitsParams) -> float:
    """Field length a base at ``speed`` needs: v²/(2a) + v·(T_controller + T_sensor) + tolerances."""
    response = params.controller_response_s + params.scanner_response_s
    return speed**2 / (2 * params.deceleration) + speed * response + params.field_tolerance_m


def _speed(velocity: list[float]) -> float:
    return math.sqrt(velocity[0] ** 2 + velocity[1] ** 2 + velocity[2] ** 2)


class SpeedLimits(Criterion[SpeedLimitsParams]):
    """TCP speed in collaborative zones, base speed near people, protective fields, restarts."""

    name = "speed_limits"
    dimension = "safety"
    units = "events"

    def reset(self, context: EpisodeContext) -> None:
        self.mobile = {label for label, limits in context.robots.items() if limits.max_base_speed > 0}
        self.log = EventLog(self.params.severity.model_dump())
        self.prefix = self.params.people_prefix
        self.applicable = bool(self.params.collaborative_zones)  # else only once a base or a stop shows up
        self.stopped_by_event: set[str] = set()
        self.at_rest: set[str] = set()  # stopped robots that have come to rest
        self.worst = {
            "tcp_speed_in_zone": 0.0, "base_speed_near_people": 0.0, "field_needed_m": 0.0,
            "stopping_margin_m": math.inf,
        }  # fmt: skip

    def _is_mobile(self, label: str, robot: RobotState) -> bool:
        return label in self.mobile or not robot.ee_position.size

    def fold(self, record: StepRecord) -> str | None:
        params = self.params
        state = record.state
        found: list[tuple[str, str]] = []
        for event in record.events:
            if event.name == "protective_stop":
                self.applicable = True
                self.stopped_by_event.update([event.subject] if event.subject else state.robots)
            elif event.name == "reset":
                self.stopped_by_event.difference_update([event.subject] if event.subject else state.robots)
        nearest = self._nearest_people(record)
        for label, robot in state.robots.items():
            mobile = self._is_mobile(label, robot)
            if not (mobile or params.collaborative_zones or label in self.stopped_by_event):
                self.at_rest.discard(label)  # an arm outside any zone and not stopped: nothing to check
                continue
            velocity = robot.base.linear_velocity if mobile else robot.ee_linear_velocity
            speed = _speed(velocity.tolist())
            if mobile:
                self.applicable = True
                self._base(label, speed, nearest.get(label, math.inf), params, found)
            elif params.collaborative_zones:
                self._tcp(label, robot, speed, params, found)
            in_field = mobile and nearest.get(label, math.inf) < (params.protective_field_m or 0.0)
            self._restart(label, speed, in_field, params, found)
        if not found and not self.log.active:
            return None
        return self.log.update(found, record.tick)

    def _nearest_people(self, record: StepRecord) -> dict[str, float]:
        nearest: dict[str, float] = {}
        prefix = self.prefix
        for s in record.state.separations:
            if s.body_b.startswith(prefix):
                nearest[s.body_a] = min(nearest.get(s.body_a, math.inf), s.distance)
            elif s.body_a.startswith(prefix):
                nearest[s.body_b] = min(nearest.get(s.body_b, math.inf), s.distance)
        return nearest

    def _base(
        self,
        label: str,
        speed: float,
        nearest: float,
        params: SpeedLimitsParams,
        found: list[tuple[str, str]],
    ) -> None:
        worst = self.worst
        needed = protective_field_length(speed, params)
        if speed >= params.moving_speed and nearest < math.inf:
            worst["stopping_margin_m"] = min(worst["stopping_margin_m"], nearest - needed)
            if needed > nearest:
                found.append((
                    "stopping_distance",
                    f"{label} at {speed:.2f} m/s needs {needed:.2f} m to stop; a person is {nearest:.2f} m "
                    "away",
                ))  # fmt: skip
        limit = params.base_speed_near_people
        if nearest < params.near_people_m:
            worst["base_speed_near_people"] = max(worst["base_speed_near_people"], speed)
            if limit is not None and speed > limit + params.speed_tolerance:
                found.append(
                    ("base_speed_near_people", f"{label} at {speed:.2f} m/s {nearest:.2f} m from a person")
                )
        if params.protective_field_m is not None:
            worst["field_needed_m"] = max(worst["field_needed_m"], needed)
            if needed > params.protective_field_m:
                found.append((
                    "protective_field",
                    f"{label} at {speed:.2f} m/s needs a {needed:.2f} m protective field, "
                    f"has {params.protective_field_m:.2f} m",
                ))  # fmt: skip

    def _tcp(
        self,
        label: str,
        robot: RobotState,
        speed: float,
        params: SpeedLimitsParams,
        found: list[tuple[str, str]],
    ) -> None:
        x, y, z = robot.ee_position.tolist()
        for zone in params.collaborative_zones:
            if not zone.contains(x, y, z) or not fnmatch.fnmatchcase(label, zone.robots):
                continue
            limit = zone.tcp_speed_limit or params.tcp_speed_limit
            self.worst["tcp_speed_in_zone"] = max(self.worst["tcp_speed_in_zone"], speed)
            if speed > limit + params.speed_tolerance:
                found.append((
                    "tcp_speed", f"{label}'s TCP at {speed:.2f} m/s in zone '{zone.name}' (limit {limit:.2f})"
                ))  # fmt: skip

    def _restart(
        self,
        label: str,
        speed: float,
        in_field: bool,
        params: SpeedLimitsParams,
        found: list[tuple[str, str]],
    ) -> None:
        stopped = in_field or label in self.stopped_by_event
        if not stopped:
            self.at_rest.discard(label)
            return
        if speed < params.moving_speed:
            self.at_rest.add(label)
        elif label in self.at_rest:
            why = (
                "without a reset"
                if label in self.stopped_by_event
                else "with a person in its protective field"
            )
            found.append(("restart", f"{label} moved again at {speed:.2f} m/s after a protective stop {why}"))
            self.at_rest.discard(label)  # one event per restart

    def result(self, end: EpisodeEnd) -> CriterionResult:
        events = float(self.log.events)
        margin = -events if events else 0.0  # not -0.0 in the report
        verdict = self.log.verdict() if self.applicable else Verdict.NOT_APPLICABLE
        worst = {key: (None if math.isinf(value) else value) for key, value in self.worst.items()}
        return self.judged(
            verdict,
            measured=events,
            threshold=0.0,
            margin=margin,
            details={**self.log.details(), "worst": worst},
        )
