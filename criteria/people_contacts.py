"""Who touches whom on a tick, for the human-contact check: robots on people, people on fixtures."""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence

from harness.records import WorldState

Touch = tuple[str, str, str]
"""(robot, person, link): a robot touching one link of a person."""
PersonLink = tuple[str, str]
"""(person, link)."""


class PeopleContacts:
    """Sorts a tick's contacts and tracked separations by the people (labels with ``prefix``) in them."""

    def __init__(self, prefix: str, gap: float, fixtures: Sequence[str]) -> None:
        self.prefix, self.gap, self.fixtures = prefix, gap, fixtures
        self.fixture_cache: dict[str, bool] = {}

    def is_fixture(self, label: str) -> bool:
        known = self.fixture_cache.get(label)
        if known is None:
            known = any(fnmatch.fnmatchcase(label, pattern) for pattern in self.fixtures)
            self.fixture_cache[label] = known
        return known

    def scan(self, state: WorldState) -> tuple[dict[Touch, tuple[float, float]], set[PersonLink]]:
        """Per touch the fastest approach speed and the summed normal force; the links pinned."""
        prefix = self.prefix
        robots = state.robots
        now: dict[Touch, tuple[float, float]] = {}
        pinned: set[PersonLink] = set()
        for c in state.contacts:
            if c.body_a.startswith(prefix):
                person, link, other = c.body_a, c.link_a, c.body_b
            elif c.body_b.startswith(prefix):
                person, link, other = c.body_b, c.link_b, c.body_a
            else:
                continue
            if other in robots:
                speed, force = now.get((other, person, link), (0.0, 0.0))
                now[(other, person, link)] = (max(speed, c.normal_speed), force + c.normal_force)
            elif self.is_fixture(other):
                pinned.add((person, link))
        if now:  # separations matter only where a robot presses on someone
            self._pinned_by_separation(state, pinned)
        return now, pinned

    def _pinned_by_separation(self, state: WorldState, pinned: set[PersonLink]) -> None:
        prefix, gap = self.prefix, self.gap
        for s in state.separations:
            if s.distance > gap:
                continue
            if s.body_a.startswith(prefix) and self.is_fixture(s.body_b):
                pinned.add((s.body_a, s.link_a))
            elif s.body_b.startswith(prefix) and self.is_fixture(s.body_a):
                pinned.add((s.body_b, s.link_b))
