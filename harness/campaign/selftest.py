"""The self-test: every known-bad skill runs on its scenario, and each must be caught.

A known-bad skill (:class:`harness.skill.KnownBad`) declares what catches it: an outcome, failed
criteria, or both. Its self-test plan runs ``task_success`` and the criteria it names (with the
thresholds it gives) for a few episodes on the spec its ``supports`` starts with. The rule:
**caught** when at least one episode shows everything it declares at once (that outcome, and
every named criterion ``fail``); **MISSED** otherwise. One episode is enough because a
known-bad skill breaks its rule in some conditions, not necessarily in all: the question is
whether the harness notices when it does, not how often the skill misbehaves.
"""

from __future__ import annotations

import tempfile
import time
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from harness.campaign.run import run_plan
from harness.errors import UsageError, unknown_name_message
from harness.execution.runner import Backend
from harness.known_bad import Catch, catch_of
from harness.plan.resolve import builtin_specs, load_plan
from harness.plan.trust import TrustPolicy
from harness.registry import KNOWN_BAD, load_plugin, plugin_infos, registered
from harness.results import EpisodeResult, Verdict

CAUGHT, MISSED, SKIPPED = "caught", "MISSED", "skipped"


@dataclass(frozen=True)
class SelftestRow:
    """One known-bad skill's self-test: what must catch it, what its episodes showed."""

    catch: Catch
    episodes: int = 0
    caught_in: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    failing: dict[str, int] = field(default_factory=dict)  # criterion: episodes it failed in
    skipped: str = ""
    wall_s: float = 0.0

    @property
    def verdict(self) -> str:
        if self.skipped:
            return SKIPPED
        return CAUGHT if self.caught_in else MISSED


@dataclass(frozen=True)
class SelftestResult:
    rows: list[SelftestRow]
    wall_s: float

    @property
    def missed(self) -> list[SelftestRow]:
        return [row for row in self.rows if row.verdict == MISSED]


def known_bad_catches(family: str | None = None, names: Collection[str] = ()) -> list[Catch]:
    """Every registered known-bad skill's declaration, or those of one scenario family or named."""
    catches = [catch_of(info.name, load_plugin(KNOWN_BAD, info.name)) for info in plugin_infos(KNOWN_BAD)]
    for name in names:
        if name not in {catch.skill for catch in catches}:
            known = [catch.skill for catch in catches]
            raise UsageError(unknown_name_message("known-bad skill", name, known, listing="Registered"))
    if names:
        catches = [catch for catch in catches if catch.skill in names]
    if family is None:
        return catches
    families = sorted({catch.spec.split("/")[0] for catch in catches})
    if family not in families:
        raise UsageError(f"no known-bad skill runs on family '{family}'; choose one of {', '.join(families)}")
    return [catch for catch in catches if catch.spec.split("/")[0] == family]


def caught(episode: EpisodeResult, catch: Catch) -> bool:
    """Whether this episode shows everything ``catch`` declares."""
    if catch.outcome is not None and episode.outcome.value != catch.outcome:
        return False
    failed = {c.name for c in episode.criteria if c.verdict is Verdict.FAIL}
    return set(catch.criteria) <= failed


def run_selftest(
    catches: Sequence[Catch],
    backend: Backend,
    *,
    episodes: int | None = None,
    seed: int = 0,
    disabled: Collection[str] = (),
    on_row: Callable[[SelftestRow], None] | None = None,
    policy: TrustPolicy | None = None,
) -> SelftestResult:
    """Run each known-bad skill's self-test plan; ``disabled`` criteria are left out of every plan;
    ``policy`` is the one each plan is loaded with (its names are all registered ones)."""
    started = time.perf_counter()
    known = registered("criteria")
    for name in disabled:
        if name not in known:
            raise UsageError(unknown_name_message("criterion", name, list(known), listing="Registered"))
    specs = builtin_specs()
    rows = []
    for catch in catches:
        if catch.spec in specs:
            row = _run_one(catch, backend, episodes or catch.episodes, seed, disabled, policy)
        else:
            row = SelftestRow(catch, skipped=f"spec '{catch.spec}' is not built in")
        rows.append(row)
        if on_row is not None:
            on_row(row)
    return SelftestResult(rows, time.perf_counter() - started)


def selftest_plan(catch: Catch, episodes: int, seed: int, disabled: Collection[str] = ()) -> dict[str, Any]:
    criteria = {name: dict(params) for name, params in catch.plan_criteria.items() if name not in disabled}
    return {
        "name": f"selftest {catch.skill}",
        "skill": catch.skill,
        "scenarios": [catch.spec],
        "episodes": episodes,
        "seed": seed,
        "criteria": criteria,
        "gates": [],  # the self-test judges episodes, not a release
    }


def _run_one(
    catch: Catch,
    backend: Backend,
    episodes: int,
    seed: int,
    disabled: Collection[str],
    policy: TrustPolicy | None = None,
) -> SelftestRow:
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="roboverify-selftest-") as folder:
        path = Path(folder) / "plan.yaml"
        path.write_text(yaml.safe_dump(selftest_plan(catch, episodes, seed, disabled)), encoding="utf-8")
        report = run_plan(load_plan(path, policy), backend=backend)
    results = report.episodes
    failing = Counter(c.name for e in results for c in e.criteria if c.verdict is Verdict.FAIL)
    return SelftestRow(
        catch,
        episodes=len(results),
        caught_in=sum(caught(e, catch) for e in results),
        outcomes=dict(Counter(e.outcome.value for e in results)),
        failing=dict(failing),
        wall_s=time.perf_counter() - started,
    )
