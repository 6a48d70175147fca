"""Seeds: one integer per episode, derived from the plan seed, then split into streams."""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np


def episode_seed(plan_seed: int, scenario_id: str, index: int) -> int:
    """A 63-bit seed that depends only on the plan seed, the scenario id and the episode index.

    Keyed by the scenario id (not its position in the plan), so adding a scenario to a plan
    leaves the other scenarios' episodes unchanged.
    """
    key = zlib.crc32(scenario_id.encode("utf-8"))
    sequence = np.random.SeedSequence(plan_seed, spawn_key=(key, index))
    return int(sequence.generate_state(1, np.uint64)[0] >> np.uint64(1))


@dataclass(frozen=True)
class EpisodeStreams:
    """Independent random streams, so a skill drawing more numbers cannot change the scene."""

    scenario: np.random.Generator
    skill: np.random.Generator
    observation_noise: np.random.Generator
    faults: np.random.SeedSequence  # each fault draws from its own child, keyed by its name

    @classmethod
    def from_seed(cls, seed: int) -> EpisodeStreams:
        # spawned children depend only on their index: adding a stream leaves the others alone
        scenario, skill, noise, faults = np.random.SeedSequence(seed).spawn(4)
        rngs = [np.random.default_rng(child) for child in (scenario, skill, noise)]
        return cls(rngs[0], rngs[1], rngs[2], faults)
