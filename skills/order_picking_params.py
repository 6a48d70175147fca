"""The order-picking skill's settings, and the speed they allow with the worker in sight.

``allowed_speed`` is the largest speed whose protective separation distance (ISO/TS 15066
speed and separation monitoring, docs/standards.md §2), plus a margin, fits in the distance
the scanner measures.
"""

from __future__ import annotations

import math

from pydantic import BaseModel, ConfigDict, Field

from skills.pick_place import Tuning


class OrderPickingParams(BaseModel):
    """Arm tuning (as the workstation skill) and driving settings (metres, seconds, radians)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    arm: Tuning = Tuning()
    park: tuple[float, float, float] = Field(
        (0.4, -0.1, 0.3), description="arm park point; z above the shelf"
    )
    park_tolerance: float = Field(0.03, gt=0)
    cruise_speed: float = Field(0.8, gt=0, le=1.0)
    dock_deceleration: float = Field(0.5, gt=0, description="stopping profile towards the dock, m/s²")
    lane_gain: float = Field(1.5, ge=0, description="heading per metre off the lane, rad/m")
    max_lane_heading: float = Field(0.3, gt=0)
    heading_gain: float = Field(2.0, ge=0, description="yaw rate per radian of heading error, 1/s")
    max_yaw_rate: float = Field(0.8, gt=0)
    human_speed: float = Field(1.6, gt=0, description="v_h, m/s (ISO 13855)")
    reaction_time_s: float = Field(0.1, ge=0, description="T_r")
    stopping_time_s: float = Field(0.3, ge=0, description="T_s")
    deceleration: float = Field(1.0, gt=0, description="a, m/s² (the vehicle's braking)")
    uncertainty_m: float = Field(0.06, ge=0, description="Z = Z_d + Z_r + C")
    separation_margin: float = Field(0.15, ge=0, description="kept beyond S_p: one tick of closing")
    watch_obstacles: bool = Field(True, description="stop short of obstacles (off only in faulty variants)")
    obstacle_margin: float = Field(0.3, ge=0, description="kept between the front bumper and an obstacle")
    obstacle_clearance: float = Field(
        0.1, ge=0, description="an obstacle this far beyond the dock (the station's front) is not in the way"
    )
    away_from_pick_dock: float = Field(
        0.25, gt=0, description="starting farther than this from the pick dock, it drives back first"
    )
    pick_dock_tolerance: float = Field(
        0.03, gt=0, description="back this near the pick dock along the lane, and still, the arm starts"
    )
    still_speed: float = Field(0.02, gt=0, description="slower than this, the vehicle counts as still")


def allowed_speed(distance: float, params: OrderPickingParams) -> float:
    """The largest speed whose protective separation distance still fits in ``distance``."""
    standing = params.human_speed * (params.reaction_time_s + params.stopping_time_s) + params.uncertainty_m
    room = distance - params.separation_margin - standing
    if room <= 0.0:
        return 0.0
    a, t = params.deceleration, params.reaction_time_s
    return a * (-t + math.sqrt(t * t + 2.0 * room / a))
