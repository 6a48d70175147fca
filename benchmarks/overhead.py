"""Harness overhead: the same pick-and-place episodes through the harness and as a raw loop.

Both sides drive the same Franka Panda with the same scripted controller, the same inverse
kinematics settings and the same number of physics steps per episode; the raw loop is plain
PyBullet calls with nothing else. Prints physics steps per second of both, their ratio, and the
world reset time (restore a saved state vs rebuild from URDFs).

    python benchmarks/overhead.py [--episodes 30] [--seed 0]
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import statistics
import time
from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np

from harness.episode.engine import BuiltScenario
from harness.execution.runner import ScenarioRunner
from harness.plan.jobs import with_overrides
from harness.plan.resolve import ResolvedCriterion, ResolvedPlan, load_plan
from harness.registry import load_plugin, plugin_infos
from harness.results import EpisodeResult
from harness.skill import TaskInfo
from scenarios.workstation.pick_place import PickPlaceScenario
from sims.pybullet.robots import FRANKA_PANDA
from sims.pybullet.world import PyBulletWorld, p
from skills.pick_place import PickPlaceSkill

import pybullet_data  # isort: skip

T = TypeVar("T")


class RawPickPlace:
    """The hand-written baseline: one client, the same scene, only the calls the controller needs."""

    def __init__(self, physics_rate_hz: float, control_rate_hz: float) -> None:
        self.rest_ticks = math.ceil(PickPlaceScenario.layout.rest_s * control_rate_hz)
        c = self.c = p.connect(p.DIRECT)
        p.setAdditionalSearchPath(pybullet_data.getDataPath(), physicsClientId=c)
        p.setGravity(0, 0, -9.81, physicsClientId=c)
        p.setPhysicsEngineParameter(
            fixedTimeStep=1 / physics_rate_hz,
            numSubSteps=0,
            deterministicOverlappingPairs=1,
            physicsClientId=c,
        )
        layout = self.layout = PickPlaceScenario.layout
        # same bodies in the same order as the scenario builds them, so the physics is identical
        self._box((3.0, 3.0, 0.01), (0.0, 0.0, layout.floor_z - 0.01), 0.0, friction=0.8)
        self._box(layout.table_half_extents, (*layout.table_center, -layout.table_half_extents[2]), 0.0)
        self.robot = p.loadURDF(FRANKA_PANDA.urdf, layout.robot_base, useFixedBase=True, physicsClientId=c)
        for finger in FRANKA_PANDA.finger_joints:
            p.changeDynamics(
                self.robot, finger, lateralFriction=FRANKA_PANDA.finger_friction, physicsClientId=c
            )
        self.tray = p.loadURDF("tray/traybox.urdf", (0.45, 0.42, 0.0), useFixedBase=True, physicsClientId=c)
        joints = (*FRANKA_PANDA.arm_joints, *FRANKA_PANDA.finger_joints)
        infos = [p.getJointInfo(self.robot, j, physicsClientId=c) for j in joints]
        self.ik_args = {
            "lowerLimits": [i[8] for i in infos],
            "upperLimits": [i[9] for i in infos],
            "jointRanges": [i[9] - i[8] for i in infos],
            "restPoses": [*FRANKA_PANDA.home, FRANKA_PANDA.finger_travel, FRANKA_PANDA.finger_travel],
        }
        self.state = p.saveState(physicsClientId=c)
        self.cube = -1

    def _box(self, half: Any, position: Any, mass: float, yaw: float = 0.0, friction: float = 0.5) -> int:
        c = self.c
        shape = p.createCollisionShape(p.GEOM_BOX, halfExtents=half, physicsClientId=c)
        body = p.createMultiBody(
            mass, shape, -1, position, (0, 0, math.sin(yaw / 2), math.cos(yaw / 2)), physicsClientId=c
        )
        p.changeDynamics(body, -1, lateralFriction=friction, physicsClientId=c)
        return body

    def reset(self, conditions: dict[str, Any]) -> None:
        c, robot = self.c, self.robot
        if self.cube >= 0:
            p.removeBody(self.cube, physicsClientId=c)
        p.restoreState(stateId=self.state, physicsClientId=c)
        p.resetBasePositionAndOrientation(
            self.tray, (conditions["tray_x"], conditions["tray_y"], 0.0), (0, 0, 0, 1), physicsClientId=c
        )
        home = (*FRANKA_PANDA.home, FRANKA_PANDA.finger_travel, FRANKA_PANDA.finger_travel)
        for joint, value in zip((*FRANKA_PANDA.arm_joints, *FRANKA_PANDA.finger_joints), home, strict=True):
            p.resetJointState(robot, joint, value, 0.0, physicsClientId=c)
        self.command(home[:7], 0.08)
        half = conditions["object_size"][0] / 2
        self.cube = self._box(
            (half, half, half),
            (conditions["object_x"][0], conditions["object_y"][0], half),
            conditions["object_mass"][0],
            conditions["object_yaw"][0],
            conditions["object_friction"][0],
        )
        self.size, self.tray_position = 2 * half, np.array([conditions["tray_x"], conditions["tray_y"], 0.0])

    def command(self, arm: Any, width: float) -> None:
        c, robot = self.c, self.robot
        p.setJointMotorControlArray(
            robot,
            FRANKA_PANDA.arm_joints,
            p.POSITION_CONTROL,
            targetPositions=arm,
            targetVelocities=[0.0] * 7,
            forces=FRANKA_PANDA.arm_forces,
            positionGains=[FRANKA_PANDA.position_gain] * 7,
            velocityGains=[FRANKA_PANDA.velocity_gain] * 7,
            physicsClientId=c,
        )
        p.setJointMotorControlArray(
            robot,
            FRANKA_PANDA.finger_joints,
            p.POSITION_CONTROL,
            targetPositions=[width / 2] * 2,
            forces=[FRANKA_PANDA.finger_force] * 2,
            positionGains=[FRANKA_PANDA.finger_position_gain] * 2,
            physicsClientId=c,
        )

    def run(self, skill: PickPlaceSkill, max_ticks: int, substeps: int) -> int:
        """Run until the cube rests in the tray (the scenario's success rule); return the ticks."""
        c, robot, resting = self.c, self.robot, 0
        for tick in range(1, max_ticks + 1):
            x, y, z, yaw, width = skill.act(self.observation())
            target = p.getQuaternionFromEuler((math.pi, 0.0, yaw), physicsClientId=c)
            arm = p.calculateInverseKinematics(
                robot,
                FRANKA_PANDA.ee_link,
                (x, y, z),
                target,
                **self.ik_args,
                maxNumIterations=FRANKA_PANDA.ik_iterations,
                residualThreshold=FRANKA_PANDA.ik_threshold,
                physicsClientId=c,
            )[:7]
            self.command(arm, width)
            for _ in range(substeps):
                p.stepSimulation(physicsClientId=c)
            resting = resting + 1 if self.at_rest() else 0
            if resting >= self.rest_ticks:
                return tick
        return max_ticks

    def observation(self) -> dict[str, Any]:
        c, robot, cube = self.c, self.robot, self.cube
        fingers = p.getJointStates(robot, FRANKA_PANDA.finger_joints, physicsClientId=c)
        link = p.getLinkState(robot, FRANKA_PANDA.ee_link, computeForwardKinematics=1, physicsClientId=c)
        position, orientation = p.getBasePositionAndOrientation(cube, physicsClientId=c)
        return {
            "ee_position": np.array(link[4]),
            "ee_orientation": np.array(link[5]),
            "gripper_width": np.array([fingers[0][0] + fingers[1][0]]),
            "object_positions": np.array([position]),
            "object_orientations": np.array([orientation]),
            "object_sizes": np.array([[self.size] * 3]),
            "tray_position": self.tray_position,
        }

    def at_rest(self) -> bool:
        """The scenario's success rule: the cube at rest in the tray, the robot not touching it."""
        c, layout, half = self.c, self.layout, self.size / 2
        (px, py, pz), _ = p.getBasePositionAndOrientation(self.cube, physicsClientId=c)
        (vx, vy, vz), _ = p.getBaseVelocity(self.cube, physicsClientId=c)
        touching = p.getContactPoints(
            self.cube, self.robot, physicsClientId=c
        )  # read every tick, as the harness does
        limit = layout.tray_inner_half - half
        return (
            abs(px - float(self.tray_position[0])) <= limit
            and abs(py - float(self.tray_position[1])) <= limit
            and abs(pz - layout.tray_floor_height - half) <= layout.rest_height_tolerance
            and vx * vx + vy * vy + vz * vz < layout.rest_speed**2
            and not touching
        )

    def close(self) -> None:
        p.disconnect(physicsClientId=self.c)


def timed(call: Callable[[], T]) -> tuple[T, float]:
    started = time.perf_counter()
    value = call()
    return value, time.perf_counter() - started


def raw_episode(raw: RawPickPlace, result: EpisodeResult, task: TaskInfo, substeps: int) -> int:
    raw.reset(result.conditions)
    skill = PickPlaceSkill()
    skill.reset(task, np.random.default_rng(result.seed))
    return raw.run(skill, task.max_ticks, substeps) * substeps


def alternate(runner: ScenarioRunner, raw: RawPickPlace, episodes: int) -> tuple[int, float, float]:
    """Harness episode i, then the same episode raw: both see the same machine load."""
    task, substeps = runner._world().task_info(), runner.scenario.spec.substeps
    steps, harness_s, raw_s = 0, 0.0, 0.0
    for index in range(episodes):
        result, elapsed = timed(lambda i=index: runner.run(i))  # type: ignore[misc]
        harness_s += elapsed
        raw_steps, elapsed = timed(lambda r=result: raw_episode(raw, r, task, substeps))  # type: ignore[misc]
        raw_s += elapsed
        if raw_steps != result.timing.physics_steps:
            raise SystemExit(
                f"episode {index}: raw loop took {raw_steps} steps, harness {result.timing.physics_steps}"
            )
        steps += raw_steps
    return steps, harness_s, raw_s


def reset_times(plan: ResolvedPlan, repeats: int = 20) -> tuple[float, float]:
    spec = plan.scenarios[0].spec
    scenario = PickPlaceScenario(spec)
    conditions = scenario.sample_conditions(np.random.default_rng(0))
    restore, rebuild = [], []
    built = BuiltScenario.build(scenario, PyBulletWorld(spec.physics_rate_hz), "ee_pose")
    for _ in range(repeats):
        started = time.perf_counter()
        scenario.reset(built.world, conditions)
        restore.append(time.perf_counter() - started)
    built.world.close()
    for _ in range(repeats // 4):
        started = time.perf_counter()
        fresh = BuiltScenario.build(PickPlaceScenario(spec), PyBulletWorld(spec.physics_rate_hz), "ee_pose")
        fresh.scenario.reset(fresh.world, conditions)
        rebuild.append(time.perf_counter() - started)
        fresh.world.close()
    return statistics.median(restore) * 1e3, statistics.median(rebuild) * 1e3


def with_every_criterion(plan: ResolvedPlan) -> ResolvedPlan:
    """The plan plus every installed criterion at its defaults (as optional criteria)."""
    chosen = {c.criterion_class.name: c for c in plan.criteria}
    for info in plugin_infos("criteria"):
        criterion_class = load_plugin("criteria", info.name)
        chosen.setdefault(criterion_class.name, ResolvedCriterion(criterion_class, {}, required=False))
    return dataclasses.replace(plan, criteria=list(chosen.values()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--episodes", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--all-criteria",
        action="store_true",
        help="every registered criterion on, not only the default plan's",
    )
    args = parser.parse_args()
    plan = with_overrides(load_plan(None), args.episodes, args.seed)  # default plan: all its criteria on
    if args.all_criteria:
        plan = with_every_criterion(plan)
    runner = ScenarioRunner(plan, plan.scenarios[0])
    runner.run(0)  # both sides build their world outside the timed region
    spec = plan.scenarios[0].spec
    raw = RawPickPlace(spec.physics_rate_hz, spec.control_rate_hz)
    steps, harness_s, raw_s = alternate(runner, raw, args.episodes)
    runner.close()
    raw.close()
    restore_ms, rebuild_ms = reset_times(plan)
    criteria = ", ".join(c.criterion_class.name for c in plan.criteria)
    print(f"{args.episodes} episodes (seed {args.seed}), {steps} physics steps each way")
    print(f"criteria on: {criteria}")
    print(f"harness: {steps / harness_s:,.0f} physics steps/s ({harness_s:.2f} s)")
    print(f"raw    : {steps / raw_s:,.0f} physics steps/s ({raw_s:.2f} s)")
    print(f"ratio harness/raw: {raw_s / harness_s:.3f} (target >= 0.9)")
    print(
        f"world reset: restore {restore_ms:.2f} ms, rebuild {rebuild_ms:.1f} ms "
        f"({rebuild_ms / restore_ms:.0f}x), medians"
    )


if __name__ == "__main__":
    main()
