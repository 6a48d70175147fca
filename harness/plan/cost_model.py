"""The plan's cost model: the figures the economics summary needs (docs/standards.md §5)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator


class CostModel(BaseModel):
    """The plan's cost model. Defaults are placeholders to override, not industry figures."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    capex: float = Field(150_000.0, ge=0, description="Robot system, installed (currency).")
    life_years: int = Field(5, gt=0, description="Depreciation life n, years.")
    interest_rate: float = Field(0.05, ge=0, description="Discount rate i per year.")
    maintenance_per_year: float = Field(0.0, ge=0, description="Maintenance (currency/year).")
    supervision_per_year: float = Field(0.0, ge=0, description="Supervision of the cell (currency/year).")
    energy_price_per_kwh: float = Field(0.20, ge=0, description="Electricity (currency/kWh).")
    labour_wage_per_hour: float = Field(25.0, ge=0, description="Gross hourly wage (currency/h).")
    labour_burden: float = Field(1.4, ge=1.0, description="Fully burdened factor, 1.3 to 1.6 (§5).")
    shifts_per_day: int = Field(2, gt=0, le=3)
    hours_per_shift: float = Field(8.0, gt=0, le=24)
    days_per_year: int = Field(250, gt=0, le=366)
    manual_cycle_time_s: float | None = Field(None, gt=0, description="A person's time per task, s.")
    manual_picks_per_hour: float | None = Field(
        None, gt=0, description="Or a person's rate: 80 to 150 picks/h for manual picking (§5)."
    )
    availability: float = Field(0.9, gt=0, le=1, description="MTBF / (MTBF + MTTR) of the cell.")
    extra_throughput_value_per_year: float = Field(
        0.0, description="Value of output beyond what people made before (currency/year)."
    )
    max_payback_months: float = Field(24.0, gt=0, description="Verdict threshold on the payback.")

    @model_validator(mode="after")
    def _one_manual_rate(self) -> CostModel:
        if (self.manual_cycle_time_s is None) == (self.manual_picks_per_hour is None):
            raise ValueError("give exactly one of manual_cycle_time_s or manual_picks_per_hour")
        return self

    @property
    def manual_rate_per_hour(self) -> float:
        if self.manual_picks_per_hour is not None:
            return self.manual_picks_per_hour
        assert self.manual_cycle_time_s is not None  # the validator guarantees one of them
        return 3600.0 / self.manual_cycle_time_s

    @property
    def operating_hours_per_year(self) -> float:
        return self.shifts_per_day * self.hours_per_shift * self.days_per_year
