"""``junit.xml``: the report as JUnit XML, for the test-report views of Jenkins, GitLab and GitHub.

One ``<testsuite>`` per scenario, holding one test case per gate of that scenario (class name
``SCENARIO.gates``) and one per episode that did not succeed (``SCENARIO.episodes``); a gate of a
scenario the report has no summary for gets a suite of its own. A failed gate and a failed
episode are a ``<failure>``, an inconclusive gate is ``<skipped>`` with the reason (so CI shows it
apart from both), and an episode lost to the simulator or the harness is an ``<error>``. Every
suite's properties give the plan, skill, seed, the run's verdict and the report's path. The XML is
built with :mod:`xml.etree.ElementTree`, and characters XML 1.0 forbids are removed from all text.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from harness.report.model import Report
from harness.report.reproduce import failed_episodes, reproduce_command
from harness.report.write import REPORT
from harness.results import EpisodeResult, Outcome
from harness.verdicts.gate_result import GateResult
from harness.verdicts.statistics import GateVerdict

_FORBIDDEN = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_COUNTS = {"failures": "failure", "errors": "error", "skipped": "skipped"}  # attribute: element


def xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold (NUL, other C0 controls, lone
    surrogates, U+FFFE and U+FFFF)."""
    return _FORBIDDEN.sub("", text)


def _element(parent: ET.Element, tag: str, text: str = "", **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {key: xml_text(value) for key, value in attributes.items()})
    if text:
        element.text = xml_text(text)
    return element


def _number(value: float | None) -> str:
    return "none" if value is None else f"{value:.6g}"


def _bounds(gate: GateResult) -> str:
    return f"[{_number(gate.lower_bound)}, {_number(gate.upper_bound)}]"


def _gate_details(gate: GateResult) -> str:
    lines = [
        f"rule: {gate.rule}",
        f"measured: {_number(gate.measured)} over {gate.episodes} episodes",
        f"bounds: {_bounds(gate)} at {gate.confidence:g} confidence",
        f"p-value: {_number(gate.p_value)}",
    ]
    extra = [("guarantee", gate.guarantee), ("note", gate.note), ("dimension", gate.dimension)]
    return "\n".join(lines + [f"{name}: {value}" for name, value in extra if value])


def _gate_case(suite: ET.Element, gate: GateResult) -> None:
    case = _element(suite, "testcase", classname=f"{gate.scenario}.gates", name=gate.rule, time="0")
    details = _gate_details(gate)
    message = f"measured {_number(gate.measured)}, bounds {_bounds(gate)}"
    if gate.verdict is GateVerdict.FAIL:
        _element(case, "failure", details, message=f"gate failed: {message}", type="gate_failed")
    elif gate.verdict is GateVerdict.INCONCLUSIVE:
        reason = "not enough evidence either way (run more episodes)"
        _element(case, "skipped", details, message=f"inconclusive: {reason}; {message}")
    else:
        _element(case, "system-out", details)


def _episode_case(suite: ET.Element, report: Report, episode: EpisodeResult) -> None:
    case = _element(
        suite, "testcase", classname=f"{episode.scenario}.episodes",
        name=f"episode {episode.index} (seed {episode.seed})", time=f"{episode.timing.wall_s:.3f}",
    )  # fmt: skip
    message = f"{episode.outcome.value} (ended by {episode.ended_by})"
    if episode.reason:
        message += f": {episode.reason}"
    details = f"{message}\nattempts: {episode.attempts}\nreproduce: {reproduce_command(report, episode)}"
    infrastructure = episode.outcome in (Outcome.SIM_ERROR, Outcome.HARNESS_ERROR)
    tag = "error" if infrastructure else "failure"
    _element(case, tag, details, message=message, type=episode.outcome.value)


def _properties(suite: ET.Element, report: Report, scenario: str) -> None:
    properties = _element(suite, "properties")
    skills = [summary.skill for summary in report.scenarios if summary.scenario == scenario]
    values = {
        "plan": report.plan.name, "plan_source": report.plan.source,
        "skill": skills[0] if skills else report.plan.skill,
        "seed": str(report.plan.seed), "verdict": report.verdict.value, "report": REPORT,
        "tool_version": report.tool_version,
    }  # fmt: skip
    for name, value in values.items():
        _element(properties, "property", name=name, value=value)


def _count(suite: ET.Element) -> dict[str, int]:
    cases = suite.findall("testcase")
    counts = {key: sum(1 for case in cases if case.find(tag) is not None) for key, tag in _COUNTS.items()}
    return {"tests": len(cases), **counts}


def _suite(root: ET.Element, report: Report, scenario: str) -> ET.Element:
    suite = _element(root, "testsuite", name=scenario, timestamp=report.created_utc)
    _properties(suite, report, scenario)
    for gate in report.gates:
        if gate.scenario == scenario:
            _gate_case(suite, gate)
    wall = sum(episode.timing.wall_s for episode in report.episodes if episode.scenario == scenario)
    for episode in failed_episodes(report):
        if episode.scenario == scenario:
            _episode_case(suite, report, episode)
    suite.set("time", f"{wall:.3f}")
    return suite


def _scenarios(report: Report) -> list[str]:
    names = [summary.scenario for summary in report.scenarios]
    names += [gate.scenario for gate in report.gates] + [episode.scenario for episode in report.episodes]
    return list(dict.fromkeys(names))


def render_junit(report: Report) -> str:
    """The report as a JUnit XML document (``<testsuites>``, one suite per scenario)."""
    root = ET.Element("testsuites", {"name": xml_text(f"roboverify: {report.plan.name}")})
    totals = dict.fromkeys(["tests", *_COUNTS], 0)
    for scenario in _scenarios(report):
        suite = _suite(root, report, scenario)
        for key, value in _count(suite).items():
            suite.set(key, str(value))
            totals[key] += value
    for key, value in totals.items():
        root.set(key, str(value))
    root.set("time", f"{report.wall_s:.3f}")
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
