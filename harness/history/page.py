"""``roboverify history SKILL --html DIR``: one static page with the skill's trends.

Per scenario, across the runs in version order: the success rate with its interval, safety
events, the median cycle time and the cost per task (when a cost model gave one), then a table
of the runs that links each one's ``report.html``. Like the report, the page is self-contained:
inline CSS and SVG, no scripts, nothing fetched.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from harness.atomic import write_atomically
from harness.history.record import ScenarioMetrics
from harness.history.trends import Step, regression_label
from harness.report.plots import trend_plot

PAGE = "index.html"


@dataclass(frozen=True)
class Trend:
    title: str
    svg: Markup


@dataclass(frozen=True)
class RunRow:
    version: str
    created_utc: str
    verdict: str
    success: str
    regression: str
    link: str


@dataclass(frozen=True)
class ScenarioSection:
    scenario: str
    trends: list[Trend]
    runs: list[RunRow]


def write_page(skill: str, steps: list[Step], out_dir: Path) -> Path:
    """Write ``out_dir/index.html``; returns its path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    scenarios = list(dict.fromkeys(m.scenario for s in steps for m in s.run.metrics))
    sections = [_section(skill, scenario, steps, out_dir) for scenario in scenarios]
    html = _environment().get_template("history.html.j2").render(skill=skill, sections=sections)
    write_atomically(out_dir / PAGE, html.encode("utf-8"))
    return out_dir / PAGE


def _section(skill: str, scenario: str, steps: list[Step], out_dir: Path) -> ScenarioSection:
    runs = [(s, m) for s in steps for m in s.run.metrics if m.scenario == scenario]
    labels = [f"{s.run.version} #{s.run.id}" for s, _ in runs]
    key = f"{skill}-{scenario}".replace("/", "-")
    return ScenarioSection(
        scenario, _trends(key, labels, [m for _, m in runs]), [_row(s, m, out_dir) for s, m in runs]
    )


def _trends(key: str, labels: list[str], metrics: list[ScenarioMetrics]) -> list[Trend]:
    trends = [
        Trend("Success rate", Markup(trend_plot(
            f"{key}-success", labels, [m.success_rate for m in metrics], "success rate",
            [(m.success_low, m.success_high) for m in metrics],
        ))),
        Trend("Safety events", Markup(trend_plot(
            f"{key}-safety", labels, [float(m.safety_events) for m in metrics], "episodes with an event"
        ))),
    ]  # fmt: skip
    optional = (
        ("Median cycle time", "median_cycle_s", "seconds"),
        ("Cost per task", "cost_per_task", "cost"),
    )
    for title, field, unit in optional:
        values = [getattr(m, field) for m in metrics]
        if any(v is not None for v in values):
            trends.append(Trend(title, Markup(trend_plot(f"{key}-{field}", labels, values, unit))))
    return trends


def _row(step: Step, metrics: ScenarioMetrics, out_dir: Path) -> RunRow:
    mine = [c for c in step.comparisons if c.scenario == metrics.scenario]
    rate = "-" if metrics.success_rate is None else f"{metrics.success_rate:.1%}"
    interval = f"[{metrics.success_low:.3f}, {metrics.success_high:.3f}]"
    return RunRow(
        version=step.run.version,
        created_utc=step.run.created_utc,
        verdict=step.run.verdict,
        success=f"{metrics.successes}/{metrics.scored} = {rate} {interval}",
        regression=regression_label(mine) if step.previous else "-",
        link=report_link(Path(step.run.report_path), out_dir),
    )


def report_link(report_json: Path, out_dir: Path) -> str:
    """The run's report.html (its report.json if the page was not rendered), relative to the page."""
    html = report_json.with_name("report.html")
    target = html if html.is_file() else report_json
    return Path(os.path.relpath(target, out_dir.resolve())).as_posix()


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("harness.history", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
