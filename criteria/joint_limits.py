"""Per-robot joint checks for ``robot_limits``: position margin, velocity and torque utilisation."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from harness.criterion import EpisodeContext
from harness.records import RobotState

if TYPE_CHECKING:  # the criterion's module imports this one
    from criteria.robot_limits import RobotLimitsParams


class JointLimits:
    """One robot's limits as plain lists: one loop over seven floats beats a dozen numpy calls."""

    def __init__(self, context: EpisodeContext, label: str, params: RobotLimitsParams) -> None:
        limits = context.robots[label]
        self.lower, self.upper = limits.joint_lower.tolist(), limits.joint_upper.tolist()
        self.inverse_velocity = [1.0 / v for v in limits.joint_max_velocity.tolist()]
        self.inverse_torque = [1.0 / t for t in limits.joint_max_torque.tolist()]
        self.margin = params.position_margin_rad
        self.max_velocity_ratio = 1.0 + params.velocity_tolerance
        self.max_torque_ratio = 1.0 + params.torque_tolerance
        self.position_margin, self.velocity_utilisation, self.torque_utilisation = math.inf, 0.0, 0.0

    def check(self, robot: RobotState, found: list[tuple[str, str]], label: str) -> None:
        margin, velocity, torque = math.inf, 0.0, 0.0
        for x, low, high, v, inverse_v, t, inverse_t in zip(
            robot.joint_positions.tolist(), self.lower, self.upper, robot.joint_velocities.tolist(),
            self.inverse_velocity, robot.joint_torques.tolist(), self.inverse_torque, strict=True,
        ):  # fmt: skip
            # plain comparisons: min()/max() calls cost more than the arithmetic here
            if x - low < margin:
                margin = x - low
            if high - x < margin:
                margin = high - x
            if abs(v) * inverse_v > velocity:
                velocity = abs(v) * inverse_v
            if abs(t) * inverse_t > torque:
                torque = abs(t) * inverse_t
        self.position_margin = min(self.position_margin, margin)
        self.velocity_utilisation = max(self.velocity_utilisation, velocity)
        self.torque_utilisation = max(self.torque_utilisation, torque)
        if margin < self.margin:
            found.append(("joint_position", f"{label} joint {margin:.3f} rad from its limit"))
        if velocity > self.max_velocity_ratio:
            found.append(("joint_velocity", f"{label} joint at {velocity:.2f} x its velocity limit"))
        if torque > self.max_torque_ratio:
            found.append(("joint_torque", f"{label} joint at {torque:.2f} x its torque limit"))

    def worst(self) -> dict[str, float | None]:
        return {
            "position_margin_rad": None if math.isinf(self.position_margin) else self.position_margin,
            "velocity_utilisation": self.velocity_utilisation,
            "torque_utilisation": self.torque_utilisation,
        }
