"""ISO/TS 15066 body regions and transient-contact arithmetic (docs/standards.md §1), free of records.

The human-contact criterion folds step records; the numbers it judges them by live here, so a
plan or a test can ask what speed a region tolerates without running an episode.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class RegionLimits:
    """One body region of docs/standards.md §1: F_s (N), p_s (N/cm²), k (N/mm), m_H (kg)."""

    force: float
    pressure: float
    stiffness: float
    mass: float


REGION_LIMITS: Mapping[str, RegionLimits] = {
    "skull_forehead": RegionLimits(130, 130, 150, 4.4),
    "face": RegionLimits(65, 110, 75, 4.4),
    "neck": RegionLimits(150, 140, 50, 1.2),
    "back_shoulders": RegionLimits(210, 160, 35, 40),
    "chest": RegionLimits(140, 120, 25, 40),
    "abdomen": RegionLimits(110, 140, 10, 40),
    "pelvis": RegionLimits(180, 210, 25, 40),
    "upper_arm_elbow": RegionLimits(150, 190, 30, 3),
    "lower_arm_wrist": RegionLimits(160, 180, 40, 2),
    "hand_fingers": RegionLimits(140, 200, 75, 0.6),
    "thigh_knee": RegionLimits(220, 250, 50, 75),
    "lower_leg": RegionLimits(130, 220, 60, 75),
}
"""ISO/TS 15066:2016 Tables A.2/A.3 as transcribed in docs/standards.md §1."""

LINK_REGIONS: Mapping[str, str] = {
    "skull": "skull_forehead", "face": "face", "neck": "neck", "back": "back_shoulders",
    "chest": "chest", "abdomen": "abdomen", "pelvis": "pelvis",
    "upper_arm_left": "upper_arm_elbow", "upper_arm_right": "upper_arm_elbow",
    "lower_arm_left": "lower_arm_wrist", "lower_arm_right": "lower_arm_wrist",
    "hand_left": "hand_fingers", "hand_right": "hand_fingers",
    "thigh_left": "thigh_knee", "thigh_right": "thigh_knee",
    "lower_leg_left": "lower_leg", "lower_leg_right": "lower_leg",
}  # fmt: skip
"""The human proxy's links (``harness.world.HUMAN_REGIONS``) to their body regions."""


def reduced_mass(human_mass: float, robot_mass: float) -> float:
    """μ = (1/m_H + 1/m_R)⁻¹."""
    return 1.0 / (1.0 / human_mass + 1.0 / robot_mass)


def effective_robot_mass(moving_mass: float, payload: float, mobile: bool = False) -> float:
    """m_R = M/2 + m_L for an arm (docs/standards.md §1); M + m_L for a base, which moves as one body."""
    return (moving_mass if mobile else moving_mass / 2) + payload


def transient_contact(speed: float, limits: RegionLimits, robot_mass: float) -> tuple[float, float]:
    """Equivalent force F_eq = v·√(μk) (N) and energy E = ½μv² (J) of an impact at ``speed``.

    ``robot_mass`` is m_R, already reduced by :func:`effective_robot_mass`.
    """
    mu = reduced_mass(limits.mass, robot_mass)
    return speed * math.sqrt(mu * limits.stiffness * 1e3), 0.5 * mu * speed**2


def transient_speed_limit(region: str, robot_mass: float, payload: float, factor: float = 2.0) -> float:
    """Largest relative speed (m/s) whose transient contact stays within factor·F_s."""
    limits = REGION_LIMITS[region]
    mu = reduced_mass(limits.mass, effective_robot_mass(robot_mass, payload))
    return factor * limits.force / math.sqrt(mu * limits.stiffness * 1e3)


def transient_energy_limit(region: str, factor: float = 2.0) -> float:
    """Largest transferable energy (J): (factor·F_s)² / (2k)."""
    limits = REGION_LIMITS[region]
    return (factor * limits.force) ** 2 / (2 * limits.stiffness * 1e3)
