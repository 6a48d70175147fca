"""``roboverify check-skill``: does a skill keep the Skill contract? Modelled on Gymnasium's
env checker (``gymnasium.utils.env_checker``), but driven through the real engine.

On every scenario it is checked on, the skill runs a few short episodes through
:func:`~harness.episode.engine.run_episode`, wrapped in a
:class:`~harness.episode.recording.RecordingSkill` that only watches: the commands it
returned, the observation keys it read, how long ``act`` took, and what ``reset`` and
``close`` did. The same seeds then run again on fresh objects (determinism), and episode 1
runs on the object that has just run episode 0 (no state leaking across resets). The
checks in :mod:`harness.episode.conformance_checks` turn these runs into findings.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from harness.episode.built import BuiltScenario
from harness.episode.conformance_checks import CHECKS, EpisodeRun, Runs
from harness.episode.conformance_targets import Target, load_skill, manifest_finding, targets_for
from harness.episode.engine import run_episode
from harness.episode.findings import Finding, Status, counts, failed, passed
from harness.episode.recording import RecordingSkill, SkillLog
from harness.errors import UsageError
from harness.plan.seeding import episode_seed
from harness.plan.trust import TrustPolicy
from harness.skill import Skill
from harness.spec import ScenarioSpec

__all__ = ["Conformance", "check_skill", "check_skill_on"]

EPISODES = 2
MAX_TICKS = 600


@dataclass(frozen=True)
class Conformance:
    """Every finding about one skill, and what was run to find them."""

    skill: str
    source: str
    scenarios: list[str]
    findings: list[Finding]
    wall_s: float

    @property
    def failed(self) -> bool:
        return any(finding.status is Status.FAIL for finding in self.findings)

    def as_dict(self) -> dict[str, Any]:
        return {
            "skill": self.skill, "source": self.source, "scenarios": self.scenarios,
            "passed": not self.failed, "counts": {s.value: n for s, n in counts(self.findings).items()},
            "wall_s": round(self.wall_s, 3), "findings": [finding.as_dict() for finding in self.findings],
        }  # fmt: skip


def check_skill(
    name: str,
    scenario: str | None = None,
    episodes: int = EPISODES,
    seed: int = 0,
    max_ticks: int = MAX_TICKS,
    policy: TrustPolicy | None = None,
) -> Conformance:
    """Check the skill ``name`` (registered, or ``module:Class``) on ``scenario`` (a built-in
    spec id or a .yaml file), else on every built-in spec it supports; ``policy`` says whether
    a ``module:Class`` reference and a spec file outside the working directory are accepted.

    Raises:
        UsageError: unknown skill or scenario, or a scenario the skill is not made for.
    """
    skill_class = load_skill(name, policy)
    manifest, finding = manifest_finding(name, skill_class)
    targets = targets_for(name, skill_class, manifest, scenario, policy)
    return check_skill_on(name, skill_class, targets, episodes, seed, max_ticks, [finding])


def check_skill_on(
    name: str,
    skill_class: type[Skill],
    targets: list[Target],
    episodes: int = EPISODES,
    seed: int = 0,
    max_ticks: int = MAX_TICKS,
    findings: list[Finding] | None = None,
) -> Conformance:
    """Check ``skill_class`` on the given scenarios (``findings``: any found before, e.g. the manifest's)."""
    started = time.perf_counter()
    found = list(findings or [])
    for target in targets:
        found += _check_target(skill_class, target, episodes, seed, max_ticks)
    source = f"{skill_class.__module__}:{skill_class.__qualname__}"
    return Conformance(name, source, [t.spec.id for t in targets], found, time.perf_counter() - started)


def _check_target(
    skill_class: type[Skill], target: Target, episodes: int, seed: int, max_ticks: int
) -> list[Finding]:
    spec = short_spec(target.spec, max_ticks)
    built, kind_finding = _build(skill_class, target, spec)
    findings = [_robot_finding(skill_class, spec), kind_finding]
    if built is None:
        return findings
    try:
        runs = record_runs(built, skill_class, episodes, seed)
    finally:
        built.world.close()
    init_error = runs.first[0].log.errors.get("init")
    if init_error is not None:  # nothing else can be judged without an object
        fix = "give every parameter a default, or make the constructor not raise"
        return [*findings, failed("lifecycle.init", "the skill builds", init_error, fix, spec.id)]
    return findings + [finding for check in CHECKS for finding in check(runs)]


def _build(
    skill_class: type[Skill], target: Target, spec: ScenarioSpec
) -> tuple[BuiltScenario | None, Finding]:
    """The built world, or None when the robot does not accept the skill's command kind."""
    check, expected, kind = (
        "interface.command_kind",
        "a command kind the robot accepts",
        skill_class.command_kind,
    )
    world = target.sim_class(spec.physics_rate_hz)
    try:
        built = BuiltScenario.build(target.scenario_class(spec), world, kind)
    except UsageError as error:
        fix = "emit one of the kinds the robot accepts, or check on a scenario for this robot"
        return None, failed(check, expected, str(error), fix, spec.id)
    return built, passed(check, expected, kind, spec.id)


def short_spec(spec: ScenarioSpec, max_ticks: int) -> ScenarioSpec:
    """The spec capped at ``max_ticks`` ticks and without its faults: the contract is checked
    on the nominal task, and quickly (a skill must keep it from its first tick)."""
    ticks = min(spec.max_ticks, max_ticks)
    return spec.model_copy(update={"time_budget_s": ticks / spec.control_rate_hz, "faults": []})


def _robot_finding(skill_class: type[Skill], spec: ScenarioSpec) -> Finding:
    expected = f"robot '{spec.robot}' (the scenario's)"
    if skill_class.robot == spec.robot:
        return passed("interface.robot", expected, skill_class.robot, spec.id)
    fix = "check it on a scenario for its robot"
    return failed("interface.robot", expected, skill_class.robot, fix, spec.id)


def record_runs(built: BuiltScenario, skill_class: type[Skill], episodes: int, seed: int) -> Runs:
    """Run and record every episode the checks judge, on one built world."""
    spec = built.scenario.spec
    seeds = [episode_seed(seed, spec.id, index) for index in range(max(episodes, 2))]

    def fresh(index: int) -> EpisodeRun:
        return _episode(built, skill_class, index, seeds[index])

    first = [fresh(index) for index in range(episodes)]
    again = [fresh(index) for index in range(episodes)]
    shared = _Once(skill_class)
    _episode(built, shared, 0, seeds[0], close_inner=False)  # kept open, as between endurance cycles
    reused = _episode(built, shared, 1, seeds[1])
    fresh_second = first[1] if episodes > 1 else fresh(1)
    space, keys = built.command_space, tuple(skill_class.observation_keys)
    return Runs(spec.id, space, spec.control_dt, keys, first, again, reused, fresh_second)


def _episode(
    built: BuiltScenario, make: Callable[[], Skill], index: int, seed: int, close_inner: bool = True
) -> EpisodeRun:
    log = SkillLog()
    result = run_episode(built, lambda: RecordingSkill(make, log, close_inner), lambda: [], index, seed)
    return EpisodeRun(index, seed, log, result)


class _Once:
    """Builds the skill on the first call and hands back the same object ever after."""

    def __init__(self, skill_class: type[Skill]) -> None:
        self.skill_class = skill_class
        self.skill: Skill | None = None

    def __call__(self) -> Skill:
        if self.skill is None:
            self.skill = self.skill_class()
        return self.skill
