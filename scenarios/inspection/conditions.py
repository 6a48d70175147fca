"""A patrol's conditions: the gauges and the people spread apart, and the people's paths.

Redraws come from the episode's own stream in a fixed order, so the conditions are
reproducible.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from harness.distributions import Distribution
from harness.scenario import Conditions
from scenarios.inspection.layout import Layout
from scenarios.people import WalkingPath

PER_PERSON = ("person_aisle", "person_side", "person_speed", "person_phase")


def spread_checkpoints(
    conditions: Conditions,
    distributions: Mapping[str, Distribution],
    spacing: float,
    rng: np.random.Generator,
) -> None:
    """Redraw gauges that crowd an earlier one on the same face, so each has its own stop."""
    faces, xs = conditions["checkpoint_face"], conditions["checkpoint_x"]
    face_d, x_d = distributions["checkpoint_face"], distributions["checkpoint_x"]
    for index in range(len(faces)):
        for _ in range(1000):
            if all(faces[o] != faces[index] or abs(xs[o] - xs[index]) >= spacing for o in range(index)):
                break
            faces[index], xs[index] = face_d.sample(rng), x_d.sample(rng)
        else:
            raise ValueError("cannot spread the checkpoints apart; widen checkpoint_x or use fewer")


def spread_people(
    conditions: Conditions, distributions: Mapping[str, Distribution], rng: np.random.Generator
) -> None:
    """Redraw a person's aisle while it is an earlier person's: one person per aisle at most."""
    aisles, distribution = conditions["person_aisle"], distributions["person_aisle"]
    for index in range(1, len(aisles)):
        for _ in range(1000):
            if aisles[index] not in aisles[:index]:
                break
            aisles[index] = distribution.sample(rng)


def walking_paths(conditions: Conditions, layout: Layout) -> list[WalkingPath]:
    """A path for each of the ``people_count`` people; two people never share a lane."""
    people = int(conditions["people_count"])
    if not 0 <= people <= layout.max_people:
        raise ValueError(f"people_count must be 0..{layout.max_people}, got {people}")
    taken: set[tuple[int, int]] = set()
    paths = []
    for i in range(people):
        aisle = condition_index(conditions, "person_aisle", i, len(layout.aisle_y))
        side = 1 if float(conditions["person_side"][i]) >= 0 else -1
        if (aisle, side) in taken:
            side = -side
        taken.add((aisle, side))
        speed, phase = float(conditions["person_speed"][i]), float(conditions["person_phase"][i])
        paths.append(layout.walking_path(aisle, side, speed, phase))
    return paths


def condition_index(conditions: Conditions, name: str, i: int, size: int) -> int:
    """Entry ``i`` of the condition ``name`` as an index into ``size`` things."""
    value = int(conditions[name][i])
    if not 0 <= value < size:
        raise ValueError(f"{name} must be an integer in 0..{size - 1}, got {conditions[name][i]!r}")
    return value
