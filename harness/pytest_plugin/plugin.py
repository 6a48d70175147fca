"""roboverify's pytest plugin, registered under the ``pytest11`` entry point.

Loading it costs only this module and ``settings``: the runner, pybullet and scipy are imported
when a fixture is used or a plan file is collected. See docs/pytest.md.
"""

from __future__ import annotations

import fnmatch
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from harness.pytest_plugin.settings import SETTINGS, add_options, read_settings, set_default_inconclusive

if TYPE_CHECKING:
    from harness.pytest_plugin.scenario_runs import RunFixture


def pytest_addoption(parser: pytest.Parser) -> None:
    add_options(parser)


def pytest_configure(config: pytest.Config) -> None:
    settings = read_settings(config)
    config.stash[SETTINGS] = settings
    set_default_inconclusive(settings.inconclusive)


def pytest_report_header(config: pytest.Config) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        installed = version("roboverify")
    except PackageNotFoundError:
        installed = "unknown"
    settings = config.stash[SETTINGS]
    seed = (
        f"{settings.seed} (--roboverify-seed)"
        if settings.seed is not None
        else "each plan's own, 0 for fixtures"
    )
    episodes = f", episodes {settings.episodes}" if settings.episodes is not None else ""
    return f"roboverify {installed}: seed {seed}{episodes}, inconclusive -> {settings.inconclusive}"


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    patterns = parent.config.stash[SETTINGS].plan_files
    if any(fnmatch.fnmatch(file_path.name, pattern) for pattern in patterns):
        from harness.pytest_plugin.items import PlanFile

        return PlanFile.from_parent(parent, path=file_path)
    return None


@pytest.fixture
def roboverify_run(request: pytest.FixtureRequest) -> RunFixture:
    """Runs episodes of a scenario with a skill: ``roboverify_run("workstation/pick_place-v1",
    "pick_place", episodes=20)`` returns the finished run (``.results``, ``.summary``,
    ``.report``), made once per pytest run for the same arguments and overrides."""
    from harness.pytest_plugin.items import shared_folder
    from harness.pytest_plugin.scenario_runs import RunFixture

    config = request.config
    node = request.node
    return RunFixture(
        config.stash[SETTINGS], shared_folder(config), node.nodeid, request.path.parent, node.user_properties
    )
