"""Whatever a plan, spec, conditions file or baseline report holds, loading it either works or
raises a RoboverifyError (exit code 2), quickly: never another exception.

The default run tries a modest number of examples per loader; ``-m slow`` many more.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harness.errors import RoboverifyError
from harness.plan.conditions import read_conditions, sample_conditions, write_conditions
from harness.plan.loading import load_model
from harness.plan.resolve import ResolvedPlan, load_plan
from harness.spec import ScenarioSpec
from harness.verdicts.compare import load_baseline
from tests.conftest import REACH_SPEC

QUICK = settings(max_examples=100, deadline=3000, suppress_health_check=[HealthCheck.too_slow])
THOROUGH = settings(max_examples=1500, deadline=3000, suppress_health_check=[HealthCheck.too_slow])

PLAN = {
    "skill": "harness.testing:ScriptedSkill",
    "scenarios": ["reach.yaml"],
    "episodes": 3,
    "seed": 1,
    "gates": [{"min": 0.5}],
}
SPEC: dict[str, Any] = yaml.safe_load(REACH_SPEC)
WORDS = sorted(
    {*PLAN, *SPEC, "name", "params", "spec", "criteria", "metric", "min", "confidence", "mode", "max"}
    | {"randomize", "objects", "count", "faults", "kind", "endurance", "cycles", "task_success"}
)

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats()
    | st.text(max_size=20)
    | st.sampled_from(WORDS)
    | st.sampled_from(["reach.yaml", "uniform(0, 1)", "testing/reach-v1", "pick_place", "1e400"])
)
keys = st.sampled_from(WORDS) | st.text(max_size=8)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
    max_leaves=25,
)


def mutated(base: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    """``base`` with some keys replaced or added and some removed."""
    changes = st.dictionaries(st.sampled_from(sorted(base)) | keys, values, max_size=3)
    removed = st.sets(st.sampled_from(sorted(base)), max_size=2)
    return st.builds(
        lambda change, drop: {k: v for k, v in {**base, **change}.items() if k not in drop}, changes, removed
    )


def byte_edits(text: str) -> st.SearchStrategy[bytes]:
    """The UTF-8 of ``text`` with a few bytes replaced, inserted or deleted."""
    edit = st.tuples(
        st.sampled_from(["replace", "insert", "delete"]), st.integers(0, 10_000), st.binary(max_size=3)
    )

    def apply(edits: list[tuple[str, int, bytes]]) -> bytes:
        data = bytearray(text.encode("utf-8"))
        for kind, position, chunk in edits:
            at = position % (len(data) + 1)
            if kind == "insert":
                data[at:at] = chunk
            elif kind == "replace":
                data[at : at + len(chunk)] = chunk
            else:
                del data[at : at + 1 + len(chunk)]
        return bytes(data)

    return st.lists(edit, min_size=1, max_size=5).map(apply)


def serialised(data: Any, form: str) -> bytes:
    if form == "json":
        return json.dumps(data).encode("utf-8")
    return yaml.safe_dump(data, allow_unicode=True).encode("utf-8")


def documents(base: dict[str, Any], text: str) -> st.SearchStrategy[bytes]:
    """Generated structures, mutations of ``base`` (as YAML or JSON), byte edits of ``text``, noise."""
    form = st.sampled_from(["yaml", "json"])
    return (
        st.builds(serialised, values, form)
        | st.builds(serialised, mutated(base), form)
        | byte_edits(text)
        | st.binary(max_size=200)
    )


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with the reach spec, a valid plan loaded once (so imports are not timed)."""
    path = tmp_path_factory.mktemp("fuzz")
    (path / "reach.yaml").write_text(REACH_SPEC, encoding="utf-8")
    (path / "valid.yaml").write_text(yaml.safe_dump(PLAN), encoding="utf-8")
    load_plan(path / "valid.yaml")
    return path


@pytest.fixture(scope="module")
def resolved(folder: Path) -> ResolvedPlan:
    return load_plan(folder / "valid.yaml")


def loads_or_refuses(load: Callable[[], object]) -> None:
    try:
        load()
    except RoboverifyError as error:
        assert error.exit_code == 2, error


def check_plan(folder: Path, content: bytes) -> None:
    path = folder / "plan.yaml"
    path.write_bytes(content)
    loads_or_refuses(lambda: load_plan(path))


def check_spec(folder: Path, content: bytes) -> None:
    (folder / "spec_plan.yaml").write_text(
        yaml.safe_dump({**PLAN, "scenarios": ["spec.yaml"]}), encoding="utf-8"
    )
    (folder / "spec.yaml").write_bytes(content)
    loads_or_refuses(lambda: load_model(ScenarioSpec, folder / "spec.yaml"))
    loads_or_refuses(lambda: load_plan(folder / "spec_plan.yaml"))


def check_conditions(folder: Path, resolved: ResolvedPlan, content: bytes) -> None:
    path = folder / "conditions.jsonl"
    path.write_bytes(content)
    loads_or_refuses(lambda: read_conditions(path, resolved))


def check_baseline(folder: Path, content: bytes) -> None:
    path = folder / "report.json"
    path.write_bytes(content)
    loads_or_refuses(lambda: load_baseline(str(path)))


def conditions_lines(resolved: ResolvedPlan) -> st.SearchStrategy[bytes]:
    records = [json.loads(r.model_dump_json()) for r in sample_conditions(resolved)]
    text = "".join(json.dumps(r) + "\n" for r in records)
    line = st.builds(lambda data: json.dumps(data), values | mutated(records[0]))
    generated = st.lists(line, min_size=1, max_size=4).map(lambda lines: "\n".join(lines).encode("utf-8"))
    return generated | byte_edits(text) | st.binary(max_size=200)


BASELINE = {"schema_version": "1.0", "episodes": []}

plans = documents(PLAN, yaml.safe_dump(PLAN))
specs = documents(SPEC, REACH_SPEC)
baselines = documents(BASELINE, json.dumps(BASELINE))


@QUICK
@given(content=plans)
def test_any_plan_loads_or_is_refused(folder: Path, content: bytes) -> None:
    check_plan(folder, content)


@QUICK
@given(content=specs)
def test_any_spec_loads_or_is_refused(folder: Path, content: bytes) -> None:
    check_spec(folder, content)


@QUICK
@given(data=st.data())
def test_any_conditions_file_loads_or_is_refused(
    folder: Path, resolved: ResolvedPlan, data: st.DataObject
) -> None:
    check_conditions(folder, resolved, data.draw(conditions_lines(resolved)))


@QUICK
@given(content=baselines)
def test_any_baseline_report_loads_or_is_refused(folder: Path, content: bytes) -> None:
    check_baseline(folder, content)


def test_the_valid_files_the_fuzzing_starts_from_load(folder: Path, resolved: ResolvedPlan) -> None:
    write_conditions(folder / "valid.jsonl", sample_conditions(resolved))
    assert read_conditions(folder / "valid.jsonl", resolved)
    (folder / "baseline.json").write_text(json.dumps(BASELINE), encoding="utf-8")
    assert load_baseline(str(folder / "baseline.json")) == []
    assert load_model(ScenarioSpec, folder / "reach.yaml").model.id == "testing/reach-v1"


@pytest.mark.slow
@THOROUGH
@given(content=plans)
def test_any_plan_loads_or_is_refused_thoroughly(folder: Path, content: bytes) -> None:
    check_plan(folder, content)


@pytest.mark.slow
@THOROUGH
@given(content=specs)
def test_any_spec_loads_or_is_refused_thoroughly(folder: Path, content: bytes) -> None:
    check_spec(folder, content)


@pytest.mark.slow
@THOROUGH
@given(data=st.data())
def test_any_conditions_file_loads_or_is_refused_thoroughly(
    folder: Path, resolved: ResolvedPlan, data: st.DataObject
) -> None:
    check_conditions(folder, resolved, data.draw(conditions_lines(resolved)))


@pytest.mark.slow
@THOROUGH
@given(content=baselines)
def test_any_baseline_report_loads_or_is_refused_thoroughly(folder: Path, content: bytes) -> None:
    check_baseline(folder, content)
