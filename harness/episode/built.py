"""A scenario with the world it built once, reset for every episode."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from harness.errors import UsageError
from harness.records import RobotHardLimits
from harness.scenario import Scenario
from harness.skill import CommandSpace, TaskInfo
from harness.world import World


@dataclass
class BuiltScenario:
    """A scenario together with the world it built once; reset for every episode."""

    scenario: Scenario
    world: World
    command_space: CommandSpace
    robot_limits: Mapping[str, RobotHardLimits] = field(default_factory=dict)
    episodes_started: int = 0

    def prepare(self) -> None:
        """Called before each episode: a world that cannot be restored exactly is rebuilt."""
        if self.episodes_started and not self.world.restores_exactly:
            fresh = type(self.world)(self.world.physics_rate_hz)
            self.world.close()
            self.world = fresh
            self.scenario.build(fresh)
            fresh.save_baseline()
        self.episodes_started += 1

    @classmethod
    def build(cls, scenario: Scenario, world: World, command_kind: str) -> BuiltScenario:
        """Build ``scenario`` in ``world`` and pick the command space a skill of
        ``command_kind`` drives; a world that fails to build is closed before the error goes on."""
        try:
            scenario.build(world)
            world.save_baseline()
        except BaseException:
            world.close()  # a half-built world must not keep its simulator client
            raise
        spaces = scenario.command_spaces(world)
        if command_kind not in spaces:
            world.close()
            raise UsageError(
                f"the skill emits '{command_kind}' commands but robot '{scenario.spec.robot}' "
                f"accepts {', '.join(sorted(spaces))}; pick a skill written for this robot"
            )
        return cls(scenario, world, spaces[command_kind], dict(world.robot_limits()))

    def task_info(self, max_ticks: int | None = None) -> TaskInfo:
        """What the skill is told; ``max_ticks``: its budget, if not the spec's (a cycle's)."""
        spec = self.scenario.spec
        return TaskInfo(
            scenario=spec.id,
            robot=spec.robot,
            control_dt=spec.control_dt,
            max_ticks=spec.max_ticks if max_ticks is None else max_ticks,
            command_space=self.command_space,
            observation_shapes=self.scenario.observation_shapes(),
            goal=self.scenario.goal(),
        )
