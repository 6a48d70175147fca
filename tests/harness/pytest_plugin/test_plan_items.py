"""Plan files collected as tests: one item per gate, their outcomes, the failure text, the
reproduce line, the JUnit properties, and malformed plans."""

from __future__ import annotations

import json
import re
import shlex
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from harness.cli import main
from tests.harness.pytest_plugin.conftest import WritePlan

ITEMS = [
    "gates.plan.yaml::success_rate>=0.2[[]testing/reach-v1[]] PASSED*",
    "gates.plan.yaml::success_rate>=0.5[[]testing/reach-v1[]] FAILED*",
    "gates.plan.yaml::zero_events(skill_error)[[]testing/reach-v1[]] FAILED*",
    "gates.plan.yaml::run PASSED*",
]


def test_each_gate_is_an_item_that_passes_fails_or_is_inconclusive(
    project: pytest.Pytester, write_plan: WritePlan
) -> None:
    write_plan()
    result = project.runpytest("--roboverify-jobs", "0", "-v")
    result.stdout.fnmatch_lines(ITEMS)
    result.assert_outcomes(passed=2, failed=2)


@pytest.mark.parametrize(("option", "outcome"), [("skip", "skipped"), ("xfail", "xfailed")])
def test_an_inconclusive_gate_becomes_what_the_option_says(
    project: pytest.Pytester, write_plan: WritePlan, option: str, outcome: str
) -> None:
    write_plan()
    result = project.runpytest("--roboverify-jobs", "0", "--roboverify-inconclusive", option, "-rsx")
    result.assert_outcomes(passed=2, failed=1, **{outcome: 1})
    result.stdout.fnmatch_lines(["*inconclusive: success rate >= 0.5*"])


def test_the_ini_file_sets_the_inconclusive_default_and_a_bad_value_is_a_usage_error(
    project: pytest.Pytester, write_plan: WritePlan
) -> None:
    write_plan()
    project.makeini("[pytest]\npythonpath = .\nroboverify_inconclusive = xfail\n")
    project.runpytest("--roboverify-jobs", "0").assert_outcomes(passed=2, failed=1, xfailed=1)
    project.makeini("[pytest]\nroboverify_inconclusive = maybe\n")
    result = project.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*roboverify_inconclusive = 'maybe'*use one of fail, skip or xfail*"])


def test_a_failure_shows_the_gate_the_criteria_table_and_the_reproduce_line_not_a_traceback(
    project: pytest.Pytester, write_plan: WritePlan
) -> None:
    write_plan()
    result = project.runpytest("--roboverify-jobs", "0")
    text = result.stdout.str()
    failure = text[text.index("zero_events(skill_error)[testing/reach-v1] _") :]
    for expected in (
        "FAIL: zero 'skill_error' outcomes (hard gate",
        "measured 13 over 30 episode(s)",
        "guarantee: a hard rule: any event fails",
        "episodes that count against it (13 of 30):",
        "#0 seed ",
        "reproduce: roboverify verify ",
    ):
        assert expected in failure, expected
    assert re.search(r"criterion +pass +fail +n/a +median +worst\ntask_success +17 +13 +0 ", failure)
    assert "Traceback" not in text and "runtest" not in text and "raise VerdictFailure" not in text


def test_the_reproduce_line_runs_the_same_episode_again(
    project: pytest.Pytester, write_plan: WritePlan, tmp_path: Path
) -> None:
    write_plan()
    text = project.runpytest("--roboverify-jobs", "0").stdout.str()
    command = next(line for line in text.splitlines() if line.startswith("reproduce: ")).removeprefix(
        "reproduce: "
    )
    report_path = next(line for line in text.splitlines() if line.startswith("report: ")).removeprefix(
        "report: "
    )
    arguments = shlex.split(command)
    assert arguments[:2] == ["roboverify", "verify"]
    assert main([*arguments[1:], "--out", str(tmp_path / "again"), "--quiet"]) == 1
    [again] = json.loads((tmp_path / "again" / "report.json").read_text())["episodes"]
    original = json.loads(Path(report_path).read_text())["episodes"]
    first = next(e for e in original if e["index"] == again["index"])
    assert again["outcome"] == first["outcome"] == "skill_error"
    for field in ("seed", "conditions", "criteria", "reason"):
        assert again[field] == first[field], field


def test_gate_figures_are_junit_properties(project: pytest.Pytester, write_plan: WritePlan) -> None:
    write_plan()
    project.runpytest("--roboverify-jobs", "0", "--junitxml", "junit.xml")
    cases = {c.get("name"): c for c in ET.parse(project.path / "junit.xml").iter("testcase")}
    case = cases["success_rate>=0.2[testing/reach-v1]"]
    properties = {p.get("name"): p.get("value") for p in case.iter("property")}
    report = json.loads(Path(str(properties["roboverify.report"])).read_text())
    gate = report["gates"][0]
    assert properties["roboverify.verdict"] == "pass" == gate["verdict"]
    assert float(str(properties["roboverify.measured"])) == pytest.approx(17 / 30)
    assert float(str(properties["roboverify.lower_bound"])) == pytest.approx(gate["lower_bound"])
    assert properties["roboverify.episodes"] == "30" and properties["roboverify.seed"] == "0"
    assert properties["roboverify.rule"] == gate["rule"]
    failed = {
        p.get("name"): p.get("value")
        for p in cases["zero_events(skill_error)[testing/reach-v1]"].iter("property")
    }
    assert failed["roboverify.verdict"] == "fail"


def test_a_malformed_plan_is_a_collection_error_naming_the_file_and_field(
    project: pytest.Pytester, write_plan: WritePlan
) -> None:
    write_plan(episodes=-3)
    result = project.runpytest("--roboverify-jobs", "0")
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.stdout.fnmatch_lines(
        ["*roboverify cannot load this plan:*", "*gates.plan.yaml*", "*field 'episodes'*"]
    )
    assert "Traceback" not in result.stdout.str()


def test_only_files_matching_the_configured_patterns_are_plans(
    project: pytest.Pytester, write_plan: WritePlan
) -> None:
    write_plan(name="release")
    (project.path / "release.plan.yaml").rename(project.path / "release-gate.yaml")
    assert project.runpytest("--roboverify-jobs", "0").ret == pytest.ExitCode.NO_TESTS_COLLECTED
    project.makeini("[pytest]\npythonpath = .\nroboverify_plan_files = *-gate.yaml\n")
    project.runpytest("--roboverify-jobs", "0").assert_outcomes(passed=2, failed=2)


def test_an_invalid_run_fails_its_run_item(project: pytest.Pytester, write_plan: WritePlan) -> None:
    """A harness crash (not the skill's) that outlives its retries leaves episodes unscored."""
    project.path.joinpath("reach.yaml").write_text(
        project.path.joinpath("reach.yaml")
        .read_text()
        .replace("harness.testing:ReachScenario", "harness.testing.hostile:AbortingScenario")
    )
    write_plan(rate=0.0, episodes=4, gates=[{"min": 0.2}])
    result = project.runpytest_subprocess("--roboverify-jobs", "1")  # worker processes: a process of its own
    result.stdout.fnmatch_lines(["*verdict INVALID: infrastructure errors left episodes unscored*"])
    assert result.parseoutcomes()["failed"] >= 1


def test_trusted_plugins_only_from_the_environment_refuses_a_module_attr_plan(
    project: pytest.Pytester, write_plan: WritePlan, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_plan()
    monkeypatch.setenv("ROBOVERIFY_TRUSTED_PLUGINS_ONLY", "1")
    result = project.runpytest("--roboverify-jobs", "0")
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.stdout.fnmatch_lines(["*roboverify cannot load this plan:*", "*module:Attr reference*"])
    monkeypatch.delenv("ROBOVERIFY_TRUSTED_PLUGINS_ONLY")
    assert project.runpytest("--collect-only", "--roboverify-jobs", "0").ret == pytest.ExitCode.OK
