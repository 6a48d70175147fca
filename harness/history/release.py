"""``--against-last-release``: this run against the latest passing run of an earlier version.

The earlier run must be of the same skill (by its manifest name), with the same plan file and
the same episodes (:class:`~harness.history.record.RunKey`), and must have passed. It is looked
up before anything runs, so a missing release costs no simulation; the comparison is paired by
episode index and seed, on every scenario of the skill.
"""

from __future__ import annotations

from dataclasses import dataclass

from harness.errors import UsageError
from harness.history.record import RunKey, RunRecord, outcome_of, run_key, skill_names
from harness.history.store import HistoryStore
from harness.history.trends import compare_recorded, latest_before
from harness.plan.conditions import ConditionsByScenario
from harness.plan.resolve import ResolvedPlan
from harness.registry import is_reference
from harness.report.build import with_rate_comparisons
from harness.report.model import Report
from harness.skill import Skill
from harness.skill_manifest import SkillManifest, manifest_of


@dataclass(frozen=True)
class Release:
    """The recorded run one skill of this plan is compared with."""

    key: RunKey
    version: str  # the version being verified now
    scenarios: tuple[str, ...]
    baseline: RunRecord


def last_releases(
    store: HistoryStore, resolved: ResolvedPlan, given: ConditionsByScenario | None
) -> list[Release]:
    """For every skill of the plan, its last release; a :class:`UsageError` if one has none."""
    return [_release(store, resolved, given, skill) for skill in skill_names(resolved)]


def _release(
    store: HistoryStore, resolved: ResolvedPlan, given: ConditionsByScenario | None, skill: str
) -> Release:
    key = run_key(resolved, given, skill)
    entries = [e for e in resolved.scenarios if _manifest(e.skill_class, e.skill.name).name == skill]
    version = _manifest(entries[0].skill_class, entries[0].skill.name).version
    baseline = latest_before(store.matching(key), key, version, passing=True)
    if baseline is None:
        raise UsageError(
            f"--against-last-release: '{store.path}' records no passing run of skill '{skill}' at a "
            f"version below {version} with this plan ({resolved.source}) and these episodes (seeds, "
            "counts and scenario specs); verify the earlier release with this plan first, or leave out "
            "--against-last-release for a first release"
        )
    return Release(key, version, tuple(e.spec.id for e in entries), baseline)


def _manifest(cls: type[Skill], name: str) -> SkillManifest:
    return manifest_of(cls, None if is_reference(name) else name)


def with_releases(
    report: Report, resolved: ResolvedPlan, store: HistoryStore, releases: list[Release]
) -> Report:
    """The report with each skill's success rates compared with its last release's."""
    settings = resolved.plan.comparison
    for release in releases:
        assert release.baseline.id is not None
        new = [outcome_of(e) for e in report.episodes if e.scenario in release.scenarios]
        old = store.episodes(release.baseline.id)
        comparisons = compare_recorded(new, old, settings.margin, settings.confidence)
        source = (
            f"release {release.baseline.version} of '{release.key.skill}' ({release.baseline.report_path})"
        )
        report = with_rate_comparisons(report, comparisons, source)
    return report
