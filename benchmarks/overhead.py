"""Harness overhead: the same pick-and-place episodes through the harness and as a raw loop.

Both sides drive the same Franka Panda with the same scripted controller, the same inverse
kinematics settings and the same number of physics steps per episode; the raw loop is plain
PyBullet calls with nothing else. Prints physics steps per second of both, their ratio, and the
world reset time (restore a saved state vs rebuild from URDFs).

    python benchmarks/overhead.py [--episodes 30] [--seed 0]
"""

from __future__ import annotations

import argparse
import math
import statistics
import time
from typing import Any

import numpy as np

from harness.engine import BuiltScenario
from harness.resolve import ResolvedPlan, load_plan
from harness.results import EpisodeResult
from harness.runner import ScenarioRunner, with_overrides
from harness.skill import TaskInfo
from scenarios.workstation.pick_place import PickPlaceScenario
from sims.pybullet.robots import FRANKA_PANDA
from sims.pybullet.world import PyBulletWorld, p
from skills.pick_place import PickPlaceSkill

import pybullet_data  # isort: skip


class RawPickPlace:
    """The hand-written baseline: one client, the same scene, only the calls the controller needs."""

    def __init__(self, physics_rate_hz: float) -> None:
        c = self.c = p.connect(p.DIRECT)
        p.setAdditionalSearchPath(pybullet_data.getDataPath(), physicsClientId=c)
        p.setGravity(0, 0, -9.81, physicsClientId=c)
        p.setPhysicsEngineParameter(
            fixedTimeStep=1 / physics_rate_hz,
            numSubSteps=0,
            deterministicOverlappingPairs=1,
            physicsClientId=c,
        )
        layout = PickPlaceScenario.layout
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

    def run(self, skill: PickPlaceSkill, ticks: int, substeps: int) -> int:
        c, robot = self.c, self.robot
        for _ in range(ticks):
            fingers = p.getJointStates(robot, FRANKA_PANDA.finger_joints, physicsClientId=c)
            link = p.getLinkState(robot, FRANKA_PANDA.ee_link, computeForwardKinematics=1, physicsClientId=c)
            position, orientation = p.getBasePositionAndOrientation(self.cube, physicsClientId=c)
            x, y, z, yaw, width = skill.act(
                {
                    "ee_position": np.array(link[4]),
                    "ee_orientation": np.array(link[5]),
                    "gripper_width": np.array([fingers[0][0] + fingers[1][0]]),
                    "object_positions": np.array([position]),
                    "object_orientations": np.array([orientation]),
                    "object_sizes": np.array([[self.size] * 3]),
                    "tray_position": self.tray_position,
                }
            )
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
        return ticks * substeps

    def close(self) -> None:
        p.disconnect(physicsClientId=self.c)


def harness_run(plan: ResolvedPlan, episodes: int) -> tuple[list[EpisodeResult], float]:
    runner = ScenarioRunner(plan, plan.scenarios[0])
    runner.run(0)  # build the world outside the timed region, as the raw loop does
    started = time.perf_counter()
    results = [runner.run(index) for index in range(episodes)]
    elapsed = time.perf_counter() - started
    runner.close()
    return results, elapsed


def raw_run(plan: ResolvedPlan, results: list[EpisodeResult], task: TaskInfo) -> tuple[int, float]:
    spec = plan.scenarios[0].spec
    raw = RawPickPlace(spec.physics_rate_hz)
    steps, started = 0, time.perf_counter()
    for result in results:
        raw.reset(result.conditions)
        skill = PickPlaceSkill()
        skill.reset(task, np.random.default_rng(result.seed))
        steps += raw.run(skill, result.timing.ticks, spec.substeps)
    elapsed = time.perf_counter() - started
    raw.close()
    return steps, elapsed


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--episodes", type=int, default=30)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    plan = with_overrides(load_plan(None), args.episodes, args.seed)  # default plan: all its criteria on
    results, harness_s = harness_run(plan, args.episodes)
    harness_steps = sum(r.timing.physics_steps for r in results)
    task = ScenarioRunner(plan, plan.scenarios[0])._world().task_info()
    raw_steps, raw_s = raw_run(plan, results, task)
    restore_ms, rebuild_ms = reset_times(plan)
    criteria = ", ".join(c.criterion_class.name for c in plan.criteria)
    print(f"episodes: {args.episodes} (seed {args.seed}), criteria on: {criteria}")
    harness_rate = harness_steps / harness_s
    print(f"harness: {harness_steps} physics steps in {harness_s:.2f} s = {harness_rate:,.0f} steps/s")
    print(f"raw    : {raw_steps} physics steps in {raw_s:.2f} s = {raw_steps / raw_s:,.0f} steps/s")
    print(f"ratio harness/raw: {(harness_steps / harness_s) / (raw_steps / raw_s):.3f} (target >= 0.9)")
    print(
        f"world reset: restore {restore_ms:.2f} ms, rebuild {rebuild_ms:.1f} ms "
        f"({rebuild_ms / restore_ms:.0f}x), medians"
    )


if __name__ == "__main__":
    main()
