"""The rules of a patrol: the reports a skill sends, what the robot touches, and the episode's metrics.

Kept apart from the scenario so the rules can be read (and tested) in one place. Everything
here works on plain floats: it runs every control tick.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from harness.records import Contact, Separation

NO_CONTACT = ""
FLOOR = "floor"
HUMAN_PREFIX = "human:"


@dataclass
class Checkpoint:
    """A gauge's hidden state and what the skill has said about it."""

    label: str
    reading: float
    anomalous: bool
    covered: bool = False


@dataclass
class PatrolLog:
    """Reports, failures and running metrics of one episode."""

    checkpoints: list[Checkpoint]
    tolerance: float
    failure: str = ""
    ended: bool = False
    errors: list[float] = field(default_factory=list)
    true_positives: int = 0
    false_positives: int = 0
    distance: float = 0.0
    min_separation: float = math.inf
    ticks: int = 0

    def report(self, index: int, value: float, anomaly: bool, visible: bool, tick: int) -> None:
        """Judge one report; the first wrong one ends the episode, repeats are ignored."""
        if self.failure or index >= len(self.checkpoints):
            return
        checkpoint = self.checkpoints[index]
        if checkpoint.covered:
            return
        if not visible:
            self.failure = f"reported {checkpoint.label} at tick {tick} without it in view"
            return
        error = abs(value - checkpoint.reading)
        self.errors.append(error)
        if anomaly and not checkpoint.anomalous:
            self.false_positives += 1
            self.failure = f"false alarm: {checkpoint.label} reported anomalous at tick {tick}, it is normal"
        elif checkpoint.anomalous and not anomaly:
            self.failure = f"missed anomaly: {checkpoint.label} reported normal at tick {tick}"
        elif error > self.tolerance:
            self.failure = (
                f"{checkpoint.label} read {value:.3g} at tick {tick}, actual {checkpoint.reading:.3g} "
                f"(tolerance {self.tolerance:g})"
            )
        else:
            self.true_positives += anomaly
            checkpoint.covered = True

    def end_patrol(self, tick: int) -> None:
        """The skill says the patrol is over: anything not yet inspected is a failure."""
        if self.failure or self.ended:
            return
        self.ended = True
        missing = [c.label for c in self.checkpoints if not c.covered]
        if missing:
            self.failure = f"patrol ended at tick {tick} with {', '.join(missing)} not inspected"

    def check_contacts(self, contacts: Sequence[Contact], robot: str, tick: int) -> None:
        """A robot touching anything but the floor fails the task; people are named by region."""
        if self.failure:
            return
        for contact in contacts:
            if contact.body_a == robot:
                other, region = contact.body_b, contact.link_b
            elif contact.body_b == robot:
                other, region = contact.body_a, contact.link_a
            else:
                continue
            if other == FLOOR:
                continue
            if other.startswith(HUMAN_PREFIX):
                self.failure = f"robot touched {other} ({region}) at tick {tick}"
            else:
                self.failure = f"robot hit {other} at tick {tick}"
            return

    def track(self, moved: float, separations: Sequence[Separation]) -> None:
        self.distance += moved
        for separation in separations:
            if separation.distance < self.min_separation:
                self.min_separation = separation.distance

    @property
    def succeeded(self) -> bool:
        return self.ended and not self.failure

    def metrics(self, control_dt: float, separation_cap: float) -> dict[str, float]:
        covered = sum(c.covered for c in self.checkpoints)
        anomalies = sum(c.anomalous for c in self.checkpoints)
        return {
            "checkpoints_covered": float(covered),
            "coverage": covered / len(self.checkpoints) if self.checkpoints else 1.0,
            "reading_error_mean": sum(self.errors) / len(self.errors) if self.errors else 0.0,
            "reading_error_max": max(self.errors, default=0.0),
            "anomalies": float(anomalies),
            "anomalies_detected": float(self.true_positives),
            "false_alarms": float(self.false_positives),
            "anomalies_missed": float(anomalies - self.true_positives),  # not reported as such
            "patrol_time_s": self.ticks * control_dt,
            "distance_m": self.distance,
            "min_separation_m": min(self.min_separation, separation_cap),
        }
