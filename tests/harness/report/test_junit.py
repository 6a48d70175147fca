"""``junit.xml``: a suite per scenario, a case per gate and failed episode, read back by junitparser."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from junitparser import Error, Failure, JUnitXml, Skipped, TestSuite

from harness.report.junit import render_junit, xml_text
from harness.report.model import Report
from harness.report.reproduce import failed_episodes, reproduce_command
from harness.results import Outcome

HOSTILE = "<script>alert(1)</script> ]]> a|b `tick` \x00\x1b\ufffe end"


def load(out_dir: Path) -> Report:
    return Report.model_validate_json((out_dir / "report.json").read_bytes())


def parse(text: str, tmp_path: Path) -> JUnitXml:
    path = tmp_path / "junit.xml"
    path.write_text(text, encoding="utf-8")
    return JUnitXml.fromfile(str(path))


def test_one_case_per_gate_and_failed_episode(failing_run: Path, tmp_path: Path) -> None:
    report = load(failing_run)
    xml = parse(render_junit(report), tmp_path)
    suites = list(xml)
    assert [suite.name for suite in suites] == ["testing/reach-v1"]
    failed = failed_episodes(report)
    assert len(failed) == 13
    suite = suites[0]
    assert isinstance(suite, TestSuite)
    assert (suite.tests, suite.failures, suite.errors, suite.skipped) == (3 + 13, 1 + 13, 0, 1)
    assert (xml.tests, xml.failures, xml.skipped) == (16, 14, 1)
    properties = {p.name: p.value for p in suite.properties()}
    assert properties["seed"] == str(report.plan.seed)
    assert properties["report"] == "report.json"
    assert properties["verdict"] == "fail"


def test_failed_gates_fail_and_inconclusive_gates_are_skipped(failing_run: Path, tmp_path: Path) -> None:
    report = load(failing_run)
    cases = {case.name: case for suite in parse(render_junit(report), tmp_path) for case in suite}
    verdicts = {gate.rule: gate.verdict.value for gate in report.gates}
    for rule, verdict in verdicts.items():
        results = cases[rule].result
        kinds = [type(result) for result in results]
        assert kinds == {"pass": [], "fail": [Failure], "inconclusive": [Skipped]}[verdict]
        if verdict == "inconclusive":
            assert "not enough evidence" in (results[0].message or "")


def test_a_failed_episode_says_how_to_run_it_again(failing_run: Path, tmp_path: Path) -> None:
    report = load(failing_run)
    episode = failed_episodes(report)[0]
    cases = [case for suite in parse(render_junit(report), tmp_path) for case in suite]
    case = next(c for c in cases if c.name == f"episode {episode.index} (seed {episode.seed})")
    assert case.classname == "testing/reach-v1.episodes"
    (failure,) = case.result
    assert isinstance(failure, Failure)
    assert failure.type == "skill_error"
    assert reproduce_command(report, episode) in (failure.text or "")


def test_infrastructure_errors_are_errors_not_failures(failing_run: Path, tmp_path: Path) -> None:
    report = load(failing_run)
    episode = failed_episodes(report)[0].model_copy(update={"outcome": Outcome.SIM_ERROR})
    xml = parse(render_junit(report.model_copy(update={"episodes": [episode]})), tmp_path)
    assert (xml.errors, xml.failures) == (1, 1)  # the episode, and the failed gate
    errors = [r for suite in xml for case in suite for r in case.result if isinstance(r, Error)]
    assert [error.type for error in errors] == ["sim_error"]


def test_hostile_text_stays_literal_and_the_xml_still_parses(failing_run: Path, tmp_path: Path) -> None:
    report = load(failing_run)
    episode = failed_episodes(report)[0].model_copy(update={"reason": HOSTILE, "scenario": HOSTILE})
    gates = [gate.model_copy(update={"rule": HOSTILE, "scenario": HOSTILE}) for gate in report.gates]
    hostile = report.model_copy(update={"episodes": [episode], "gates": gates})
    text = render_junit(hostile)
    ET.fromstring(text.encode("utf-8"))  # well-formed
    xml = parse(text, tmp_path)
    names = [suite.name for suite in xml]
    literal = "<script>alert(1)</script> ]]> a|b `tick`  end"
    assert literal in names
    cases = [case for suite in xml for case in suite]
    assert literal in [case.name for case in cases]
    assert any(literal in (r.message or "") for case in cases for r in case.result)


def test_characters_xml_forbids_are_removed() -> None:
    assert xml_text("a\x00b\x08c\x1fd\ud800e\ufffef\ufffe\uffff") == "abcdef"
    assert xml_text("tab\tnew\nline\r\U0001f916") == "tab\tnew\nline\r\U0001f916"
