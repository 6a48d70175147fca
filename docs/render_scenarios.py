"""Render one frame per scenario family with PyBullet's software renderer, for the docs.

    python docs/render_scenarios.py [family ...]     # writes docs/images/<family>.png

Each family builds its world from its v1 spec, resets it with fixed conditions, lets the
reference skill run for a moment and photographs the scene. No display or GPU is needed.
"""

from __future__ import annotations

import struct
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pybullet as p

from harness.episode.engine import BuiltScenario
from harness.plan.loading import load_model
from harness.plan.resolve import builtin_specs
from harness.registry import load_plugin
from harness.scenario import Conditions
from harness.spec import ScenarioSpec
from sims.pybullet import PyBulletWorld

IMAGES = Path(__file__).resolve().parent / "images"
WIDTH, HEIGHT = 960, 540


@dataclass(frozen=True)
class Shot:
    """What to photograph: a spec, its conditions, how long to run first, and the camera."""

    spec_id: str
    conditions: Conditions
    ticks: int
    target: tuple[float, float, float]
    distance: float
    yaw: float  # degrees
    pitch: float  # degrees


WORKSTATION = {
    "object_x": [0.5],
    "object_y": [-0.12],
    "object_yaw": [0.5],
    "object_size": [0.05],
    "object_mass": [0.15],
    "object_friction": [0.9],
    "tray_x": 0.45,
    "tray_y": 0.42,
}

SHOTS: dict[str, Shot] = {
    "workstation": Shot(
        "workstation/pick_place-v1",
        WORKSTATION,
        ticks=45,
        target=(0.4, 0.15, 0.1),
        distance=1.7,
        yaw=60.0,
        pitch=-30.0,
    ),
    "collab": Shot(
        "workstation/collab_pick_place-v1",
        {
            **WORKSTATION,
            "operator_y": 0.15,
            "operator_speed": 0.35,
            "operator_phase": 1.0,
            "reach_side": "right",
            "reach_depth": 0.22,
            "reach_height": 0.32,
            "reach_delay": 0.2,
            "reach_duration": 3.0,
            "reach_move_s": 0.8,
        },
        ticks=45,
        target=(0.7, 0.15, 0.0),
        distance=2.8,
        yaw=5.0,
        pitch=-25.0,
    ),
    "warehouse": Shot(
        "warehouse/order_picking-v1",
        {
            "item_x": [0.42, 0.58, 0.40, 0.60],
            "item_y": [-0.06, -0.04, -0.26, -0.22],
            "item_yaw": [0.3, -0.4, 0.8, 0.1],
            "item_type": [0, 2, 1, 1],
            "item_mass": [0.1] * 4,
            "item_friction": [0.9] * 4,
            "order_size": 3,
            "station_x": 6.4,
            "worker_lane_y": 1.9,
            "worker_speed": 1.0,
            "worker_phase": 0.05,
        },
        ticks=300,
        target=(2.4, 0.4, 0.2),
        distance=4.6,
        yaw=140.0,
        pitch=-36.0,
    ),
    "inspection": Shot(
        "inspection/patrol-v1",
        {
            "checkpoint_face": [1, 2, 3, 4, 0],
            "checkpoint_x": [4.0, 6.5, 3.5, 7.0, 6.0],
            "checkpoint_reading": [1.5, 2.5, 3.5, 4.5, 5.5],
            "checkpoint_anomalous": [0, 1, 0, 0, 1],
            "people_count": 2,
            "person_aisle": [0, 1],
            "person_side": [1, -1],
            "person_speed": [1.0, 1.2],
            "person_phase": [0.35, 0.1],
        },
        ticks=150,
        target=(5.0, -0.8, 0.0),
        distance=11.0,
        yaw=-20.0,
        pitch=-48.0,
    ),
}


def render(shot: Shot) -> np.ndarray:
    spec = load_model(ScenarioSpec, builtin_specs()[shot.spec_id]).model
    scenario_class = load_plugin("scenarios", spec.kind)
    skill = load_plugin("skills", scenario_class.reference_skill)()
    world = PyBulletWorld(spec.physics_rate_hz)
    try:
        built = BuiltScenario.build(scenario_class(spec), world, skill.command_kind)
        scenario, rng = built.scenario, np.random.default_rng(0)
        scenario.reset(world, dict(shot.conditions))
        skill.reset(built.task_info(), rng)
        state = world.read()
        for tick in range(1, shot.ticks + 1):
            scenario.apply(
                world, built.command_space.kind, np.asarray(skill.act(scenario.observe(state, rng)))
            )
            world.step(spec.substeps)
            state = world.read()
            scenario.events(state, tick)
            scenario.status(state, tick)
        return _photograph(world.client, shot)
    finally:
        world.close()


def _photograph(client: int, shot: Shot) -> np.ndarray:
    view = p.computeViewMatrixFromYawPitchRoll(
        shot.target, shot.distance, shot.yaw, shot.pitch, 0.0, 2, physicsClientId=client
    )
    projection = p.computeProjectionMatrixFOV(50.0, WIDTH / HEIGHT, 0.05, 30.0, physicsClientId=client)
    _, _, rgba, _, _ = p.getCameraImage(
        WIDTH, HEIGHT, view, projection, renderer=p.ER_TINY_RENDERER, physicsClientId=client
    )
    return np.reshape(np.asarray(rgba, dtype=np.uint8), (HEIGHT, WIDTH, 4))[:, :, :3]


def write_png(path: Path, rgb: np.ndarray) -> None:
    """A plain RGB PNG, without an imaging library."""
    height, width, _ = rgb.shape
    raw = b"".join(b"\x00" + rgb[row].tobytes() for row in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9))
    path.write_bytes(png + chunk(b"IEND", b""))


def main(families: list[str]) -> None:
    IMAGES.mkdir(exist_ok=True)
    for family in families or list(SHOTS):
        path = IMAGES / f"{family}.png"
        write_png(path, render(SHOTS[family]))
        print(f"wrote {path}")


if __name__ == "__main__":
    main(sys.argv[1:])
