"""The statistical assertions on hand-made episode results: pass, fail, inconclusive, and the
false-pass guarantee by exact enumeration."""

from __future__ import annotations

import pytest
from scipy.stats import binom

from harness.pytest_plugin import InconclusiveVerdict, assert_no_events, assert_rate, assert_value
from harness.results import CriterionResult, EpisodeResult, Outcome, Timing, Verdict
from harness.verdicts.statistics import GateVerdict

TIMING = Timing(sim_s=1.0, ticks=10, physics_steps=80, wall_s=0.1)


def episode(
    index: int, outcome: Outcome, *criteria: CriterionResult, scenario: str = "a/b-v1"
) -> EpisodeResult:
    return EpisodeResult(
        scenario=scenario, index=index, seed=1000 + index, outcome=outcome, ended_by="x",
        reason="" if outcome is Outcome.SUCCESS else "dropped the cube", conditions={},
        criteria=list(criteria), timing=TIMING,
    )  # fmt: skip


def outcomes(successes: int, failures: int, scenario: str = "a/b-v1") -> list[EpisodeResult]:
    return [
        episode(i, Outcome.FAILURE if i >= successes else Outcome.SUCCESS, scenario=scenario)
        for i in range(successes + failures)
    ]


def timed(values: list[float]) -> list[EpisodeResult]:
    def cycle(value: float) -> CriterionResult:
        return CriterionResult(name="cycle_time", verdict=Verdict.PASS, measured=value, units="s")

    return [episode(i, Outcome.SUCCESS, cycle(v)) for i, v in enumerate(values)]


def test_a_rate_that_clears_the_threshold_passes_and_returns_its_result() -> None:
    [result] = assert_rate(outcomes(40, 0), at_least=0.9)
    assert result.verdict is GateVerdict.PASS
    assert result.lower_bound is not None and result.lower_bound >= 0.9


def test_a_rate_below_the_threshold_fails_with_the_interval_the_rate_and_the_failing_seeds() -> None:
    with pytest.raises(AssertionError) as caught:
        assert_rate(outcomes(20, 20), at_least=0.9)
    text = str(caught.value)
    assert not isinstance(caught.value, InconclusiveVerdict)
    assert "FAIL: success rate >= 0.9" in text and "measured 0.5 over 40 episode(s)" in text
    assert "95% bounds [" in text
    assert "#20 seed 1020 failure: dropped the cube" in text and "... and 15 more" in text


def test_too_few_episodes_is_inconclusive_never_a_pass() -> None:
    with pytest.raises(InconclusiveVerdict, match="inconclusive"):
        assert_rate(outcomes(9, 1), at_least=0.8)
    with pytest.raises(pytest.skip.Exception, match="inconclusive"):
        assert_rate(outcomes(9, 1), at_least=0.8, on_inconclusive="skip")
    with pytest.raises(pytest.xfail.Exception, match="inconclusive"):
        assert_rate(outcomes(9, 1), at_least=0.8, on_inconclusive="xfail")
    with pytest.raises(InconclusiveVerdict, match="no episodes to judge"):
        assert_rate([], at_least=0.5)


@pytest.mark.parametrize("threshold", [0.5, 0.8, 0.95])
def test_a_skill_exactly_at_the_threshold_passes_at_most_alpha_of_the_time(threshold: float) -> None:
    """For every run size up to 40, find the fewest successes that pass: the chance that a skill
    whose true rate is the threshold draws that many or more is at most 1 - confidence, and no
    fewer pass than the exact binomial test allows (so it is not conservative for nothing)."""
    for n in range(1, 41):
        fewest = n + 1
        while fewest > 0 and _passes(fewest - 1, n, threshold):
            fewest -= 1
        assert not any(_passes(k, n, threshold) for k in {0, max(0, fewest - 3)} if k < fewest)
        assert binom.sf(fewest - 1, n, threshold) <= 0.05 + 1e-12, (n, fewest)
        exact = next((k for k in range(n + 1) if binom.sf(k - 1, n, threshold) <= 0.05), n + 1)
        assert fewest == exact, f"{n} episodes: passes from {fewest}, the exact test from {exact}"


def _passes(successes: int, trials: int, threshold: float) -> bool:
    try:
        assert_rate(outcomes(successes, trials - successes), at_least=threshold, on_inconclusive="fail")
    except AssertionError:
        return False
    return True


def test_criterion_pass_rate_counts_only_episodes_the_criterion_judged() -> None:
    judged = [CriterionResult(name="grip", verdict=Verdict.PASS, measured=None, units="")] * 30
    episodes = [episode(i, Outcome.SUCCESS, c) for i, c in enumerate(judged)] + outcomes(0, 5)
    [result] = assert_rate(episodes, at_least=0.85, criterion="grip")
    assert result.episodes == 30


def test_each_scenario_gets_its_own_result() -> None:
    both = outcomes(40, 0, "a/b-v1") + outcomes(40, 0, "c/d-v1")
    assert [r.scenario for r in assert_rate(both, at_least=0.8)] == ["a/b-v1", "c/d-v1"]
    with pytest.raises(AssertionError, match=r"\[c/d-v1\]"):
        assert_rate(outcomes(40, 0, "a/b-v1") + outcomes(10, 30, "c/d-v1"), at_least=0.8)


def test_a_median_within_the_bound_passes_and_one_beyond_it_fails_naming_the_episodes() -> None:
    [result] = assert_value(timed([5.0 + i / 10 for i in range(20)]), "cycle_time", at_most=8.0)
    assert result.verdict is GateVerdict.PASS
    with pytest.raises(AssertionError) as caught:
        assert_value(timed([9.0] * 20), "cycle_time", at_most=8.0)
    assert "FAIL: median 'cycle_time' <= 8" in str(caught.value) and "#0 seed 1000" in str(caught.value)


def test_a_value_assertion_with_too_few_values_says_how_many_it_needs() -> None:
    with pytest.raises(InconclusiveVerdict, match="at least 5 values are needed"):
        assert_value(timed([5.0, 5.1, 5.2]), "cycle_time", at_most=8.0)
    with pytest.raises(InconclusiveVerdict, match="at least 59 values are needed"):
        assert_value(timed([5.0] * 30), "cycle_time", at_most=8.0, share=0.95)


def test_bad_arguments_name_the_keyword_at_fault() -> None:
    with pytest.raises(ValueError, match=r"assert_rate\(\): at_least: Input should be less than 1"):
        assert_rate(outcomes(5, 0), at_least=1.5)
    with pytest.raises(ValueError, match="give exactly one of at_most or at_least"):
        assert_value(timed([1.0]), "cycle_time", at_most=1.0, at_least=0.5)
    with pytest.raises(ValueError, match="assert_no_events"):
        assert_no_events(outcomes(5, 0))


def test_zero_events_fails_on_one_event_and_bounds_the_rate_after_none() -> None:
    [clean] = assert_no_events(outcomes(60, 0), outcome="failure")
    assert clean.verdict is GateVerdict.PASS and clean.upper_bound is not None and clean.upper_bound < 0.06
    with pytest.raises(AssertionError, match="#59 seed 1059 failure"):
        assert_no_events(outcomes(59, 1), outcome="failure")
    with pytest.raises(InconclusiveVerdict):
        assert_no_events([], outcome="failure")
