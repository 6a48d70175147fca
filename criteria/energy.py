"""Energy and energy cost of one task (docs/standards.md §5); the campaign's economics build on it.

    E = ∫ Σ_i max(τ_i q̇_i, 0) dt / η + P_idle · t

over every robot's joints (motors draw power to drive, and recover little when braking, hence
the positive part), plus for mobile bases the power against rolling resistance,
c_rr · M · g · ``|v|`` (a stand-in for their drive power: the simulated base is velocity-controlled
and reports no wheel torques). ``measured`` is the energy in Wh when the task succeeded (a
failed episode's energy is in the details; it completed no task); the cost per task in the
details is the energy cost only: capex, labour and payback are campaign figures
(``harness.verdicts.economics.economics_summary``).
"""

from __future__ import annotations

import math

from pydantic import Field

from harness.criterion import Criterion, CriterionParams, EpisodeContext, EpisodeEnd
from harness.records import StepRecord
from harness.results import CriterionResult, Verdict

GRAVITY = 9.81
JOULES_PER_KWH = 3.6e6


class EnergyParams(CriterionParams):
    drive_efficiency: float = Field(
        0.8,
        gt=0,
        le=1,
        description="η: mechanical out / electrical in of motors and drives (project default).",
    )
    idle_power_w: float = Field(
        60.0, ge=0, description="P_idle: controller, brakes, sensors, W (project default; use the datasheet)."
    )
    rolling_resistance: float = Field(0.015, ge=0, description="c_rr of mobile bases on a hard floor.")
    energy_price_per_kwh: float = Field(0.20, ge=0, description="Electricity price (currency/kWh).")
    max_energy_wh: float | None = Field(None, gt=0, description="More energy per task fails.")


class Energy(Criterion[EnergyParams]):
    """Energy per task from joint power, base motion and idle power."""

    name = "energy"
    dimension = "economics"
    units = "Wh"

    def reset(self, context: EpisodeContext) -> None:
        self.dt = context.control_dt
        # rolling resistance force of every mobile base, N
        c_rr = self.params.rolling_resistance
        self.rolling = {
            label: c_rr * limits.mass * GRAVITY
            for label, limits in context.robots.items()
            if limits.max_base_speed > 0
        }
        self.mechanical_j = 0.0

    def fold(self, record: StepRecord) -> str | None:
        power = 0.0
        for label, robot in record.state.robots.items():
            if robot.joint_torques.size:
                tau, qd = robot.joint_torques.tolist(), robot.joint_velocities.tolist()
                power += sum([w for t, v in zip(tau, qd, strict=True) if (w := t * v) > 0])
            force = self.rolling.get(label)
            if force is not None:
                vx, vy, vz = robot.base.linear_velocity.tolist()
                power += force * math.sqrt(vx * vx + vy * vy + vz * vz)
        self.mechanical_j += power * self.dt
        return None

    def result(self, end: EpisodeEnd) -> CriterionResult:
        params = self.params
        seconds = end.last_tick * end.control_dt
        idle_j = params.idle_power_w * seconds
        energy_j = self.mechanical_j / params.drive_efficiency + idle_j
        kwh = energy_j / JOULES_PER_KWH
        details = {
            "energy_j": energy_j, "mechanical_j": self.mechanical_j, "idle_j": idle_j, "episode_s": seconds,
            "energy_kwh": kwh, "energy_cost_per_task": kwh * params.energy_price_per_kwh,
            "inputs": params.model_dump(),
        }  # fmt: skip
        limit = params.max_energy_wh
        if end.success_tick is None:
            return self.not_applicable("task did not succeed", threshold=limit, details=details)
        wh = energy_j / 3600.0
        return self.judged(
            Verdict.FAIL if limit is not None and wh > limit else Verdict.PASS,
            measured=wh, threshold=limit, margin=None if limit is None else limit - wh, details=details,
        )  # fmt: skip
