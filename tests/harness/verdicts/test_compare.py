"""Comparison with a previous release: Newcombe intervals and non-inferiority verdicts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from harness.errors import SpecError
from harness.results import EpisodeResult, Outcome, Timing
from harness.verdicts.compare import (
    ComparisonVerdict,
    Counts,
    compare_runs,
    load_baseline,
    newcombe_interval,
    newcombe_paired_interval,
)

TIMING = Timing(sim_s=1.0, ticks=10, physics_steps=80, wall_s=0.1)


def run(outcomes: list[bool], scenario: str = "a/b-v1", seed_offset: int = 0) -> list[EpisodeResult]:
    return [
        EpisodeResult(
            scenario=scenario,
            index=i,
            seed=i + seed_offset,
            ended_by="x",
            conditions={"x": i},
            outcome=Outcome.SUCCESS if ok else Outcome.FAILURE,
            criteria=[],
            timing=TIMING,
        )
        for i, ok in enumerate(outcomes)
    ]


def test_unpaired_interval_reproduces_newcombes_example() -> None:
    # Newcombe (1998), Statistics in Medicine 17:873, example (a): 56/70 against 48/80
    assert newcombe_interval(Counts(56, 70), Counts(48, 80)) == pytest.approx((0.0524, 0.3339), abs=1e-4)


def test_pairing_gives_a_tighter_interval_when_runs_agree() -> None:
    pairs = [(True, True)] * 90 + [(True, False)] * 3 + [(False, True)] * 1 + [(False, False)] * 6
    paired = newcombe_paired_interval(pairs)
    unpaired = newcombe_interval(Counts(93, 100), Counts(91, 100))
    assert paired[0] <= 0.02 <= paired[1]
    assert paired[1] - paired[0] < unpaired[1] - unpaired[0]


@given(st.lists(st.tuples(st.booleans(), st.booleans()), min_size=1, max_size=200))
def test_paired_interval_contains_the_observed_difference(pairs: list[tuple[bool, bool]]) -> None:
    low, high = newcombe_paired_interval(pairs)
    difference = (sum(a for a, _ in pairs) - sum(b for _, b in pairs)) / len(pairs)
    assert -1.0 <= low <= difference + 1e-9 <= high + 2e-9 <= 1.0 + 2e-9


def test_verdicts() -> None:
    same = compare_runs(run([True] * 100), run([True] * 100), ["a/b-v1"], 0.05, 0.95)[0]
    assert same.paired and same.verdict is ComparisonVerdict.NON_INFERIOR
    worse = compare_runs(run([True] * 60 + [False] * 40), run([True] * 100), ["a/b-v1"], 0.05, 0.95)[0]
    assert worse.verdict is ComparisonVerdict.REGRESSED
    better = compare_runs(run([True] * 100), run([True] * 60 + [False] * 40), ["a/b-v1"], 0.05, 0.95)[0]
    assert better.verdict is ComparisonVerdict.IMPROVED
    few = compare_runs(run([True] * 5), run([True] * 5), ["a/b-v1"], 0.05, 0.95)[0]
    assert few.verdict is ComparisonVerdict.INCONCLUSIVE


def test_different_seeds_are_compared_unpaired() -> None:
    result = compare_runs(run([True] * 50), run([True] * 50, seed_offset=1000), ["a/b-v1"], 0.05, 0.95)[0]
    assert not result.paired


def test_baseline_file_errors(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="cannot read the baseline report"):
        load_baseline(str(tmp_path / "missing.json"))
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"schema_version": "1.1", "episodes": [{"scenario": 3}]}))
    with pytest.raises(SpecError, match="not a roboverify report"):
        load_baseline(str(bad))
