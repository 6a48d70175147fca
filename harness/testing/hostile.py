"""Skills and scenarios that misbehave on purpose: check that a deployment contains them.

:class:`HostileSkill` reaches the target like ``harness.testing.ScriptedSkill`` until, in a
chosen share of episodes, it raises, returns garbage, hangs, sleeps, hogs memory or kills its
own process. It drives the point robot of ``harness.testing.ReachScenario``::

    skill:
      name: harness.testing.hostile:HostileSkill
      params: {behaviour: segfault, rate: 0.5, at_tick: 1}

Which episodes misbehave is drawn from the skill's own random stream, so it is fixed by the
episode seed (``hostile_episode``). :class:`AbortingScenario` and :class:`HangingScenario`
misbehave in the harness's own code instead, for telling the two apart.
"""

from __future__ import annotations

import ctypes
import math
import os
import sys
import time
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from harness.plan.seeding import EpisodeStreams
from harness.records import FloatArray, TaskStatus, WorldState
from harness.skill import Observation, Skill, TaskInfo
from harness.testing import ReachScenario

Behaviour = Literal[
    "raise", "nan", "garbage", "hang", "sleep", "memory", "segfault", "abort", "exit", "sys_exit"
]


class HostileParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    behaviour: Behaviour | None = Field(None, description="What to do; None: behave.")
    rate: float = Field(1.0, ge=0, le=1, description="Share of episodes that misbehave.")
    at_tick: int = Field(1, ge=0, description="The act call that misbehaves (phase 'act').")
    phase: Literal["act", "reset", "close"] = "act"
    pause_s: float = Field(0.0, ge=0, le=10, description="Sleep per act call: a slow, honest skill.")
    memory_step_mb: int = Field(32, ge=1, description="Growth per step of the 'memory' behaviour.")
    memory_cap_mb: int = Field(6144, ge=1, description="The hog stops growing here (then idles).")


def hostile_episode(seed: int, rate: float) -> bool:
    """Whether the episode with this seed misbehaves (the skill's first draw decides)."""
    return bool(EpisodeStreams.from_seed(seed).skill.random() < rate)


class HostileSkill(Skill):
    robot = "point"
    command_kind = "ee_pose"
    observation_keys = ("ee_position", "target_position")
    Params = HostileParams

    def __init__(self, **params: Any) -> None:
        self.params = HostileParams(**params)
        self.hoard: list[np.ndarray[Any, Any]] = []
        self.misbehaving = False
        self.tick = 0

    def reset(self, task: TaskInfo, rng: np.random.Generator) -> None:
        self.tick = 0
        self.misbehaving = self.params.behaviour is not None and bool(rng.random() < self.params.rate)
        if self.misbehaving and self.params.phase == "reset":
            self._misbehave()

    def act(self, observation: Observation) -> FloatArray:
        tick, self.tick = self.tick, self.tick + 1
        if self.params.pause_s:
            time.sleep(self.params.pause_s)
        if self.misbehaving and self.params.phase == "act" and tick == self.params.at_tick:
            returned = self._misbehave()
            if returned is not None:
                return returned  # type: ignore[no-any-return]
        return np.array([*observation["target_position"], 0.0, 0.0])

    def close(self) -> None:
        if self.misbehaving and self.params.phase == "close":
            self._misbehave()

    def _misbehave(self) -> Any:
        behaviour = self.params.behaviour
        if behaviour == "raise":
            raise RuntimeError("hostile skill raised on purpose")
        if behaviour == "nan":
            return np.full(5, math.nan)
        if behaviour == "garbage":
            return {"not": "a command"}
        if behaviour == "hang":
            while True:
                pass
        if behaviour == "sleep":
            time.sleep(3600)
        if behaviour == "memory":
            self._hog()
        if behaviour == "segfault":
            ctypes.string_at(0)  # reads address 0: SIGSEGV
        if behaviour == "abort":
            os.abort()
        if behaviour == "exit":
            os._exit(3)
        if behaviour == "sys_exit":
            sys.exit(3)
        return None

    def _hog(self) -> None:
        """Grow by touched (resident) memory, a step at a time, up to a cap that keeps the
        machine safe if the limit is not enforced; then idle until killed."""
        step, cap = self.params.memory_step_mb, self.params.memory_cap_mb
        while len(self.hoard) * step < cap:
            self.hoard.append(np.ones(step * 2**20 // 8))
            time.sleep(0.005)
        time.sleep(3600)


class AbortingScenario(ReachScenario):
    """Aborts the process inside the scenario's own code at tick 2, for targets with y > 0
    (about half the episodes): a harness crash, not the skill's."""

    def status(self, state: WorldState, tick: int) -> TaskStatus:
        if tick == 2 and self.target[1] > 0:
            os.abort()
        return super().status(state, tick)


class HangingScenario(ReachScenario):
    """Loops forever in the scenario's own code at tick 2, for targets with y > 0."""

    def status(self, state: WorldState, tick: int) -> TaskStatus:
        if tick == 2 and self.target[1] > 0:
            while True:
                time.sleep(0.01)
        return super().status(state, tick)


class WrongKindSkill(HostileSkill):
    """Emits commands the point robot does not accept: a usage error found when the world is built."""

    command_kind = "joint_positions"
