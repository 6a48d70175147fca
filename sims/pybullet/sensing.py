"""What a PyBullet world senses: contacts and separations named by body label and link, and rays.

The world keeps its tables of labels, link names and kinematic body states up to date; the
contact reader shares them and keeps what only reading needs: which bodies are people, the
velocities scenarios give the links of kinematic bodies, the pairs whose separation is
measured, and the names of the contacts seen so far.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from harness.errors import UsageError
from harness.records import BodyState, Contact, FloatArray, Separation, frozen_array
from harness.world import Vector
from sims.pybullet.bullet import p

ContactKey = tuple[int, int, int, int]
"""(body A, body B, link A, link B), as PyBullet reports a contact point."""


class ContactReader:
    """The contacts and separations of one world's bodies, read once per tick."""

    def __init__(
        self,
        client: int,
        ids: Mapping[str, int],
        labels: Mapping[int, str],
        link_names: Mapping[int, Mapping[int, str]],
        static: Mapping[str, BodyState],
    ) -> None:
        self.client = client
        self._ids, self._labels, self._link_names, self._static = ids, labels, link_names, static
        self._humans: set[int] = set()  # contacts with these get their approach speed measured
        # as scenarios set them: PyBullet cannot know how the link of a teleported body moves
        self._link_velocities: dict[tuple[int, int], tuple[float, ...]] = {}
        # ids are reused once a body is removed, so adding or removing a body clears it
        self._names: dict[ContactKey, tuple[str, str, str, str]] = {}
        self._separations: list[tuple[str, str, float]] = []

    # what the world tells it ------------------------------------------------------------------
    def add_human(self, body: int) -> None:
        self._humans.add(body)

    def set_link_velocity(self, body: int, link: int, velocity: Vector) -> None:
        self._link_velocities[(body, link)] = tuple(float(v) for v in velocity)

    def added(self) -> None:
        """A body was added."""
        self._names.clear()

    def removed(self, body: int) -> None:
        """Body ``body`` was removed; PyBullet may hand its id to the next body added."""
        self._names.clear()
        self._humans.discard(body)
        self._link_velocities = {key: v for key, v in self._link_velocities.items() if key[0] != body}

    def track_separation(self, body_a: str, body_b: str, max_distance: float) -> None:
        for label in (body_a, body_b):
            if label not in self._ids:
                raise UsageError(f"cannot track separation to '{label}': no such body")
        self._separations.append((body_a, body_b, max_distance))

    # contacts ---------------------------------------------------------------------------------
    def contacts(self) -> tuple[Contact, ...]:
        points = p.getContactPoints(physicsClientId=self.client)
        if not points:
            return ()
        forces: dict[ContactKey, float] = {}
        for point in points:
            key = point[1:5]
            forces[key] = forces.get(key, 0.0) + point[9]
        approach = self._approach_speeds(points) if self._humans else {}
        names, get_speed = self._names, approach.get
        found = []
        for key, force in forces.items():
            labels = names.get(key)
            if labels is None:
                labels = names[key] = self._contact_labels(*key)
            found.append(Contact(*labels, force, get_speed(key, 0.0)))
        return tuple(found)

    def _contact_labels(self, a: int, b: int, link_a: int, link_b: int) -> tuple[str, str, str, str]:
        return self._label(a), self._link(a, link_a), self._label(b), self._link(b, link_b)

    def _approach_speeds(self, points: Sequence[tuple[Any, ...]]) -> dict[ContactKey, float]:
        """The fastest approach over each pair of links' contact points, for contacts with people."""
        humans = self._humans
        approach: dict[ContactKey, float] = {}
        for point in points:
            if point[1] in humans or point[2] in humans:
                key = point[1:5]
                approach[key] = max(approach.get(key, 0.0), self._approach_speed(point))
        return approach

    def _approach_speed(self, point: tuple[Any, ...]) -> float:
        """How fast body A moves towards body B along the contact normal (B to A), m/s."""
        velocity_a = self._link_velocity(point[1], point[3])
        velocity_b = self._link_velocity(point[2], point[4])
        normal = point[7]
        closing = -sum((va - vb) * n for va, vb, n in zip(velocity_a, velocity_b, normal, strict=True))
        return max(0.0, float(closing))

    def _link_velocity(self, body: int, link: int) -> tuple[float, ...]:
        label = self._labels.get(body, "")
        if label in self._static:  # kinematic bodies (people) move as their scenario says
            own = self._link_velocities.get((body, link))
            return own if own is not None else tuple(self._static[label].linear_velocity.tolist())
        if link < 0:
            return tuple(p.getBaseVelocity(body, physicsClientId=self.client)[0])
        state = p.getLinkState(body, link, computeLinkVelocity=1, physicsClientId=self.client)
        return tuple(state[6])

    def _label(self, body: int) -> str:
        return self._labels.get(body, "?")

    def _link(self, body: int, link: int) -> str:
        names = self._link_names.get(body)
        return names.get(link, "base") if names is not None else "base"

    # separations ------------------------------------------------------------------------------
    def separations(self) -> tuple[Separation, ...]:
        found = []
        for label_a, label_b, max_distance in self._separations:
            a, b = self._ids[label_a], self._ids[label_b]
            points = p.getClosestPoints(a, b, max_distance, physicsClientId=self.client)
            if points:
                closest = min(points, key=lambda point: point[8])
                found.append(
                    Separation(
                        label_a, self._link(a, closest[3]), label_b, self._link(b, closest[4]), closest[8]
                    )
                )
            else:
                found.append(Separation(label_a, "", label_b, "", max_distance))
        return tuple(found)


def ray_distances(
    client: int, origins: Sequence[Vector], directions: Sequence[Vector], max_distance: float
) -> FloatArray:
    """How far each ray runs from its origin along its direction before it hits a body."""
    starts = [[float(v) for v in origin] for origin in origins]
    if not starts:
        return frozen_array(())
    ends = [
        [o + max_distance * float(d) for o, d in zip(start, direction, strict=True)]
        for start, direction in zip(starts, directions, strict=True)
    ]
    hits = p.rayTestBatch(starts, ends, numThreads=1, physicsClientId=client)
    # a ray that hits nothing reports fraction 1: it reads the full range
    return frozen_array([hit[2] * max_distance for hit in hits])
