"""What a known-bad skill declares it must be caught by, read and checked (see :class:`KnownBad`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from harness.errors import UsageError
from harness.skill import KnownBad, Skill

OUTCOMES = ("failure", "timeout", "safety_stop", "skill_error")
"""The outcomes that catch a skill: the episode ended because of it."""


@dataclass(frozen=True)
class Catch:
    """A known-bad skill's declaration: which outcome and failed criteria catch it, and where it runs."""

    skill: str
    spec: str
    outcome: str | None
    criteria: tuple[str, ...]
    plan_criteria: Mapping[str, Mapping[str, Any]]
    episodes: int

    def describe(self) -> str:
        return " + ".join([*([self.outcome] if self.outcome else []), *self.criteria])


def catch_of(name: str, cls: type) -> Catch:
    """The declaration of the known-bad skill ``cls`` registered as ``name``, checked."""
    if not (isinstance(cls, type) and issubclass(cls, KnownBad) and issubclass(cls, Skill)):
        raise UsageError(
            f"known-bad skill '{name}' ({cls!r}) is not a Skill with the KnownBad mixin; "
            "derive it from harness.skill.KnownBad and declare 'catches'"
        )
    outcomes = [entry for entry in cls.catches if entry in OUTCOMES]
    criteria = tuple(entry for entry in cls.catches if entry not in OUTCOMES)
    problem = _problem(cls, outcomes)
    if problem:
        raise UsageError(f"known-bad skill '{name}' ({cls.__module__}:{cls.__qualname__}): {problem}")
    plan_criteria = {"task_success": {}, **{c: {} for c in criteria}, **cls.selftest_criteria}
    outcome = outcomes[0] if outcomes else None
    return Catch(name, cls.supports[0], outcome, criteria, plan_criteria, cls.selftest_episodes)


def _problem(cls: type[KnownBad], outcomes: list[str]) -> str:
    if not cls.catches:
        return f"'catches' is empty; name an outcome ({', '.join(OUTCOMES)}) and/or the criteria that fail"
    if len(outcomes) > 1:
        return f"'catches' names {len(outcomes)} outcomes ({', '.join(outcomes)}); an episode has one"
    supports = getattr(cls, "supports", ())
    if not supports or any(ch in supports[0] for ch in "*?["):
        return "'supports' must start with the spec id it runs on, e.g. ('inspection/patrol-v1',)"
    return ""
