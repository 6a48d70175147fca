"""What the conformance check found: one finding per check and scenario."""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass
from typing import Any


class Status(enum.StrEnum):
    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"


@dataclass(frozen=True)
class Finding:
    """One check's result: what was expected, what was found and, unless it passed, the fix."""

    check: str
    status: Status
    expected: str
    found: str
    fix: str = ""
    scenario: str = ""
    """Spec id the check ran on; empty for checks of the class alone (the manifest)."""

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "status": self.status.value}


def passed(check: str, expected: str, found: str, scenario: str = "") -> Finding:
    return Finding(check, Status.PASS, expected, found, "", scenario)


def failed(check: str, expected: str, found: str, fix: str, scenario: str = "") -> Finding:
    return Finding(check, Status.FAIL, expected, found, fix, scenario)


def warned(check: str, expected: str, found: str, fix: str, scenario: str = "") -> Finding:
    return Finding(check, Status.WARN, expected, found, fix, scenario)


def counts(findings: list[Finding]) -> dict[Status, int]:
    return {status: sum(f.status is status for f in findings) for status in Status}
