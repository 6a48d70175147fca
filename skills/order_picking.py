"""Order picking with an arm and an AMR (its faulty variants: ``skills.order_picking_faults``).

The arm picks the ordered items with the workstation's Cartesian pick-and-place controller
(:class:`skills.pick_place.PickPlaceSkill`, shown only the chosen items and the tote), then
parks clear of the vehicle. The vehicle then follows the aisle to the packing station with a
stopping profile, and limits its speed so that the worker stays beyond the protective
separation distance of ISO/TS 15066 speed and separation monitoring (docs/standards.md §2):

    S_p(v) = v_h (T_r + T_s) + v T_r + v² / (2a) + Z  ≤  d - margin

solved for the largest allowed speed v at the scanned distance d. Something in the aisle short
of the dock (the range sensor's ``obstacle_distance``) makes it brake to a stop a margin short of
it and wait until the way is clear. When the vehicle starts away from the pick dock (the goal's
``pick_dock_pose``), as after a delivery in an endurance run, it first backs along the lane to
the pick dock under the same separation limit, the arm holding still. It knows nothing of the
simulator.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import numpy as np

from harness.records import FloatArray
from harness.skill import Observation, Skill, TaskInfo
from skills.obstacles import obstacle_speed_limit
from skills.order_picking_params import OrderPickingParams, allowed_speed
from skills.pick_place import Phase, PickPlaceSkill, ee_yaw

PICKER_KEYS = ("ee_position", "ee_orientation", "gripper_width")


class OrderPickingSkill(Skill):
    """Reference controller: pick the order, park the arm, drive to the packing station safely."""

    name = "order_picking"
    version = "1.0.0"
    robot = "franka_panda"
    command_kind = "pick_and_transport"
    supports = ("warehouse/*",)
    maintainer = "roboverify maintainers <maintainers@roboverify.org>"
    license = "Apache-2.0"
    observation_keys = (
        *PICKER_KEYS,
        "item_positions",
        "item_orientations",
        "item_sizes",
        "item_types",
        "order",
        "tote_position",
        "amr_pose",
        "amr_velocity",
        "dock_pose",
        "worker_distances",
        "worker_visible",
        "obstacle_distance",
    )
    Params = OrderPickingParams

    def __init__(self, **params: Any) -> None:
        super().__init__()
        self.params = self.Params.model_validate(params)
        self.picker: PickPlaceSkill | None = None

    def make_picker(self) -> PickPlaceSkill:
        return PickPlaceSkill(**self.params.arm.model_dump())

    def reset(self, task: TaskInfo, rng: np.random.Generator) -> None:
        self.dt = task.control_dt
        self.shelf = float(task.goal.get("shelf_height", 0.42))
        tote_floor = float(task.goal.get("tote_floor_height", self.shelf))
        # the picker works in the shelf's frame: the workstation's table top is z = 0
        self.lift = np.array([0.0, 0.0, self.shelf])
        goal = {"table_height": 0.0, "tray_floor_height": tote_floor - self.shelf}
        pick_dock = task.goal.get("pick_dock_pose")
        self.pick_dock = None if pick_dock is None else tuple(float(v) for v in pick_dock)
        self.dock_tolerance = float(task.goal.get("dock_tolerance", 0.12))
        # a new picker per order, grasping near the wrist yaw the first one started from (so the
        # wrist does not wind up order after order)
        home_yaw = self.picker.home_yaw if self.picker is not None else None
        self.picker = self.make_picker()
        self.picker.home_yaw = home_yaw
        self.picker.reset(dataclasses.replace(task, goal=goal), rng)
        self.selected: list[int] | None = None
        self.stage = "pick"
        self.arm = np.zeros(5)
        self.tick = 0

    # the loop ---------------------------------------------------------------------------------
    def act(self, observation: Observation) -> FloatArray:
        if self.selected is None:
            self.selected = self.choose_items(observation)
            if self.away_from_pick_dock(observation):
                self.stage = "return"
                position, orientation = observation["ee_position"], observation["ee_orientation"]
                self.arm = np.array([*position, ee_yaw(orientation), self.params.arm.open_width])
        self.tick += 1
        if self.stage == "return":
            base = self.drive_back(observation)
            if self.back_at_pick_dock(observation):
                self.stage = "pick"
            return np.array([*self.arm, *base])
        if self.stage == "pick":
            assert self.picker is not None
            self.arm = np.asarray(self.picker.act(self._picker_view(observation)), dtype=float)
            self.arm[:3] += self.lift
            if self.picker.phase is Phase.DONE:
                self.stage = "park"
        elif self.stage == "park":
            self._park(observation)
        base = self.drive(observation) if self.stage == "drive" else (0.0, 0.0)
        return np.array([*self.arm, *base])

    def choose_items(self, observation: Observation) -> list[int]:
        """For every type, as many items as ordered, nearest to the arm first."""
        types = np.rint(observation["item_types"]).astype(int)
        reach = np.linalg.norm(observation["item_positions"][:, :2], axis=1)
        chosen: list[int] = []
        for kind, count in enumerate(np.rint(observation["order"]).astype(int).tolist()):
            candidates = sorted((float(reach[i]), i) for i in np.flatnonzero(types == kind).tolist())
            chosen.extend(i for _, i in candidates[:count])
        return chosen

    def _picker_view(self, observation: Observation) -> Observation:
        chosen, lift = self.selected or [], self.lift
        return {
            "ee_position": observation["ee_position"] - lift,
            "ee_orientation": observation["ee_orientation"],
            "gripper_width": observation["gripper_width"],
            "object_positions": observation["item_positions"][chosen] - lift,
            "object_orientations": observation["item_orientations"][chosen],
            "object_sizes": observation["item_sizes"][chosen],
            "tray_position": observation["tote_position"] - lift,
        }

    def away_from_pick_dock(self, observation: Observation) -> bool:
        if self.pick_dock is None:
            return False
        x, y, _ = observation["amr_pose"].tolist()
        return math.hypot(x - self.pick_dock[0], y - self.pick_dock[1]) > self.params.away_from_pick_dock

    def back_at_pick_dock(self, observation: Observation) -> bool:
        """Still, a few centimetres from the pick dock along the lane and within the docking
        tolerance across it (the arm loads the tote wherever it stands)."""
        assert self.pick_dock is not None
        x, y, _ = observation["amr_pose"].tolist()
        along, across = abs(x - self.pick_dock[0]), abs(y - self.pick_dock[1])
        still = abs(float(observation["amr_velocity"][0])) < self.params.still_speed
        return along < self.params.pick_dock_tolerance and across < self.dock_tolerance and still

    def _park(self, observation: Observation) -> None:
        """Move the gripper clear of the vehicle at the arm's own speed limit, then let it go."""
        x, y, z = self.params.park
        goal = np.array([x, y, self.shelf + z])
        step = self.params.arm.max_speed * self.dt
        delta = goal - self.arm[:3]
        distance = float(np.linalg.norm(delta))
        self.arm[:3] = goal if distance <= step else self.arm[:3] + delta * (step / distance)
        self.arm[4] = self.params.arm.open_width
        if float(np.linalg.norm(observation["ee_position"] - goal)) < self.params.park_tolerance:
            self.stage = "drive"

    # driving ----------------------------------------------------------------------------------
    def drive(self, observation: Observation) -> tuple[float, float]:
        x, y, heading = observation["amr_pose"].tolist()
        dock_x, dock_y, _ = observation["dock_pose"].tolist()
        params = self.params
        remaining = dock_x - x
        speed = math.sqrt(2.0 * params.dock_deceleration * remaining) if remaining > 0.005 else 0.0
        speed = min(speed, params.cruise_speed, self.separation_limit(observation))
        if params.watch_obstacles:
            free = float(observation["obstacle_distance"][0])
            limit = obstacle_speed_limit(
                free, remaining, params.obstacle_clearance, params.obstacle_margin, params.dock_deceleration
            )
            speed = min(speed, limit)
        return speed, self.steer(heading, self.heading_reference(x, y, dock_y))

    def drive_back(self, observation: Observation) -> tuple[float, float]:
        """Reverse along the lane to the pick dock with the stopping profile, under the
        separation limit (the range sensor looks ahead only)."""
        x, y, heading = observation["amr_pose"].tolist()
        assert self.pick_dock is not None
        dock_x, dock_y, _ = self.pick_dock
        params = self.params
        remaining = x - dock_x  # negative after overshooting: creep forward again
        speed = math.sqrt(2.0 * params.dock_deceleration * abs(remaining)) if abs(remaining) > 0.005 else 0.0
        speed = min(speed, params.cruise_speed, self.separation_limit(observation))
        reference = self.heading_reference(x, y, dock_y)
        if remaining > 0:  # backing up, the vehicle closes on the lane by heading away from it
            return -speed, self.steer(heading, -reference)
        return speed, self.steer(heading, reference)

    def heading_reference(self, x: float, y: float, lane_y: float) -> float:
        limit = self.params.max_lane_heading
        return max(-limit, min(limit, self.params.lane_gain * (lane_y - y)))

    def steer(self, heading: float, reference: float) -> float:
        limit = self.params.max_yaw_rate
        return max(
            -limit, min(limit, self.params.heading_gain * math.remainder(reference - heading, math.tau))
        )

    def separation_limit(self, observation: Observation) -> float:
        distances, visible = observation["worker_distances"], observation["worker_visible"]
        seen = [float(d) for d, v in zip(distances, visible, strict=True) if v > 0.5]
        return allowed_speed(min(seen), self.params) if seen else math.inf
