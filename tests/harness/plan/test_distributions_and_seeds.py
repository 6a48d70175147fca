from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from harness.distributions import Choice, Constant, Distribution, Normal, Uniform
from harness.plan.seeding import EpisodeStreams, episode_seed

ADAPTER: TypeAdapter[Distribution] = TypeAdapter(Distribution)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (0.5, Constant(value=0.5)),
        ("uniform(0.1, 0.2)", Uniform(low=0.1, high=0.2)),
        (" normal( 0 , 0.01 ) ", Normal(mean=0.0, std=0.01)),
        ("choice([1, 'a'])", Choice(options=[1, "a"])),
        ({"uniform": [1, 2]}, Uniform(low=1, high=2)),
        ({"kind": "normal", "mean": 1, "std": 2}, Normal(mean=1, std=2)),
    ],
)
def test_short_and_long_forms(text: object, expected: object) -> None:
    assert ADAPTER.validate_python(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("uniform(2, 1)", "needs low <= high"),
        ("normal(0, -1)", "greater than or equal to 0"),
        ("unif(1, 2)", "expected a number, 'uniform(low, high)'"),
        ("uniform(1)", "uniform takes 2 argument(s)"),
        ("choice([])", "at least 1 item"),
        ("uniform(a, b)", "cannot read the arguments"),
    ],
)
def test_malformed_distributions_say_what_is_expected(text: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        ADAPTER.validate_python(text)


@given(low=st.floats(-1e6, 1e6), width=st.floats(0, 1e6), seed=st.integers(0, 2**32))
def test_uniform_samples_stay_in_range(low: float, width: float, seed: int) -> None:
    value = Uniform(low=low, high=low + width).sample(np.random.default_rng(seed))
    assert low <= value <= low + width


def test_episode_seeds_depend_on_plan_seed_scenario_and_index_only() -> None:
    seeds = {episode_seed(0, "a/b-v1", i) for i in range(1000)}
    assert len(seeds) == 1000
    assert episode_seed(0, "a/b-v1", 3) == episode_seed(0, "a/b-v1", 3)
    assert episode_seed(0, "a/b-v1", 3) != episode_seed(1, "a/b-v1", 3)
    assert episode_seed(0, "a/b-v1", 3) != episode_seed(0, "a/c-v1", 3)
    assert all(0 <= s < 2**63 for s in seeds)


def test_episode_streams_are_reproducible_and_distinct() -> None:
    first, second = EpisodeStreams.from_seed(42), EpisodeStreams.from_seed(42)
    assert first.scenario.random() == second.scenario.random()
    draws = [s.random() for s in (first.scenario, first.skill, first.observation_noise)]
    assert len(set(draws)) == 3
