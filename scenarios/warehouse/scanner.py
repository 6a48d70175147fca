"""The vehicle's people scanner: where the people within its range are, and how fast they move.

Each person has a slot; a person out of range reads as zeros, the full range and a 0 in the
``worker_visible`` mask.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from harness.records import FloatArray, WorldState
from scenarios.warehouse.rules import AMR


def scan_worker(state: WorldState, worker: str, scanner_range: float) -> dict[str, FloatArray]:
    """The scanner with the worker's slot only."""
    distance = next(s.distance for s in state.separations if s.body_a == AMR)
    if distance >= scanner_range:
        zeros = np.zeros((1, 2))
        return {
            "worker_positions": zeros,
            "worker_velocities": zeros,
            "worker_distances": np.array([scanner_range]),
            "worker_visible": np.zeros(1),
        }
    body = state.bodies[worker]
    return {
        "worker_positions": body.position[:2].reshape(1, 2),
        "worker_velocities": body.linear_velocity[:2].reshape(1, 2),
        "worker_distances": np.array([distance]),
        "worker_visible": np.ones(1),
    }


def scan_people(state: WorldState, people: Sequence[str], scanner_range: float) -> dict[str, FloatArray]:
    """The scanner with a slot per person, in the order of ``people``."""
    count = len(people)
    positions, velocities = np.zeros((count, 2)), np.zeros((count, 2))
    distances, visible = np.full(count, scanner_range), np.zeros(count)
    measured = {s.body_b: s.distance for s in state.separations if s.body_a == AMR}
    for slot, label in enumerate(people):
        distance = measured[label]
        if distance < scanner_range:
            person = state.bodies[label]
            positions[slot], velocities[slot] = person.position[:2], person.linear_velocity[:2]
            distances[slot], visible[slot] = distance, 1.0
    return {
        "worker_positions": positions,
        "worker_velocities": velocities,
        "worker_distances": distances,
        "worker_visible": visible,
    }
