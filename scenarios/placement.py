"""Placing several randomised objects apart from one another, from the episode's own stream."""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from harness.distributions import Distribution
from harness.scenario import Conditions


def spread_apart(
    conditions: Conditions,
    distributions: Mapping[str, Distribution],
    rng: np.random.Generator,
    keys: tuple[str, str],
    min_separation: float,
    what: str = "objects",
) -> Conditions:
    """Redraw the (x, y) of any object that crowds an earlier one, in index order.

    The redraws come from the same stream and in a fixed order, so the result is reproducible.
    """
    x_key, y_key = keys
    xs, ys = conditions[x_key], conditions[y_key]
    for index in range(len(xs)):
        for _ in range(1000):
            if all(math.hypot(xs[index] - xs[o], ys[index] - ys[o]) >= min_separation for o in range(index)):
                break
            xs[index] = distributions[x_key].sample(rng)
            ys[index] = distributions[y_key].sample(rng)
        else:
            raise ValueError(f"cannot place the {what} apart; widen {x_key}/{y_key} or use fewer")
    return conditions
