"""Hostile files given to ``roboverify verify``: each is refused quickly with exit 2 and the fix.

Every case goes through ``harness.cli.main`` and checks the exit code, that the message names
the file and says what to do, that no traceback is printed, and that it took under two seconds.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from harness.cli import main
from harness.plan.reading import MAX_BYTES_ENV, PLAN_MAX_BYTES
from tests.conftest import REACH_SPEC

pytestmark = pytest.mark.usefixtures("plain_output")

SECONDS = 2.0
REACH_PLAN = "skill: harness.testing:ScriptedSkill\nscenarios: [reach.yaml]\nepisodes: 3\n"

BOMB = "".join(
    f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]\n"
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True)
)
BILLION_LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + BOMB


def refused(tmp_path: Path, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """Run ``roboverify verify ARGS`` and return its stderr, having checked the refusal."""
    started = time.perf_counter()
    code = main(["verify", *args, "--out", str(tmp_path / "out"), "--backend", "inprocess", "-j", "1"])
    elapsed = time.perf_counter() - started
    err = capsys.readouterr().err
    assert code == 2, err
    assert elapsed < SECONDS, f"took {elapsed:.2f} s"
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists(), "no episode ran"
    return " ".join(err.split())  # rich may wrap long messages


def write_bytes(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path


def write_text(path: Path, text: str) -> Path:
    return write_bytes(path, text.encode("utf-8"))


def huge(path: Path) -> Path:
    with open(path, "wb") as stream:  # sparse: the size is what counts, not the bytes
        stream.truncate(PLAN_MAX_BYTES + 1)
    return path


def fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def directory(path: Path) -> Path:
    path.mkdir()
    return path


PLAN_CASES: dict[str, tuple[Callable[[Path], Path], str]] = {
    "huge file": (huge, f"larger than {PLAN_MAX_BYTES:,} bytes, the most roboverify reads; check it is"),
    "deep nesting": (
        lambda p: write_text(p, "skill: " + "[" * 10_000 + "]" * 10_000 + "\n"),
        "line 1: mappings and lists nested deeper than 64; roboverify refuses such files, split or simplify",
    ),
    "alias bomb": (
        lambda p: write_text(p, BILLION_LAUGHS),
        "aliases here expand to more than 1,000,000 values; roboverify refuses such files, write the values",
    ),
    "recursive alias": (
        lambda p: write_text(p, "skill: &a [*a]\n"),
        "line 1: an alias refers to a value that contains it; remove it",
    ),
    "long string": (
        lambda p: write_text(p, f"skill: {'x' * 70_000}\nscenarios: [reach.yaml]\n"),
        "a value longer than 65,536 characters; roboverify refuses such files",
    ),
    "long name": (
        lambda p: write_text(p, f"skill: {'x' * 300}\nscenarios: [reach.yaml]\n"),
        "field 'skill.name': String should have at most 256 characters",
    ),
    "long list": (
        lambda p: write_text(
            p, "skill: pick_place\nscenarios: [" + ", ".join(["reach.yaml"] * 20_000) + "]\n"
        ),
        "a mapping or list of more than 10,000 entries; roboverify refuses such files",
    ),
    "too many scenarios": (
        lambda p: write_text(p, "skill: pick_place\nscenarios: [" + ", ".join(["reach.yaml"] * 1001) + "]\n"),
        "field 'scenarios': List should have at most 1000 items",
    ),
    "huge integer": (
        lambda p: write_text(p, f"skill: pick_place\nscenarios: [reach.yaml]\nseed: {'9' * 5000}\n"),
        "a value YAML cannot turn into data (Exceeds the limit (4300 digits)",
    ),
    "bad UTF-8": (
        lambda p: write_bytes(p, b"skill: pick_place\nname: caf\xe9\n"),
        "byte 27 is not UTF-8 text; save the file as UTF-8",
    ),
    "NUL byte": (
        lambda p: write_bytes(p, b"skill: pick_place\x00\n"),
        "byte 17 is a NUL byte: this is binary data, not a file; give the text file",
    ),
    "directory": (directory, "is a directory, not a file; give the path of the file"),
    "FIFO": (fifo, "is not a regular file (a FIFO, device or socket); give the path of a file"),
    "duplicate key": (
        lambda p: write_text(p, "skill: pick_place\nscenarios: [reach.yaml]\nskill: other\n"),
        "line 3: key 'skill' appears again (first on line 1); keep one of them",
    ),
    "not a mapping": (
        lambda p: write_text(p, "- skill\n- pick_place\n"),
        "expected a mapping of Plan fields at the top level, got a list",
    ),
}


@pytest.mark.parametrize("case", list(PLAN_CASES))
def test_a_hostile_plan_is_refused_quickly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    make, message = PLAN_CASES[case]
    write_text(tmp_path / "reach.yaml", REACH_SPEC)
    plan = make(tmp_path / "plan.yaml")
    err = refused(tmp_path, capsys, str(plan))
    assert f"error: {plan}: " in err
    assert message in err


@pytest.mark.parametrize("case", ["alias bomb", "NUL byte", "FIFO", "duplicate key", "huge file"])
def test_a_hostile_scenario_spec_is_refused_quickly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    make, message = PLAN_CASES[case]
    spec = make(tmp_path / "reach.yaml")
    plan = write_text(tmp_path / "plan.yaml", REACH_PLAN)
    err = refused(tmp_path, capsys, str(plan))
    assert f"{spec}: " in err
    assert message in err


def test_the_size_limit_can_be_lowered_and_raised(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_text(tmp_path / "reach.yaml", REACH_SPEC)
    plan = write_text(tmp_path / "plan.yaml", REACH_PLAN + "# padding\n" * 20)
    monkeypatch.setenv(MAX_BYTES_ENV, "100")
    err = refused(tmp_path, capsys, str(plan))
    assert "larger than 100 bytes, the most roboverify reads; check it is the right file" in err
    assert f"or raise the limit with {MAX_BYTES_ENV}" in err
    monkeypatch.setenv(MAX_BYTES_ENV, "lots")
    err = refused(tmp_path, capsys, str(plan))
    assert f"{MAX_BYTES_ENV}='lots' is not a size; give a positive number of bytes" in err


CONDITIONS_CASES: dict[str, tuple[Callable[[Path], Path], str]] = {
    "deep nesting": (
        lambda p: write_text(p, "[" * 100_000 + "]" * 100_000 + "\n"),
        "line 1: nested deeper than 64 levels; roboverify refuses it; write the file with 'roboverify",
    ),
    "deep but parseable": (
        lambda p: write_text(p, '{"a": ' * 70 + "1" + "}" * 70 + "\n"),
        "nested deeper than 64 levels",
    ),
    "huge number": (
        lambda p: write_text(
            p, '{"scenario": "testing/reach-v1", "index": 0, "seed": ' + "9" * 10_000 + "}\n"
        ),
        "line 1: Exceeds the limit (4300 digits)",
    ),
    "bad UTF-8": (
        lambda p: write_bytes(p, b'{"scenario": "\xff"}\n'),
        "byte 14 is not UTF-8 text; save the conditions file",
    ),
    "NUL byte": (
        lambda p: write_bytes(p, b"{}\x00\n"),
        "byte 2 is a NUL byte: this is binary data, not a conditions file",
    ),
    "directory": (directory, "is a directory, not a conditions file; give the path of the file"),
    "FIFO": (fifo, "is not a regular file (a FIFO, device or socket); give the path of a conditions file"),
}


@pytest.mark.parametrize("case", list(CONDITIONS_CASES))
def test_a_hostile_conditions_file_is_refused_quickly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    make, message = CONDITIONS_CASES[case]
    write_text(tmp_path / "reach.yaml", REACH_SPEC)
    plan = write_text(tmp_path / "plan.yaml", REACH_PLAN)
    conditions = make(tmp_path / "conditions.jsonl")
    err = refused(tmp_path, capsys, str(plan), "--conditions", str(conditions))
    assert f"{conditions}: " in err
    assert message in err


BASELINE_CASES: dict[str, tuple[Callable[[Path], Path], str]] = {
    "not JSON": (
        lambda p: write_text(p, "{not json"),
        "not a roboverify report this version can compare with",
    ),
    "deep nesting": (
        lambda p: write_text(p, "[" * 100_000 + "]" * 100_000),
        "not a roboverify report this version can compare with",
    ),
    "huge number": (
        lambda p: write_text(p, '{"schema_version": ' + "9" * 100_000 + ', "episodes": []}'),
        "can compare with: Invalid JSON: number out of range at line 1 column",
    ),
    "wrong shape": (lambda p: write_text(p, '{"schema_version": "1", "episodes": {}}'), "field 'episodes'"),
    "NUL byte": (
        lambda p: write_bytes(p, b"{}\x00"),
        "byte 2 is a NUL byte: this is binary data, not a baseline report",
    ),
    "directory": (directory, "is a directory, not a baseline report; give the path of the file"),
    "FIFO": (fifo, "is not a regular file (a FIFO, device or socket); give the path of a baseline report"),
    "missing": (lambda p: p, "cannot read the baseline report: No such file or directory; check the path"),
}


@pytest.mark.parametrize("case", list(BASELINE_CASES))
def test_a_bad_baseline_report_is_refused_before_the_first_episode(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    make, message = BASELINE_CASES[case]
    write_text(tmp_path / "reach.yaml", REACH_SPEC)
    plan = write_text(tmp_path / "plan.yaml", REACH_PLAN.replace("episodes: 3", "episodes: 100000"))
    baseline = make(tmp_path / "report.json")
    started = time.perf_counter()
    err = refused(tmp_path, capsys, str(plan), "--baseline-report", str(baseline))
    assert time.perf_counter() - started < 1.0, "refused before any of the 100000 episodes"
    assert f"{baseline}: " in err
    assert message in err
