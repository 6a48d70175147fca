"""``report.md``: verdicts first, capped lists, and plan-supplied text that renders literally."""

from __future__ import annotations

import re
from pathlib import Path

from harness.report.markdown import MAX_EPISODES, code, escape, render_markdown
from harness.report.model import Report
from harness.report.reproduce import failed_episodes, reproduce_command
from harness.results import Outcome

HOSTILE = "<script>alert(1)</script> ]]> a|b `tick` \x00 [link](http://x) *bold*\nline"


def load(out_dir: Path) -> Report:
    return Report.model_validate_json((out_dir / "report.json").read_bytes())


def test_verdicts_come_first_then_gates_then_failed_episodes(failing_run: Path) -> None:
    report = load(failing_run)
    text = render_markdown(report)
    assert text.startswith("## roboverify: **FAIL**")
    order = [text.index(heading) for heading in ("### Dimensions", "### Gates", "### Failed episodes")]
    assert order == sorted(order)
    for dimension in report.dimensions:
        assert f"| {escape(dimension.title)} | " in text
    gate_rows = [line for line in text.splitlines() if line.startswith("| testing/reach-v1 |")]
    assert [row.split(" | ")[2] for row in gate_rows] == ["pass", "**INCONCLUSIVE**", "**FAIL**"]
    failed = failed_episodes(report)
    assert f"### Failed episodes ({len(failed)} of 30)" in text
    assert f"`{reproduce_command(report, failed[0])}`" in text


def test_thousands_of_failed_episodes_stay_short_enough_for_a_comment(failing_run: Path) -> None:
    report = load(failing_run)
    episode = failed_episodes(report)[0]
    episodes = [
        episode.model_copy(update={"index": i, "reason": f"{HOSTILE} {'x' * 500}"}) for i in range(5000)
    ]
    hostile_gates = [gate.model_copy(update={"rule": HOSTILE * 20}) for gate in report.gates * 100]
    text = render_markdown(report.model_copy(update={"episodes": episodes, "gates": hostile_gates}))
    assert len(text) < 65_536
    assert f"and {5000 - MAX_EPISODES} more failed episodes" in text
    assert text.count("\n- testing/reach-v1 #") == MAX_EPISODES


def test_hostile_text_is_escaped_and_cannot_break_a_table_or_inject_html() -> None:
    escaped = escape(HOSTILE)
    assert "\n" not in escaped and "\x00" not in escaped
    assert "<" not in escaped and ">" not in escaped  # no HTML can open
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in escaped
    assert re.search(r"(?<!\\)[|`*\[\]]", escaped) is None, "every | ` * [ ] is backslash-escaped"
    assert escape("a &lt; b") == "a &amp;lt; b", "entities stay literal too"
    assert escape("y" * 1000, limit=10) == "y" * 9 + "\u2026"


def test_a_code_span_holds_any_backticks_literally() -> None:
    assert code("roboverify verify") == "`roboverify verify`"
    assert code("a `b` c") == "``a `b` c``"
    assert code("`x``") == "``` `x`` ```"
    assert code("one\ntwo\x00") == "`one two\ufffd`"


def test_hostile_names_and_reasons_render_literally(failing_run: Path) -> None:
    report = load(failing_run)
    episode = failed_episodes(report)[0].model_copy(update={"reason": HOSTILE, "ended_by": "a|b"})
    plan = report.plan.model_copy(update={"name": "<b>|plan|</b>"})
    text = render_markdown(report.model_copy(update={"episodes": [episode], "plan": plan}))
    assert "<script>" not in text and "<b>" not in text and "\x00" not in text
    assert "&lt;b&gt;\\|plan\\|&lt;/b&gt;" in text
    assert f"**{Outcome.SKILL_ERROR.value}**, ended by a\\|b: &lt;script&gt;" in text


def test_a_run_where_every_episode_succeeds_says_so(failing_run: Path) -> None:
    report = load(failing_run)
    passed = [e for e in report.episodes if e.outcome is Outcome.SUCCESS]
    text = render_markdown(report.model_copy(update={"episodes": passed, "gates": []}))
    assert "None: every episode succeeded." in text
    assert "The plan declares no gate." in text
