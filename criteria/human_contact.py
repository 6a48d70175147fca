"""Contact with people: an ISO/TS 15066-derived check (docs/standards.md §1), never a compliance claim.

The human proxy's links are mapped to the body regions of ISO/TS 15066 Annex A. Two checks:

- **Transient** (impact, body free to recoil): at contact onset, the first tick a robot link
  touches a region, the equivalent force F_eq = v_rel·√(μk) and energy E = ½μv_rel² are
  compared with 2·F_s and (2F_s)²/(2k), with μ = (1/m_H + 1/m_R)⁻¹ and m_R = M/2 + m_L (all of
  M for a mobile base, which moves as one body). Raw solver forces depend on the time step, which
  is why the speed, not the force, is measured. v_rel is the larger of the approach speed along
  the contact normal and the robot's TCP (or base) speed on the tick before: the backend reads
  the contact after the solver resolved it, when a stiff contact has already stopped the link.
  Skull/forehead and face must not be touched at all.
- **Quasi-static** (clamping): a region touching a robot link while pinned against a fixture
  (touching it, or within ``clamp_gap_m`` by a separation the scenario tracks) for longer than
  ``clamp_time_s``; the mean robot contact force over the hold is compared with F_s.

``measured`` is the worst utilisation, force / permissible force (threshold 1). A contact with
a region where no contact is permissible counts as 1 + its ratio to the table's 2·F_s.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass

from pydantic import BaseModel, ConfigDict, Field, field_validator

from criteria.event_log import Severity
from criteria.iso_15066 import (
    LINK_REGIONS,
    REGION_LIMITS,
    RegionLimits,
    effective_robot_mass,
    reduced_mass,
    transient_contact,
    transient_energy_limit,
    transient_speed_limit,
)
from criteria.people_contacts import PeopleContacts, PersonLink, Touch
from harness.criterion import Criterion, CriterionParams, EpisodeContext, EpisodeEnd
from harness.records import RobotState, StepRecord
from harness.results import CriterionResult, Verdict

# the region table and its arithmetic stay importable from here
__all__ = [
    "CHECK", "LINK_REGIONS", "REGION_LIMITS", "HumanContact", "HumanContactParams", "HumanContactSeverity",
    "RegionLimits", "RegionOverride", "RegionTally", "Severity", "effective_robot_mass", "reduced_mass",
    "transient_energy_limit", "transient_speed_limit",
]  # fmt: skip

CHECK = "ISO/TS 15066-derived check"


class RegionOverride(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    force: float | None = Field(None, gt=0, description="F_s, N.")
    stiffness: float | None = Field(None, gt=0, description="k, N/mm.")
    mass: float | None = Field(None, gt=0, description="m_H, kg.")


class HumanContactSeverity(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    forbidden_region: Severity = "critical"  # skull/forehead, face: docs/standards.md §1
    transient: Severity = "critical"
    clamping: Severity = "critical"


class HumanContactParams(CriterionParams):
    regions: dict[str, RegionOverride] = Field(
        default_factory=dict, description="Per-region overrides of docs/standards.md §1 (F_s, k, m_H)."
    )
    payload_kg: float = Field(0.5, ge=0, description="m_L: payload plus tool, kg.")
    robot_mass_kg: float | None = Field(None, gt=0, description="M; default: the robot's model mass.")
    transient_factor: float = Field(2.0, gt=0, description="Transient limit = factor * F_s (§1).")
    forbidden_regions: list[str] = Field(["skull_forehead", "face"], description="No contact allowed (§1).")
    clamp_time_s: float = Field(0.5, gt=0, description="Pinned longer than this is clamping (§1).")
    clamp_gap_m: float = Field(0.005, ge=0, description="A region this close to a fixture is pinned.")
    fixtures: list[str] = Field(
        ["table", "floor", "tray", "shelf*", "rack*", "wall*", "pedestal", "station", "fixture*"],
        description="Globs of fixed bodies a person can be pinned against.",
    )
    people_prefix: str = Field("human", description="Labels of human proxies start with this.")
    severity: HumanContactSeverity = HumanContactSeverity()

    @field_validator("regions", "forbidden_regions")
    @classmethod
    def _known_regions(cls, value: dict[str, RegionOverride] | list[str]) -> object:
        unknown = [name for name in value if name not in REGION_LIMITS]
        if unknown:
            raise ValueError(f"unknown body region(s) {unknown}; known: {', '.join(REGION_LIMITS)}")
        return value


@dataclass
class RegionTally:
    """Worst case per region, as it goes into the result's details."""

    contacts: int = 0
    exceedances: int = 0
    worst_utilisation: float = 0.0
    worst_force_n: float = 0.0
    worst_energy_j: float = 0.0
    worst_speed: float = 0.0
    transient_limit_n: float = 0.0
    clamping_limit_n: float = 0.0
    max_hold_s: float = 0.0
    max_clamp_mean_force_n: float = 0.0


def _speed(robot: RobotState) -> float:
    velocity = robot.ee_linear_velocity if robot.ee_linear_velocity.size else robot.base.linear_velocity
    x, y, z = velocity.tolist()
    return math.sqrt(x * x + y * y + z * z)


class HumanContact(Criterion[HumanContactParams]):
    """Transient and quasi-static contact with people within the body-region limits."""

    name = "human_contact"
    dimension = "safety"
    units = "F/F_permissible"

    def reset(self, context: EpisodeContext) -> None:
        params = self.params
        self.dt = context.control_dt
        self.limits = {
            name: RegionLimits(
                o.force or base.force, base.pressure, o.stiffness or base.stiffness, o.mass or base.mass
            )
            for name, base in REGION_LIMITS.items()
            for o in (params.regions.get(name, RegionOverride()),)
        }
        # m_R per robot: a robot without joints is a mobile base
        self.robot_mass = {
            label: effective_robot_mass(
                params.robot_mass_kg or limits.mass, params.payload_kg, mobile=not limits.joint_lower.size
            )
            for label, limits in context.robots.items()
        }
        self.default_mass = effective_robot_mass(params.robot_mass_kg or 20.0, params.payload_kg)
        self.forbidden = frozenset(params.forbidden_regions)
        self.factor = params.transient_factor
        self.people = PeopleContacts(params.people_prefix, params.clamp_gap_m, params.fixtures)
        self.previous_robots: Mapping[str, RobotState] = {}
        self.touching: set[Touch] = set()  # last tick's
        self.holds: dict[PersonLink, list[float]] = {}  # [ticks, force sum, flagged]
        self.tally: dict[str, RegionTally] = {}
        self.counts = {"critical": 0, "major": 0, "minor": 0}
        self.worst = 0.0
        self.worst_event: dict[str, object] = {}

    def fold(self, record: StepRecord) -> str | None:
        state = record.state
        previous, self.previous_robots = self.previous_robots, state.robots
        if not state.contacts and not self.touching and not self.holds:
            return None  # nothing touches anyone: the common tick costs one test
        now, pinned = self.people.scan(state)
        reason = None
        for key, (speed, _) in now.items():
            if key not in self.touching:
                before = previous.get(key[0])
                bound = _speed(before) if before is not None else 0.0
                reason = self._onset(key, max(speed, bound), record.tick) or reason
        self.touching = set(now)
        return self._clamping(now, pinned, record.tick) or reason

    def _onset(self, key: Touch, speed: float, tick: int) -> str | None:
        params = self.params
        robot, person, link = key
        region = LINK_REGIONS.get(link)
        if region is None:
            return None  # the proxy's root link is no body region
        limits = self.limits[region]
        force, energy = transient_contact(speed, limits, self.robot_mass.get(robot, self.default_mass))
        limit = params.transient_factor * limits.force
        ratio = force / limit
        tally = self._tally(region)
        tally.contacts += 1
        if region in self.forbidden:
            what, utilisation, severity = "forbidden_region", 1.0 + ratio, params.severity.forbidden_region
        else:
            what, utilisation, severity = "transient", ratio, params.severity.transient
        if utilisation > tally.worst_utilisation:
            tally.worst_utilisation, tally.worst_force_n = utilisation, force
            tally.worst_energy_j, tally.worst_speed = energy, speed
        self._note(utilisation, {"tick": tick, "kind": what, "robot": robot, "person": person,
                                 "link": link, "region": region, "speed": speed, "force_n": force,
                                 "energy_j": energy, "limit_n": limit})  # fmt: skip
        if utilisation <= 1.0:
            return None
        tally.exceedances += 1
        return self._event(
            severity,
            f"{robot} touched {person}'s {link} at {speed:.2f} m/s: equivalent force {force:.0f} N "
            + ("where no contact is permissible" if what == "forbidden_region" else f"above {limit:.0f} N")
            + f" ({CHECK})",
        )

    def _clamping(
        self, now: Mapping[Touch, tuple[float, float]], pinned: set[PersonLink], tick: int
    ) -> str | None:
        forces: dict[PersonLink, float] = {}
        for (_, person, link), (_, force) in now.items():
            if (person, link) in pinned:
                forces[(person, link)] = forces.get((person, link), 0.0) + force
        for key in [k for k in self.holds if k not in forces]:
            del self.holds[key]  # released: the hold's figures are in the tally already
        reason = None
        for key, force in forces.items():
            hold = self.holds.setdefault(key, [0.0, 0.0, 0.0])
            hold[0] += 1
            hold[1] += force
            reason = self._judge_hold(key, hold, tick) or reason
        return reason

    def _judge_hold(self, key: PersonLink, hold: list[float], tick: int) -> str | None:
        params = self.params
        region = LINK_REGIONS.get(key[1])
        if region is None:
            return None
        seconds, mean = hold[0] * self.dt, hold[1] / hold[0]
        limit = self.limits[region].force
        tally = self._tally(region)
        tally.max_hold_s = max(tally.max_hold_s, seconds)
        if seconds <= params.clamp_time_s:
            return None
        tally.max_clamp_mean_force_n = max(tally.max_clamp_mean_force_n, mean)
        self._note(mean / limit, {"tick": tick, "kind": "clamping", "person": key[0], "link": key[1],
                                  "region": region, "hold_s": seconds, "mean_force_n": mean,
                                  "limit_n": limit})  # fmt: skip
        if mean <= limit or hold[2]:
            return None
        hold[2] = 1.0  # one exceedance per hold
        tally.exceedances += 1
        return self._event(
            params.severity.clamping,
            f"{key[0]}'s {key[1]} clamped for {seconds:.2f} s at a mean {mean:.0f} N, above "
            f"{limit:.0f} N ({CHECK})",
        )

    def _tally(self, region: str) -> RegionTally:
        tally = self.tally.get(region)
        if tally is None:
            limits = self.limits[region]
            tally = self.tally[region] = RegionTally(
                transient_limit_n=self.factor * limits.force, clamping_limit_n=limits.force
            )
        return tally

    def _note(self, utilisation: float, event: dict[str, object]) -> None:
        if utilisation > self.worst:
            self.worst, self.worst_event = utilisation, event

    def _event(self, severity: Severity, reason: str) -> str | None:
        self.counts[severity] += 1
        return reason if severity == "critical" else None

    def result(self, end: EpisodeEnd) -> CriterionResult:
        counts = self.counts
        if counts["critical"] or counts["major"]:
            verdict = Verdict.FAIL
        elif counts["minor"] or self.tally:
            verdict = Verdict.ACCEPTABLE  # people were touched, within the limits
        else:
            verdict = Verdict.PASS
        return self.judged(
            verdict, measured=self.worst, threshold=1.0, margin=1.0 - self.worst,
            details={
                "check": CHECK, "events": dict(counts), "worst": self.worst_event,
                "regions": {name: asdict(tally) for name, tally in sorted(self.tally.items())},
            },
        )  # fmt: skip
