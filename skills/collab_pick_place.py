"""Pick and place that shares its workspace: slows down and stops as a person comes near.

Speed and separation monitoring in the controller: the set-point speed scales from full at
``slow_m`` to zero at ``stop_m`` (estimated distance from the end effector to the person: to
their body, or to a hand reaching into the workspace, whichever is nearer), so the robot is
already standing when the protective separation distance would be crossed.
"""

from __future__ import annotations

import math
from typing import ClassVar

import numpy as np
from pydantic import Field

from harness.records import FloatArray
from harness.skill import KnownBad, Observation
from skills.pick_place import PickPlaceSkill, Tuning


class CollabTuning(Tuning):
    stop_m: float = Field(1.0, gt=0, description="Estimated separation at which to stand still, m.")
    slow_m: float = Field(1.4, gt=0, description="Separation from which to slow down, m.")
    person_radius_m: float = Field(0.3, ge=0, description="Half the width of a person, arms hanging.")
    hand_radius_m: float = Field(0.1, ge=0, description="How far a hand reaches past its tracked centre, m.")


class CollabPickPlaceSkill(PickPlaceSkill):
    """Reference skill of the collaborative workstation: stops for people, resumes when they go."""

    name = "collab_pick_place"
    # it reads where the operator is, which only the collaborative cell observes
    supports = ("workstation/collab_pick_place*",)
    observation_keys: ClassVar[tuple[str, ...]] = (
        *PickPlaceSkill.observation_keys,
        "person_position",
        "person_hand_positions",
    )
    Params = CollabTuning

    def __init__(self, **params: object) -> None:
        super().__init__()
        self.tuning = CollabTuning.model_validate(params)

    def act(self, observation: Observation) -> FloatArray:
        tuning = self.tuning
        assert isinstance(tuning, CollabTuning)
        ee, person = observation["ee_position"], observation["person_position"]
        separation = math.hypot(ee[0] - person[0], ee[1] - person[1]) - tuning.person_radius_m
        hands = float(np.min(np.linalg.norm(observation["person_hand_positions"] - ee, axis=1)))
        separation = min(separation, hands - tuning.hand_radius_m)
        self.speed_scale = min(1.0, max(0.0, (separation - tuning.stop_m) / (tuning.slow_m - tuning.stop_m)))
        return super().act(observation)


class IgnoringCollabPickPlaceSkill(KnownBad, PickPlaceSkill):
    """Faulty on purpose: works at full speed whoever comes near (the plain workstation skill)."""

    catches = ("safety_stop", "speed_separation")
    supports = ("workstation/collab_pick_place-v1",)
    selftest_episodes = 3

    observation_keys: ClassVar[tuple[str, ...]] = (*PickPlaceSkill.observation_keys, "person_position")
