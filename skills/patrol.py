"""Reference inspection patrol for the Husky (``inspection/patrol``).

The robot drives a serpentine through the aisles along their centrelines, stops level with
each gauge, turns to face it, averages a few noisy readings, reports, and drives on; after the
last aisle it ends the patrol. Near people it caps its speed so that the separation stays above
the ISO/TS 15066 protective distance S_p = v_h (T_r + T_s) + v_r T_r + v_r^2 / (2a) + C + Z_d + Z_r
(docs/standards.md §2) plus a margin, which means standing still while someone walks past.
Something in the way short of where it is driving to (the range sensor's ``obstacle_distance``)
makes it brake to a stop a margin short of it and wait until the way is clear.
"""

from __future__ import annotations

import enum
import math
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from harness.records import FloatArray
from harness.skill import Observation, Skill, TaskInfo
from skills.obstacles import obstacle_speed_limit

Point = tuple[float, float]


class Mode(enum.Enum):
    DRIVE = "drive"
    ALIGN = "align"
    READ = "read"
    DONE = "done"


class Tuning(BaseModel):
    """Motion, reading and safety settings (metres, seconds, radians); any can be set in the plan."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    cruise_speed: float = Field(0.9, gt=0, le=1.0)
    deceleration: float = Field(0.7, gt=0, le=1.0, description="planned braking, below the base's 1 m/s^2")
    min_speed: float = Field(0.08, ge=0)
    max_yaw_rate: float = Field(1.5, gt=0, le=2.0)
    heading_gain: float = Field(3.0, gt=0)
    lookahead: float = Field(0.8, gt=0)
    turn_in_place: float = Field(
        0.5, gt=0, description="heading error above which the base turns on the spot"
    )
    position_tolerance: float = Field(0.05, gt=0)
    align_tolerance: float = Field(0.03, gt=0)
    samples: int = Field(6, ge=1, description="readings averaged per gauge")
    read_timeout_s: float = Field(3.0, gt=0)
    keep_clear: bool = Field(True, description="cap the speed near people (off only in faulty variants)")
    turn_speed_cap: float = Field(
        0.3, ge=0, description="no turning on the spot while people allow less than this speed"
    )
    human_speed: float = Field(1.6, ge=0, description="v_h, ISO 13855 walking speed")
    reaction_s: float = Field(0.1, ge=0, description="T_r")
    stopping_s: float = Field(0.3, ge=0, description="T_s")
    braking: float = Field(1.0, gt=0, description="a, the deceleration assumed in S_p")
    uncertainty: float = Field(0.06, ge=0, description="C + Z_d + Z_r")
    margin: float = Field(0.25, ge=0, description="kept on top of S_p")
    person_radius: float = Field(0.3, gt=0, description="half width of a person, arms included")
    track_ticks: int = Field(6, ge=3, description="positions a person's walking speed is estimated from")
    min_approach: float = Field(
        0.6, ge=0, description="approach speed assumed at least: a person walking away may turn round"
    )
    watch_obstacles: bool = Field(True, description="stop short of obstacles (off only in faulty variants)")
    obstacle_margin: float = Field(0.35, ge=0, description="kept between the front bumper and an obstacle")
    obstacle_clearance: float = Field(
        0.3, ge=0, description="an obstacle this far beyond the stop being driven to is not in the way"
    )


def wrap(angle: float) -> float:
    return (angle + math.pi) % (2 * math.pi) - math.pi


def serpentine(aisle_y: list[float], cross_x: tuple[float, float]) -> list[Point]:
    """Corners of a route through every aisle, alternately eastwards and westwards."""
    route: list[Point] = []
    for index, y in enumerate(aisle_y):
        west_to_east = index % 2 == 0
        start, end = (cross_x[0], cross_x[1]) if west_to_east else (cross_x[1], cross_x[0])
        route += [(start, y), (end, y)]
    return route


class PatrolSkill(Skill):
    """Reference patrol: every aisle, every gauge read facing it, standing still as people pass."""

    name = "patrol"
    version = "1.0.0"
    robot = "husky"
    command_kind = "patrol"
    supports = ("inspection/*",)
    maintainer = "roboverify maintainers <maintainers@roboverify.org>"
    license = "Apache-2.0"
    observation_keys = (
        "base_pose",
        "base_velocity",
        "checkpoint_poses",
        "checkpoint_visible",
        "checkpoint_readings",
        "checkpoint_anomaly_scores",
        "people_positions",
        "people_visible",
        "obstacle_distance",
    )
    Params = Tuning

    def __init__(self, **params: Any) -> None:
        super().__init__()
        self.tuning = Tuning.model_validate(params)

    def reset(self, task: TaskInfo, rng: np.random.Generator) -> None:
        goal, tuning = task.goal, self.tuning
        self.dt = task.control_dt
        self.aisle_y = [float(y) for y in goal["aisle_y"]]
        self.cross_x = (float(goal["cross_aisle_x"][0]), float(goal["cross_aisle_x"][1]))
        self.half_length, self.half_width = (float(v) for v in goal["robot_half_extents"])
        self.reach = tuning.human_speed * (tuning.reaction_s + tuning.stopping_s) + tuning.uncertainty
        self.plan: list[tuple[Point, int]] = []  # (stop, checkpoint index or -1), built on the first tick
        self.mode = Mode.DRIVE
        self.tick = 0
        self.tracks: dict[int, list[Point]] = {}

    # the loop ---------------------------------------------------------------------------------
    def act(self, observation: Observation) -> FloatArray:
        if not self.plan and self.tick == 0:
            self.previous: Point = (float(observation["base_pose"][0]), float(observation["base_pose"][1]))
            self.plan = self.make_plan(observation["checkpoint_poses"], self.previous)
        self.tick += 1
        self.report: tuple[int, float, float] | None = None
        speed, yaw_rate = getattr(self, f"_{self.mode.value}")(observation)
        if self.tuning.keep_clear:
            cap = self.speed_cap(observation)
            speed = min(speed, cap)
            if speed <= 0 and cap < self.tuning.turn_speed_cap:
                # a base turning on the spot sweeps its corners at up to 0.9 m/s and its centre
                # drifts by a cm/s or two: near people it stands quite still instead
                yaw_rate = 0.0
        return self.command(speed, yaw_rate)

    def command(self, speed: float, yaw_rate: float) -> FloatArray:
        which, value, anomaly = self.report if self.report is not None else (-1, 0.0, 0.0)
        done = 1.0 if self.mode is Mode.DONE else 0.0
        return np.array([speed, yaw_rate, which, value, anomaly, done])

    def make_plan(self, poses: FloatArray, start: Point | None = None) -> list[tuple[Point, int]]:
        """The serpentine's corners with a stop level with each gauge, in driving order; driven
        backwards when ``start`` (where the base is) is nearer its far end, as after a round."""
        route = serpentine(self.aisle_y, self.cross_x)
        if start is not None and math.dist(start, route[-1]) < math.dist(start, route[0]):
            route.reverse()
        plan: list[tuple[Point, int]] = []
        for leg in range(0, len(route), 2):
            (x0, y), (x1, _) = route[leg], route[leg + 1]
            aisle = min(range(len(self.aisle_y)), key=lambda a: abs(self.aisle_y[a] - y))
            stops = [
                (float(pose[0]), index)
                for index, pose in enumerate(poses)
                if min(range(len(self.aisle_y)), key=lambda a: abs(self.aisle_y[a] - pose[1])) == aisle
            ]
            stops.sort(key=lambda stop: (stop[0] - x0) * math.copysign(1.0, x1 - x0))
            plan += [((x0, y), -1), *(((x, y), index) for x, index in stops), ((x1, y), -1)]
        return plan

    # modes ------------------------------------------------------------------------------------
    def _drive(self, observation: Observation) -> tuple[float, float]:
        x, y, yaw = (float(v) for v in observation["base_pose"])
        (tx, ty), checkpoint = self.plan[0]
        px, py = self.previous
        length = math.hypot(tx - px, ty - py)
        ux, uy = ((tx - px) / length, (ty - py) / length) if length > 1e-6 else (0.0, 0.0)
        along = (x - px) * ux + (y - py) * uy
        remaining = length - along if length > 1e-6 else math.hypot(tx - x, ty - y)
        if remaining <= self.tuning.position_tolerance:
            return self._arrived(checkpoint)
        ahead = min(max(along, 0.0) + self.tuning.lookahead, length)
        lx, ly = (px + ux * ahead, py + uy * ahead) if length > 1e-6 else (tx, ty)
        error = wrap(math.atan2(ly - y, lx - x) - yaw)
        yaw_rate = self._turn(error)
        if abs(error) > self.tuning.turn_in_place:
            return 0.0, yaw_rate
        braking = math.sqrt(2 * self.tuning.deceleration * remaining)
        speed = max(min(self.tuning.cruise_speed, braking), self.tuning.min_speed)
        if self.tuning.watch_obstacles:
            free, tuning = float(observation["obstacle_distance"][0]), self.tuning
            limit = obstacle_speed_limit(
                free, remaining, tuning.obstacle_clearance, tuning.obstacle_margin, tuning.deceleration
            )
            speed = min(speed, limit)
        return speed, yaw_rate

    def _arrived(self, checkpoint: int) -> tuple[float, float]:
        self.previous = self.plan[0][0]
        if checkpoint >= 0:
            self.checkpoint, self.since = checkpoint, self.tick
            self.samples: list[float] = []
            self.scores: list[float] = []
            self.mode = Mode.ALIGN
        else:
            self._next()
        return 0.0, 0.0

    def _next(self) -> None:
        self.plan.pop(0)
        self.mode = Mode.DRIVE if self.plan else Mode.DONE

    def _align(self, observation: Observation) -> tuple[float, float]:
        x, y, yaw = (float(v) for v in observation["base_pose"])
        cx, cy, _ = (float(v) for v in observation["checkpoint_poses"][self.checkpoint])
        error = wrap(math.atan2(cy - y, cx - x) - yaw)
        if abs(error) < self.tuning.align_tolerance:
            self.mode, self.since = Mode.READ, self.tick
            return 0.0, 0.0
        return 0.0, self._turn(error)

    def _read(self, observation: Observation) -> tuple[float, float]:
        index = self.checkpoint
        if observation["checkpoint_visible"][index] > 0.5:
            self.samples.append(float(observation["checkpoint_readings"][index]))
            self.scores.append(float(observation["checkpoint_anomaly_scores"][index]))
        if len(self.samples) >= self.tuning.samples:
            self.report = self.judge(index)
            self._next()
        elif (self.tick - self.since) * self.dt > self.tuning.read_timeout_s:
            self._next()  # never came into view: drive on rather than stall the patrol
        return 0.0, 0.0

    def judge(self, index: int) -> tuple[int, float, float]:
        """What to report for a gauge: its mean reading and whether its mean score says anomalous."""
        anomalous = sum(self.scores) / len(self.scores) >= 0.5
        return index, sum(self.samples) / len(self.samples), 1.0 if anomalous else 0.0

    def _done(self, observation: Observation) -> tuple[float, float]:
        return 0.0, 0.0

    # helpers ----------------------------------------------------------------------------------
    def _turn(self, error: float) -> float:
        limit = self.tuning.max_yaw_rate
        return max(-limit, min(limit, self.tuning.heading_gain * error))

    def speed_cap(self, observation: Observation) -> float:
        """Fastest speed whose protective distance S_p, plus the margin, fits the nearest person.

        The robot needs v / a seconds to stop, longer than S_p's T_r + T_s: what a person walking
        towards it covers in that time is taken off the gap first, so it stops before S_p is reached.
        """
        tuning = self.tuning
        speed = abs(float(observation["base_velocity"][0]))
        stopping_s = speed / tuning.braking + 2 * self.dt
        gap = min(
            (clearance - approach * stopping_s for clearance, approach in self.people(observation)),
            default=math.inf,
        )
        if gap == math.inf:
            return math.inf
        # S_p(v) = reach + v T_r + v^2 / (2a) <= gap - margin, solved for v
        slack = gap - tuning.margin - self.reach
        if slack <= 0:
            return 0.0
        a, t = tuning.braking, tuning.reaction_s
        return a * (-t + math.sqrt(t * t + 2 * slack / a))

    def people(self, observation: Observation) -> list[tuple[float, float]]:
        """Per person in sight: clearance to the robot's footprint and speed of approach."""
        x, y, yaw = (float(v) for v in observation["base_pose"])
        cos, sin = math.cos(yaw), math.sin(yaw)
        found = []
        for slot, ((px, py), seen) in enumerate(
            zip(observation["people_positions"], observation["people_visible"], strict=True)
        ):
            track = self.tracks.setdefault(slot, [])
            if seen < 0.5:
                track.clear()
                continue
            dx, dy = float(px) - x, float(py) - y
            track.append((dx + x, dy + y))
            del track[: -self.tuning.track_ticks]
            ahead, left = dx * cos + dy * sin, -dx * sin + dy * cos
            out_x, out_y = max(abs(ahead) - self.half_length, 0.0), max(abs(left) - self.half_width, 0.0)
            found.append(
                (math.hypot(out_x, out_y) - self.tuning.person_radius, self._approach(track, dx, dy))
            )
        return found

    def _approach(self, track: list[Point], dx: float, dy: float) -> float:
        """How fast a person closes in, from their last few positions; unknown yet: v_h."""
        if len(track) < 3:
            return self.tuning.human_speed
        elapsed = (len(track) - 1) * self.dt
        vx, vy = (track[-1][0] - track[0][0]) / elapsed, (track[-1][1] - track[0][1]) / elapsed
        distance = math.hypot(dx, dy)
        if distance < 1e-6:
            return self.tuning.human_speed
        return max(self.tuning.min_approach, -(vx * dx + vy * dy) / distance)
