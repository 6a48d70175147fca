"""The economics of a verified skill, from the plan's cost model (docs/standards.md §5).

Pure functions of a :class:`CostModel` and per-episode measurements (cycle times, energies), so
every figure in a report can be recomputed by hand from the inputs printed next to it:

- throughput = 3600 / t_c * availability (units/h)
- annualised capex = capex * CRF, CRF = i(1+i)^n / ((1+i)^n - 1)
- cost per task = (annualised capex + maintenance + energy + supervision) / tasks per year
- labour displaced = the hours people would need for the robot's output (tasks / manual rate),
  costed at wage * burden (1.3 to 1.6)
- payback (years) = capex / (labour cost displaced + extra throughput value - operating cost)
- NPV = -capex + Σ_{t=1..n} saving / (1+i)^t = -capex + saving / CRF
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field

from harness.plan.cost_model import CostModel
from harness.results import Verdict

JOULES_PER_KWH = 3.6e6


def capital_recovery_factor(interest_rate: float, years: int) -> float:
    """CRF = i(1+i)^n / ((1+i)^n - 1); 1/n without interest."""
    if interest_rate == 0:
        return 1.0 / years
    growth = (1.0 + interest_rate) ** years
    return interest_rate * growth / (growth - 1.0)


def annualised_capex(model: CostModel) -> float:
    return model.capex * capital_recovery_factor(model.interest_rate, model.life_years)


def throughput_per_hour(cycle_time_s: float, availability: float = 1.0) -> float:
    """Tasks per hour: 3600 / t_c * availability."""
    return 3600.0 / cycle_time_s * availability


def tasks_per_year(model: CostModel, cycle_time_s: float, success_rate: float = 1.0) -> float:
    return (
        throughput_per_hour(cycle_time_s, model.availability) * success_rate * model.operating_hours_per_year
    )


def annual_operating_cost(model: CostModel, tasks: float, energy_per_task_kwh: float) -> float:
    """Maintenance + supervision + energy, per year."""
    energy = tasks * energy_per_task_kwh * model.energy_price_per_kwh
    return model.maintenance_per_year + model.supervision_per_year + energy


def cost_per_task(model: CostModel, tasks: float, energy_per_task_kwh: float) -> float:
    """(annualised capex + operating cost) / tasks per year."""
    if tasks <= 0:
        return math.inf
    return (annualised_capex(model) + annual_operating_cost(model, tasks, energy_per_task_kwh)) / tasks


def labour_hours_displaced(model: CostModel, tasks: float) -> float:
    """Hours per year people would need to do the robot's output by hand."""
    return tasks / model.manual_rate_per_hour


def labour_cost_displaced(model: CostModel, tasks: float) -> float:
    return labour_hours_displaced(model, tasks) * model.labour_wage_per_hour * model.labour_burden


def annual_saving(model: CostModel, tasks: float, energy_per_task_kwh: float) -> float:
    """Net saving per year: labour displaced + extra throughput value - operating cost."""
    return (
        labour_cost_displaced(model, tasks)
        + model.extra_throughput_value_per_year
        - annual_operating_cost(model, tasks, energy_per_task_kwh)
    )


def payback_years(capex: float, saving_per_year: float) -> float:
    """capex / net annual saving; infinite when nothing is saved."""
    return capex / saving_per_year if saving_per_year > 0 else math.inf


def net_present_value(capex: float, saving_per_year: float, interest_rate: float, years: int) -> float:
    """-capex + the discounted savings of every year of the system's life."""
    return -capex + saving_per_year / capital_recovery_factor(interest_rate, years)


class EconomicsSummary(BaseModel):
    """Inputs next to outputs, so every figure can be checked by hand."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    cost_model: CostModel
    episodes: int = Field(description="Successful episodes the cycle times and energies come from.")
    mean_cycle_time_s: float
    mean_energy_per_task_kwh: float
    success_rate: float
    crf: float
    annualised_capex: float
    throughput_per_hour: float
    operating_hours_per_year: float
    tasks_per_year: float
    annual_operating_cost: float
    cost_per_task: float | None
    labour_hours_displaced: float
    labour_cost_displaced: float
    annual_saving: float
    payback_years: float | None = Field(description="None when nothing is saved (never pays back).")
    payback_months: float | None
    net_present_value: float
    verdict: Verdict
    threshold_months: float


def economics_summary(
    model: CostModel,
    cycle_times_s: Sequence[float],
    energies_j: Sequence[float],
    success_rate: float = 1.0,
) -> EconomicsSummary:
    """The economics of a campaign from its successful episodes' cycle times and energies.

    Throughput uses the mean cycle time (tasks per hour is a rate: the mean, not the median,
    gives the hours actually spent) and is scaled by ``success_rate`` (failed attempts
    produce nothing).
    """
    if not cycle_times_s or len(cycle_times_s) != len(energies_j):
        raise ValueError(
            f"need one energy per cycle time and at least one of each, got {len(cycle_times_s)} "
            f"cycle times and {len(energies_j)} energies"
        )
    cycle = statistics.fmean(cycle_times_s)
    energy_kwh = statistics.fmean(energies_j) / JOULES_PER_KWH
    tasks = tasks_per_year(model, cycle, success_rate)
    saving = annual_saving(model, tasks, energy_kwh)
    years = payback_years(model.capex, saving)
    per_task = cost_per_task(model, tasks, energy_kwh)
    finite = math.isfinite(years)
    return EconomicsSummary(
        cost_model=model, episodes=len(cycle_times_s), mean_cycle_time_s=cycle,
        mean_energy_per_task_kwh=energy_kwh, success_rate=success_rate,
        crf=capital_recovery_factor(model.interest_rate, model.life_years),
        annualised_capex=annualised_capex(model),
        throughput_per_hour=throughput_per_hour(cycle, model.availability) * success_rate,
        operating_hours_per_year=model.operating_hours_per_year, tasks_per_year=tasks,
        annual_operating_cost=annual_operating_cost(model, tasks, energy_kwh),
        cost_per_task=per_task if math.isfinite(per_task) else None,
        labour_hours_displaced=labour_hours_displaced(model, tasks),
        labour_cost_displaced=labour_cost_displaced(model, tasks), annual_saving=saving,
        payback_years=years if finite else None, payback_months=12 * years if finite else None,
        net_present_value=net_present_value(model.capex, saving, model.interest_rate, model.life_years),
        verdict=Verdict.PASS if finite and 12 * years <= model.max_payback_months else Verdict.FAIL,
        threshold_months=model.max_payback_months,
    )  # fmt: skip
