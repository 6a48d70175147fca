"""The plugin's options: episodes, seed, output folder, workers, the report header, bad values."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.harness.pytest_plugin.conftest import WritePlan


def _gate_properties(junit: Path) -> dict[str, str]:
    case = next(
        c for c in ET.parse(junit).iter("testcase") if c.get("name", "").startswith("success_rate>=0.2")
    )
    return {str(p.get("name")): str(p.get("value")) for p in case.iter("property")}


def test_episodes_and_seed_override_the_plans(project: pytest.Pytester, write_plan: WritePlan) -> None:
    write_plan()
    runs = []
    for options in ([], ["--roboverify-episodes", "8", "--roboverify-seed", "5"]):
        result = project.runpytest("--roboverify-jobs", "0", "--junitxml", "j.xml", *options)
        properties = _gate_properties(project.path / "j.xml")
        report = json.loads(
            Path(properties["roboverify.report"]).read_text()
        )  # before the next run clears it
        runs.append((properties, [e["seed"] for e in report["episodes"]]))
    result.stdout.fnmatch_lines(
        ["roboverify *: seed 5 (--roboverify-seed), episodes 8, inconclusive -> fail"]
    )
    (before, first), (after, seeds) = runs
    assert (before["roboverify.episodes"], after["roboverify.episodes"]) == ("30", "8")
    assert (before["roboverify.seed"], after["roboverify.seed"]) == ("0", "5")
    assert len(seeds) == 8 and seeds != first[:8]


def test_the_header_names_the_version_and_where_seeds_come_from(project: pytest.Pytester) -> None:
    result = project.runpytest()
    result.stdout.fnmatch_lines(["roboverify *: seed each plan's own, 0 for fixtures, inconclusive -> fail"])


def test_out_holds_each_plans_whole_run_and_a_new_test_run_replaces_it(
    project: pytest.Pytester, write_plan: WritePlan
) -> None:
    write_plan()
    for _ in range(2):  # the second test run replaces the first one's run
        project.runpytest("--roboverify-jobs", "0", "--roboverify-out", "reports").assert_outcomes(
            passed=2, failed=2
        )
    run = project.path / "reports" / "gates"
    for name in ("report.json", "report.html", "report.md", "junit.xml", "journal.jsonl"):
        assert (run / name).is_file(), name
    assert len(json.loads((run / "report.json").read_text())["episodes"]) == 30


def test_out_never_replaces_a_folder_it_did_not_write(
    project: pytest.Pytester, write_plan: WritePlan
) -> None:
    write_plan()
    precious = project.path / "reports" / "gates"
    precious.mkdir(parents=True)
    (precious / "notes.txt").write_text("keep me")
    result = project.runpytest("--roboverify-jobs", "0", "--roboverify-out", "reports")
    result.stdout.fnmatch_lines(["*reports/gates' exists and was not written by roboverify's pytest plugin*"])
    assert (precious / "notes.txt").read_text() == "keep me"


def test_isolated_workers_give_the_same_results_as_the_test_process(
    project: pytest.Pytester, write_plan: WritePlan
) -> None:
    write_plan(episodes=6)
    reports = []
    for jobs in ("0", "2"):
        project.runpytest_subprocess("--roboverify-jobs", jobs, "--junitxml", "j.xml")
        path = Path(_gate_properties(project.path / "j.xml")["roboverify.report"])
        reports.append(
            [{k: v for k, v in e.items() if k != "timing"} for e in json.loads(path.read_text())["episodes"]]
        )
    assert reports[0] == reports[1]


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--roboverify-episodes", "0"], "expected a whole number of episodes, 1 or more, got '0'"),
        (["--roboverify-seed", "-1"], "expected a seed, a whole number from 0, got '-1'"),
        (["--roboverify-jobs", "two"], "expected a number of worker processes, 0 or more, got 'two'"),
        (["--roboverify-inconclusive", "pass"], "invalid choice: 'pass'"),
    ],
)
def test_a_bad_option_value_is_a_usage_error_that_says_what_is_expected(
    project: pytest.Pytester, option: list[str], message: str
) -> None:
    result = project.runpytest(*option)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert message in result.stderr.str()
