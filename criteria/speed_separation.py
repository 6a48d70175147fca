"""Speed and separation monitoring (ISO/TS 15066 §5.5.4-derived check, docs/standards.md §2).

Every tick, for every tracked robot-person separation, the protective separation distance

    S_p = v_h (T_r + T_s) + v_r T_r + S_s + C + Z_d + Z_r,   S_s = v_r² / (2 a)

is compared with the measured separation. A violation is a separation below S_p while the
robot moves and is not already slowing down. A simulation checks a functional proxy of the
requirement, never compliance.
"""

from __future__ import annotations

import math

from pydantic import Field

from harness.criterion import Criterion, CriterionParams, EpisodeContext, EpisodeEnd
from harness.records import RobotState, StepRecord
from harness.results import CriterionResult, Verdict


class SpeedSeparationParams(CriterionParams):
    human_speed: float = Field(1.6, gt=0, description="v_h, m/s (ISO 13855 walking speed).")
    reaction_time_s: float = Field(0.1, ge=0, description="T_r: sensing and processing, s.")
    stopping_time_s: float = Field(0.3, ge=0, description="T_s: robot stopping time, s.")
    deceleration: float = Field(1.0, gt=0, description="a in S_s = v_r^2 / (2a), m/s^2.")
    stopping_distance_m: float | None = Field(None, ge=0, description="S_s fixed instead of v_r^2/(2a).")
    intrusion_distance_m: float = Field(0.0, ge=0, description="C, m.")
    human_uncertainty_m: float = Field(0.05, ge=0, description="Z_d, m.")
    robot_uncertainty_m: float = Field(0.01, ge=0, description="Z_r, m.")
    moving_speed: float = Field(0.02, ge=0, description="Below this robot speed (m/s) it counts as stopped.")
    stop_on_violation: bool = Field(True, description="A violation is critical: stop the episode.")


def protective_distance(robot_speed: float, params: SpeedSeparationParams) -> float:
    """S_p for a robot moving at ``robot_speed`` towards a person."""
    stopping = (
        params.stopping_distance_m
        if params.stopping_distance_m is not None
        else robot_speed**2 / (2 * params.deceleration)
    )
    return (
        params.human_speed * (params.reaction_time_s + params.stopping_time_s)
        + robot_speed * params.reaction_time_s
        + stopping
        + params.intrusion_distance_m
        + params.human_uncertainty_m
        + params.robot_uncertainty_m
    )


def robot_speed(robot: RobotState) -> float:
    """TCP speed for an arm, base speed for a mobile base (whichever moves the robot at people)."""
    velocity = robot.ee_linear_velocity if robot.ee_linear_velocity.size else robot.base.linear_velocity
    return math.hypot(*velocity.tolist())


class SpeedSeparation(Criterion[SpeedSeparationParams]):
    """Separation to people never below the protective separation distance while moving."""

    name = "speed_separation"
    dimension = "safety"
    units = "m"

    def reset(self, context: EpisodeContext) -> None:
        self.braking_per_tick = 0.5 * self.params.deceleration * context.control_dt
        self.worst_margin = math.inf
        self.worst: dict[str, float | str | int] = {}
        self.violations = 0
        self.min_separation: dict[str, float] = {}
        self.previous_speed: dict[str, float] = {}

    def fold(self, record: StepRecord) -> str | None:
        params = self.params
        reason = None
        for separation in record.state.separations:
            robot = record.state.robots.get(separation.body_a)
            if robot is None:
                continue
            pair = f"{separation.body_a}|{separation.body_b}"
            self.min_separation[pair] = min(self.min_separation.get(pair, math.inf), separation.distance)
            speed = robot_speed(robot)
            previous = self.previous_speed.get(pair)
            # "already stopping": braking at no less than half the nominal deceleration
            slowing = previous is not None and speed <= previous - self.braking_per_tick
            self.previous_speed[pair] = speed
            if speed < params.moving_speed or slowing:
                continue
            margin = separation.distance - protective_distance(speed, params)
            if margin < self.worst_margin:
                self.worst_margin = margin
                self.worst = {
                    "tick": record.tick, "pair": pair, "separation_m": separation.distance,
                    "protective_distance_m": separation.distance - margin, "robot_speed": speed,
                    "region": separation.link_b,
                }  # fmt: skip
            if margin < 0:
                self.violations += 1
                if reason is None and params.stop_on_violation:
                    reason = (
                        f"{separation.body_a} at {speed:.2f} m/s came within {separation.distance:.2f} m of "
                        f"{separation.body_b} ({separation.link_b}); protective distance "
                        f"{separation.distance - margin:.2f} m (ISO/TS 15066-derived check)"
                    )
        return reason

    def result(self, end: EpisodeEnd) -> CriterionResult:
        measured = None if math.isinf(self.worst_margin) else self.worst_margin
        verdict = Verdict.FAIL if self.violations else Verdict.PASS
        if not self.min_separation:
            verdict = Verdict.NOT_APPLICABLE  # nobody to keep apart from
        return self.judged(
            verdict, measured=measured, threshold=0.0, margin=measured,
            details={
                "violations": self.violations, "worst": self.worst,
                "min_separation_m": dict(self.min_separation),
                "check": "ISO/TS 15066-derived speed and separation monitoring",
            },
        )  # fmt: skip
