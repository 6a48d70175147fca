"""``report.md``: the report in Markdown, short enough for a pull-request comment.

The run's verdict and the five dimensions first, then the gates, then the failed episodes with
the command that runs each again. Lists are capped (GitHub refuses comments over 65,536
characters), and every string that comes from a plan, spec, skill or reason is escaped so that it
renders as the literal text it is: it cannot end a table cell, open a code span or inject HTML.
"""

from __future__ import annotations

import re

from harness.report.model import Report, skill_labels
from harness.report.reproduce import failed_episodes, reproduce_command
from harness.results import EpisodeResult
from harness.verdicts.gate_result import GateResult

MAX_GATES = 50
MAX_EPISODES = 20
MAX_TEXT = 300  # characters of any one plan-supplied string
MAX_CHARS = 60_000  # the whole document, whatever the strings in it

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_NEWLINES = re.compile(r"[\t\r\n\u2028\u2029]+")
_PUNCTUATION = re.compile(r"([\\`*_\[\]|~])")  # with < > & as entities: no markup can start
_BACKTICKS = re.compile(r"`+")


def _plain(text: str, limit: int) -> str:
    """One line of printable text, at most ``limit`` characters."""
    text = _CONTROL.sub("\ufffd", _NEWLINES.sub(" ", text))
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def escape(text: str, limit: int = MAX_TEXT) -> str:
    """``text`` as literal Markdown on one line: safe in a table cell, never HTML."""
    text = _plain(text, limit).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _PUNCTUATION.sub(r"\\\1", text)


def code(text: str, limit: int = 2000) -> str:
    """``text`` as an inline code span (for a command to copy), whatever backticks it holds."""
    text = _plain(text, limit)
    fence = "`" * (max((len(run) for run in _BACKTICKS.findall(text)), default=0) + 1)
    padded = f" {text} " if text.startswith(("`", " ")) or text.endswith(("`", " ")) else text
    return f"{fence}{padded}{fence}"


def _number(value: float | None) -> str:
    return "\u2014" if value is None else f"{value:.4g}"


def _verdict(value: str) -> str:
    return f"**{value.upper()}**" if value in ("fail", "inconclusive", "invalid") else value


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


def _more(shown: int, total: int, what: str) -> list[str]:
    return [] if total <= shown else ["", f"\u2026 and {total - shown} more {what} in `report.json`."]


def _heading(report: Report) -> list[str]:
    plan = report.plan
    return [
        f"## roboverify: {_verdict(report.verdict.value)}",
        "",
        f"Why: {escape(report.verdict_reason, 1000)}",
        "",
        f"Plan {escape(plan.name)} (seed {plan.seed}), skill {escape(', '.join(skill_labels(report)))}; "
        f"{len(report.episodes)} episodes; roboverify {escape(report.tool_version)}, "
        f"{escape(report.created_utc)}.",
    ]


def _dimensions(report: Report) -> list[str]:
    rows = [[escape(d.title), _verdict(d.verdict.value), escape(d.reason)] for d in report.dimensions]
    return ["", "### Dimensions", "", *_table(["dimension", "verdict", "why"], rows)]


def _gate_row(gate: GateResult) -> list[str]:
    bounds = f"[{_number(gate.lower_bound)}, {_number(gate.upper_bound)}]"
    verdict = _verdict(gate.verdict.value)
    return [escape(gate.scenario), escape(gate.rule), verdict, _number(gate.measured), bounds]


def _gates(report: Report) -> list[str]:
    if not report.gates:
        return ["", "### Gates", "", "The plan declares no gate."]
    rows = [_gate_row(gate) for gate in report.gates[:MAX_GATES]]
    table = _table(["scenario", "rule", "verdict", "measured", "bounds"], rows)
    return ["", "### Gates", "", *table, *_more(MAX_GATES, len(report.gates), "gates")]


def _episode(report: Report, episode: EpisodeResult) -> list[str]:
    why = f": {escape(episode.reason)}" if episode.reason else ""
    return [
        f"- {escape(episode.scenario)} #{episode.index} (seed {episode.seed}): "
        f"**{episode.outcome.value}**, ended by {escape(episode.ended_by)}{why}",
        f"  {code(reproduce_command(report, episode))}",
    ]


def _episodes(report: Report) -> list[str]:
    failed = failed_episodes(report)
    if not failed:
        return ["", "### Failed episodes", "", "None: every episode succeeded."]
    lines = ["", f"### Failed episodes ({len(failed)} of {len(report.episodes)})", ""]
    for episode in failed[:MAX_EPISODES]:
        lines += _episode(report, episode)
    return lines + _more(MAX_EPISODES, len(failed), "failed episodes")


def _fit(lines: list[str]) -> list[str]:
    """The lines that fit in ``MAX_CHARS``, whole, and a note if any were left out."""
    used = 0
    for count, line in enumerate(lines):
        used += len(line) + 1
        if used > MAX_CHARS - 100:
            return [*lines[:count], "", "… (cut short to fit a comment; everything is in `report.json`)"]
    return lines


def render_markdown(report: Report) -> str:
    """The report as Markdown for a pull-request comment (never over ``MAX_CHARS`` characters)."""
    lines = [*_heading(report), *_dimensions(report), *_gates(report), *_episodes(report)]
    return "\n".join(_fit(lines)) + "\n"
