"""The roboverify_run fixture from a user's test, xdist without double-running, and a plugin
that costs nothing until it is used."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.harness.pytest_plugin.conftest import WritePlan

USER_TESTS = """
from harness.pytest_plugin import assert_no_events, assert_rate, assert_value

HOSTILE = "harness.testing.hostile:HostileSkill"


def test_good(roboverify_run):
    run = roboverify_run("reach.yaml", HOSTILE, episodes=20, criteria=["task_success", "cycle_time"])
    assert len(run.results) == 20 and run.summary.successes == 20
    assert_rate(run, at_least=0.8)
    assert_value(run, "cycle_time", at_most=5.0)
    assert_no_events(run, outcome="skill_error")


def test_bad(roboverify_run):
    run = roboverify_run("reach.yaml", HOSTILE, episodes=20, params={"behaviour": "raise", "rate": 0.5})
    assert_rate(run, at_least=0.8)


def test_undecided(roboverify_run):
    run = roboverify_run("reach.yaml", HOSTILE, episodes=5)
    assert_rate(run, at_least=0.8)
"""


def test_fixture_runs_and_asserts_pass_fail_and_stay_inconclusive(project: pytest.Pytester) -> None:
    project.makepyfile(test_user=USER_TESTS)
    result = project.runpytest("--roboverify-jobs", "0")
    result.assert_outcomes(passed=1, failed=2)
    result.stdout.fnmatch_lines(
        [
            "*AssertionError: FAIL: success rate >= 0.8 at 95% confidence*",
            "*episodes that count against it (8):*",
            "*#0 seed * skill_error: skill raised RuntimeError*",
            "*reproduce #0: roboverify verify *test_bad-*.plan.yaml --seed 0 --only 'testing/reach-v1#0'*",
            "*rerun the test: pytest test_user.py::test_bad*",
            "*InconclusiveVerdict: inconclusive*",
        ]
    )
    text = result.stdout.str()
    assert "harness/pytest_plugin/asserts.py" not in text, "the assertion's own frames are hidden"


def test_fixture_seeds_follow_the_seed_option(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_seed="""
        def test_seed(roboverify_run):
            run = roboverify_run("reach.yaml", "harness.testing.hostile:HostileSkill", episodes=3, seed=11)
            print("SEEDS", run.report.plan.seed, [e.seed for e in run.results])
        """
    )
    own = project.runpytest("-s", "--roboverify-jobs", "0").stdout.str()
    forced = project.runpytest(
        "-s", "--roboverify-jobs", "0", "--roboverify-seed", "12", "--junitxml", "j.xml"
    )
    forced_text = forced.stdout.str()
    case = next(ET.parse(project.path / "j.xml").iter("testcase"))
    properties = {p.get("name"): p.get("value") for p in case.iter("property")}
    assert properties["roboverify.seed"] == "12" and Path(str(properties["roboverify.report"])).is_file()
    assert "SEEDS 11 " in own and "SEEDS 12 " in forced_text
    assert own.split("SEEDS 11 ")[1].split("]")[0] != forced_text.split("SEEDS 12 ")[1].split("]")[0]


def test_under_xdist_every_episode_runs_once_however_the_items_are_spread(
    project: pytest.Pytester, write_plan: WritePlan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    counted = tmp_path / "episodes.txt"
    monkeypatch.setenv("ROBOVERIFY_COUNT_FILE", str(counted))
    write_plan(skill="counting:CountingSkill")
    fixture_test = "def test_{0}(roboverify_run):\n    roboverify_run('reach.yaml', SKILL, episodes=10)\n"
    fixture_test = "SKILL = 'counting:CountingSkill'\n" + fixture_test
    project.makepyfile(test_a=fixture_test.format("a"), test_b=fixture_test.format("b"))
    result = project.runpytest_subprocess("-n", "2", "--roboverify-jobs", "0", "-v")
    result.assert_outcomes(passed=4, failed=2)
    workers = {line.split("]")[0] for line in result.stdout.lines if line.startswith("[gw")}
    assert len(workers) == 2, "the items were spread over both workers"
    lines = counted.read_text().splitlines()
    assert len(lines) == 30 + 10 + 10, "the plan's 30 episodes once, each fixture run's 10 once"


def test_loading_the_plugin_imports_neither_the_runner_nor_pybullet_nor_scipy() -> None:
    heavy = ["pybullet", "scipy", "numpy", "harness.execution.runner", "harness.campaign", "harness.report"]
    code = (
        "import sys, harness.pytest_plugin.plugin, harness.pytest_plugin; "
        f"print([m for m in {heavy!r} if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_a_test_run_that_uses_no_roboverify_feature_loads_nothing_heavy(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_plain="""
        import sys

        def test_plain():
            loaded = [m for m in ("pybullet", "scipy", "harness.execution.runner") if m in sys.modules]
            assert loaded == []
        """
    )
    result = project.runpytest_subprocess("-p", "roboverify")
    result.assert_outcomes(passed=1)
    assert result.ret == pytest.ExitCode.OK
