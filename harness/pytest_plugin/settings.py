"""The plugin's command-line options and ini settings, read once per pytest run.

Nothing here imports the runner, pybullet or scipy: pytest loads this module at start-up.
"""

from __future__ import annotations

import argparse
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pytest

Inconclusive = Literal["fail", "skip", "xfail"]
INCONCLUSIVE_MODES: tuple[Inconclusive, ...] = ("fail", "skip", "xfail")
DEFAULT_PLAN_FILES = ("*.plan.yaml", "*.plan.yml")
DEFAULT_SEED = 0  # fixture runs without --roboverify-seed; plans keep the seed they declare


@dataclass(frozen=True)
class Settings:
    episodes: int | None
    seed: int | None
    out: Path | None
    jobs: int
    inconclusive: Inconclusive
    plan_files: tuple[str, ...]
    test_run: str  # the same in every xdist worker of one run: names its shared results


SETTINGS = pytest.StashKey[Settings]()


def add_options(parser: pytest.Parser) -> None:
    group = parser.getgroup("roboverify", "robot skill verification (roboverify)")
    group.addoption(
        "--roboverify-episodes", type=_positive, metavar="N",
        help="episodes per scenario for every plan and roboverify_run, overriding theirs",
    )  # fmt: skip
    group.addoption(
        "--roboverify-seed", type=_seed, metavar="S",
        help=f"root seed of every plan and fixture run (default: a plan's own, {DEFAULT_SEED} for fixtures)",
    )  # fmt: skip
    group.addoption(
        "--roboverify-out", type=Path, metavar="DIR",
        help="write each plan's run (report.json, .html, .md, junit.xml) to DIR/<plan name>",
    )  # fmt: skip
    group.addoption(
        "--roboverify-jobs", type=_workers, default=1, metavar="N",
        help="isolated worker processes per run (default 1; 0 runs episodes in the test process)",
    )  # fmt: skip
    group.addoption(
        "--roboverify-inconclusive", choices=INCONCLUSIVE_MODES, default=None,
        help="what an inconclusive gate or assertion becomes (default: the ini value, else fail)",
    )  # fmt: skip
    parser.addini(
        "roboverify_inconclusive", "fail, skip or xfail: what an inconclusive verdict becomes", default="fail"
    )
    parser.addini(
        "roboverify_plan_files", "glob patterns of plan files collected as tests", type="args",
        default=list(DEFAULT_PLAN_FILES),
    )  # fmt: skip


def read_settings(config: pytest.Config) -> Settings:
    inconclusive = config.getoption("roboverify_inconclusive") or config.getini("roboverify_inconclusive")
    if inconclusive not in INCONCLUSIVE_MODES:
        raise pytest.UsageError(
            f"roboverify_inconclusive = {inconclusive!r} in the ini file; use one of fail, skip or xfail"
        )
    out = config.getoption("roboverify_out")
    return Settings(
        episodes=config.getoption("roboverify_episodes"),
        seed=config.getoption("roboverify_seed"),
        out=out.resolve() if out is not None else None,
        jobs=config.getoption("roboverify_jobs"),
        inconclusive=inconclusive,
        plan_files=tuple(config.getini("roboverify_plan_files")),
        test_run=_test_run_id(config),
    )


def _test_run_id(config: pytest.Config) -> str:
    """xdist hands every worker the run's id; without xdist, a fresh one."""
    worker_input = getattr(config, "workerinput", None)
    if isinstance(worker_input, dict) and "testrunuid" in worker_input:
        return str(worker_input["testrunuid"])
    return uuid.uuid4().hex


def _integer(text: str, low: int, what: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = low - 1
    if value < low:
        raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}")
    return value


def _positive(text: str) -> int:
    return _integer(text, 1, "a whole number of episodes, 1 or more")


def _workers(text: str) -> int:
    return _integer(text, 0, "a number of worker processes, 0 or more")


def _seed(text: str) -> int:
    value = _integer(text, 0, "a seed, a whole number from 0")
    if value >= 2**63:
        raise argparse.ArgumentTypeError(f"expected a seed below 2**63, got {text!r}")
    return value


_default_mode: list[Inconclusive] = ["fail"]  # set by the plugin at configure time


def set_default_inconclusive(mode: Inconclusive) -> None:
    _default_mode[0] = mode


def default_inconclusive() -> Inconclusive:
    """What an inconclusive assertion becomes when its call does not say."""
    return _default_mode[0]
