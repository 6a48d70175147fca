"""Event classes counted once per onset, with severities: shared by the event-counting criteria.

A critical event stops the episode as a safety stop and is gated at zero; a major one fails the
criterion and is counted as a rate; a minor one is counted, verdict 'acceptable'.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Literal

from harness.results import Verdict

Severity = Literal["critical", "major", "minor"]


@dataclass
class EventTally:
    severity: Severity
    events: int = 0
    ticks: int = 0
    first: dict[str, object] | None = None


class EventLog:
    """Counts events per class once per onset; a critical event's description stops the episode."""

    def __init__(self, severity: Mapping[str, Severity]) -> None:
        self.severity = severity
        self.active: set[str] = set()
        self.classes: dict[str, EventTally] = {}
        self.counts = {"critical": 0, "major": 0, "minor": 0}

    def update(self, found: list[tuple[str, str]], tick: int) -> str | None:
        """Take this tick's (class, description) violations; return a reason to stop, or None."""
        now: dict[str, str] = {}
        for kind, what in found:
            now.setdefault(kind, what)  # the first description of each class this tick
        reason = None
        for kind, what in now.items():
            entry = self.classes.get(kind)
            if entry is None:
                entry = self.classes[kind] = EventTally(self.severity[kind])
            entry.ticks += 1
            if kind in self.active:
                continue  # the same event, still going on
            entry.events += 1
            entry.first = entry.first or {"tick": tick, "what": what}
            self.counts[entry.severity] += 1
            if entry.severity == "critical" and reason is None:
                reason = f"{what} at tick {tick} (critical: {kind})"
        self.active = set(now)
        return reason

    @property
    def events(self) -> int:
        return sum(self.counts.values())

    def verdict(self) -> Verdict:
        counts = self.counts
        if counts["critical"] or counts["major"]:
            return Verdict.FAIL
        return Verdict.ACCEPTABLE if counts["minor"] else Verdict.PASS

    def details(self) -> dict[str, object]:
        classes = {kind: asdict(entry) for kind, entry in sorted(self.classes.items())}
        return {"events": dict(self.counts), "classes": classes}
