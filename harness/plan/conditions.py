"""Per-episode conditions as JSON Lines: sample them once, run several skills on exactly them.

Each line is one episode: ``{"scenario": ..., "index": ..., "seed": ..., "conditions": {...}}``.
The seed travels with the conditions, so the skill's and the observation noise's random
streams match too, not only the scene.
"""

from __future__ import annotations

import dataclasses
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError

from harness.atomic import write_atomically
from harness.errors import SpecError, UsageError
from harness.plan.reading import CONDITIONS_MAX_BYTES, parse_json, read_text
from harness.plan.resolve import ResolvedPlan, ResolvedScenario
from harness.plan.seeding import EpisodeStreams, episode_seed
from harness.scenario import Conditions
from harness.spec import StrictModel

ConditionsByScenario = dict[str, list["ConditionsRecord"]]
MAX_PROBLEMS = 50


class ConditionsRecord(StrictModel):
    scenario: str
    index: int = Field(ge=0)
    seed: int = Field(ge=0, lt=2**63)
    conditions: dict[str, Any]


def sample_conditions(resolved: ResolvedPlan) -> list[ConditionsRecord]:
    """The conditions every episode of the plan would run under, without building a world."""
    return [
        episode_record(resolved, entry, index)
        for entry in resolved.scenarios
        for index in range(entry.episodes)
    ]


def episode_record(resolved: ResolvedPlan, entry: ResolvedScenario, index: int) -> ConditionsRecord:
    """Episode ``index`` of a scenario of the plan: its seed and the conditions it draws."""
    seed = episode_seed(resolved.plan.seed, entry.spec.id, index)
    conditions = entry.scenario_class(entry.spec).sample_conditions(EpisodeStreams.from_seed(seed).scenario)
    return ConditionsRecord(scenario=entry.spec.id, index=index, seed=seed, conditions=conditions)


def only_episode(resolved: ResolvedPlan, wanted: str) -> tuple[ResolvedPlan, ConditionsByScenario]:
    """The plan cut to one episode, ``SCENARIO#INDEX`` (``--only``): the same seed and conditions
    as in the full run, so a failure reported there can be run again on its own."""
    scenario, _, index_text = wanted.rpartition("#")
    entries = {entry.spec.id: entry for entry in resolved.scenarios}
    if scenario not in entries or not index_text.isdigit():
        raise UsageError(
            f"--only takes SCENARIO#INDEX, e.g. {next(iter(entries))}#3 (scenarios: {', '.join(entries)}); "
            f"got {wanted!r}"
        )
    record = episode_record(resolved, entries[scenario], int(index_text))
    return dataclasses.replace(resolved, scenarios=[entries[scenario]]), {scenario: [record]}


def write_conditions(path: Path, records: list[ConditionsRecord]) -> None:
    """Write atomically, one record per line."""
    write_atomically(path, "".join(record.model_dump_json() + "\n" for record in records).encode("utf-8"))


def read_conditions(path: Path, resolved: ResolvedPlan) -> ConditionsByScenario:
    """Read a conditions file and check that it fits the plan's scenarios exactly."""
    problems: list[str] = []
    by_scenario: ConditionsByScenario = defaultdict(list)
    for number, line in _lines(path):
        record = _parse(line, number, problems)
        if record is not None:
            by_scenario[record.scenario].append(record)
    problems.extend(_fit_problems(by_scenario, resolved))
    if len(problems) > MAX_PROBLEMS:  # a file of garbage must not print a million lines
        more = len(problems) - MAX_PROBLEMS
        problems = [*problems[:MAX_PROBLEMS], f"... and {more} more; fix these first"]
    if problems:
        raise SpecError(str(path), problems)
    return {spec_id: sorted(records, key=lambda r: r.index) for spec_id, records in by_scenario.items()}


def _lines(path: Path) -> list[tuple[int, str]]:
    text = read_text(path, "conditions file", CONDITIONS_MAX_BYTES)
    return [(number, line) for number, line in enumerate(text.splitlines(), 1) if line.strip()]


def _parse(line: str, number: int, problems: list[str]) -> ConditionsRecord | None:
    try:
        return ConditionsRecord.model_validate(parse_json(line))
    except json.JSONDecodeError as error:
        problems.append(f"line {number}: not JSON ({error.msg} at column {error.colno}); one object per line")
    except ValidationError as error:
        for detail in error.errors():
            where = ".".join(str(part) for part in detail["loc"]) or "(record)"
            problems.append(f"line {number}, field '{where}': {detail['msg']}")
    except ValueError as error:  # nested too deep, or a number too long to read
        problems.append(f"line {number}: {error}; write the file with 'roboverify conditions'")
    return None


def _fit_problems(by_scenario: ConditionsByScenario, resolved: ResolvedPlan) -> list[str]:
    planned = {entry.spec.id: entry for entry in resolved.scenarios}
    problems = [
        f"conditions for scenario '{spec_id}', which the plan does not run (it runs {', '.join(planned)}); "
        "write the file from this plan with 'roboverify conditions'"
        for spec_id in by_scenario
        if spec_id not in planned
    ]
    for spec_id, entry in planned.items():
        records = by_scenario.get(spec_id, [])
        if not records:
            problems.append(f"no conditions for the plan's scenario '{spec_id}'")
        problems.extend(_record_problems(records, entry))
    return problems


def _record_problems(records: list[ConditionsRecord], entry: ResolvedScenario) -> list[str]:
    problems, expected = [], set(entry.scenario_class.parameters)
    indices = [r.index for r in records]
    if len(set(indices)) != len(indices):
        problems.append(f"scenario '{entry.spec.id}': an episode index appears twice")
    count = entry.spec.objects.count
    for record in records:
        where = f"scenario '{entry.spec.id}' episode {record.index}"
        given = set(record.conditions)
        if given != expected:
            missing, extra = sorted(expected - given), sorted(given - expected)
            problems.append(
                f"{where}: conditions do not match the scenario's parameters "
                f"(missing: {', '.join(missing) or 'none'}; unknown: {', '.join(extra) or 'none'})"
            )
        for name, parameter in entry.scenario_class.parameters.items():
            value = record.conditions.get(name)
            if (
                parameter.per_object
                and value is not None
                and not (isinstance(value, list) and len(value) == count)
            ):
                problems.append(f"{where}: '{name}' must be a list of {count} value(s), one per object")
    return problems


def conditions_of(record: ConditionsRecord) -> Conditions:
    return dict(record.conditions)
