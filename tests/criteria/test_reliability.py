"""Campaign reliability figures (``harness.verdicts.reliability``) from outcomes in index order."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from harness.results import EpisodeResult, Outcome, Timing
from harness.verdicts.reliability import (
    episode_reliability,
    failures_per_1000,
    longest_success_run,
    mean_cycles_between_failures,
    mean_time_between_failures,
    reliability_summary,
)

RUN = [True, True, False, True, True, True, False, True, True, True]


def test_figures_of_a_short_campaign() -> None:
    rate, low, high = failures_per_1000(RUN)
    assert rate == 200.0
    assert low < 200.0 < high
    assert (low, high) == pytest.approx((56.7, 509.8), abs=0.5)  # Wilson, 2/10
    assert mean_cycles_between_failures(RUN) == 5.0
    assert mean_time_between_failures(RUN, [3.0] * 10) == 15.0
    assert longest_success_run(RUN) == 3


def test_no_failure_gives_a_bound_instead_of_a_mean() -> None:
    summary = reliability_summary([True] * 30, [2.0] * 30)
    assert summary.failures == 0 and summary.failures_per_1000 == 0.0
    assert summary.mean_cycles_between_failures is None and summary.mean_time_between_failures_s is None
    assert summary.mean_cycles_between_failures_lower_bound == pytest.approx(
        1000 / summary.failures_per_1000_high
    )
    assert summary.longest_success_run == 30 and summary.total_sim_time_s == 60.0
    assert reliability_summary([], []).failures_per_1000 is None


def test_exact_interval_and_mismatched_lengths() -> None:
    summary = reliability_summary(RUN, [1.0] * 10, method="exact")
    assert summary.method == "exact" and summary.failures_per_1000_high == pytest.approx(556.1, abs=0.5)
    with pytest.raises(ValueError, match="need one each"):
        mean_time_between_failures(RUN, [1.0])


def episode(index: int, outcome: Outcome) -> EpisodeResult:
    return EpisodeResult(
        scenario="s", index=index, seed=index, outcome=outcome, ended_by="", conditions={}, criteria=[],
        timing=Timing(sim_s=2.0, ticks=60, physics_steps=480, wall_s=0.1),
    )  # fmt: skip


def test_from_episode_results_in_index_order_without_infrastructure_errors() -> None:
    outcomes = [Outcome.SUCCESS, Outcome.SIM_ERROR, Outcome.SUCCESS, Outcome.TIMEOUT, Outcome.SUCCESS]
    episodes = [episode(i, o) for i, o in enumerate(outcomes)][::-1]
    summary = episode_reliability(episodes)
    assert summary.cycles == 4 and summary.failures == 1 and summary.longest_success_run == 2
    assert summary.mean_time_between_failures_s == 8.0


@given(run=st.lists(st.booleans(), max_size=40), at=st.integers(0, 40))
def test_adding_a_failure_never_improves_reliability(run: list[bool], at: int) -> None:
    worse = [*run[:at], False, *run[at:]]
    assert longest_success_run(worse) <= longest_success_run(run)
    before, after = failures_per_1000(run)[0], failures_per_1000(worse)[0]
    assert after is not None and (before is None or after >= before)
    mcbf_before, mcbf_after = mean_cycles_between_failures(run), mean_cycles_between_failures(worse)
    assert mcbf_after is not None and (mcbf_before is None or mcbf_after <= mcbf_before)
