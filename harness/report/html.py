"""The customer-facing report: one self-contained HTML page, from a :class:`Report`.

The page makes no network request of any kind (inline CSS, inline SVG plots, no fonts or
scripts) so it opens from disk and prints (or renders to PDF) as it shows. Every string that
came from a plan, spec, skill or reason is escaped: the template autoescapes, and the only
markup let through unescaped is the SVG matplotlib drew.
"""

from __future__ import annotations

import math
from functools import cache

import jinja2
from markupsafe import Markup

from harness.report.model import Report
from harness.report.page import build_page

LABELS = {
    "pass": "PASS",
    "fail": "FAIL",
    "inconclusive": "INCONCLUSIVE",
    "invalid": "INVALID",
    "not_assessed": "NOT ASSESSED",
    "acceptable": "ACCEPTABLE",
    "n/a": "N/A",
}


def render_html(report: Report) -> str:
    """The report as one HTML page, the same bytes for the same report."""
    return _environment().get_template("report.html.j2").render(page=build_page(report))


@cache
def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("harness.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters.update(num=number, interval=interval, pct=percent, verdict=verdict_badge, svg=Markup)
    return environment


def number(value: float | None, digits: int = 3) -> str:
    """A figure to ``digits`` significant digits; an en dash when there is none."""
    if value is None:
        return "\u2013"
    if value == 0 or not math.isfinite(value):
        return f"{value:g}"
    decimals = max(0, digits - 1 - math.floor(math.log10(abs(value))))
    return f"{value:,.{decimals}f}"


def interval(low: float | None, high: float | None) -> str:
    """``[low, high]``; a one-sided bound as ``≤ high`` or ``≥ low``; an en dash for neither."""
    if low is None and high is None:
        return "\u2013"
    if low is None:
        return f"\u2264 {number(high)}"
    if high is None:
        return f"\u2265 {number(low)}"
    return f"[{number(low)}, {number(high)}]"


def percent(value: float | None, digits: int = 1) -> str:
    return "\u2013" if value is None else f"{100 * value:.{digits}f} %"


def verdict_badge(value: object) -> Markup:
    """A verdict as a coloured label whose text says it too (the colour is never the only cue)."""
    text = str(value)
    css = text.replace("/", "").replace("_", "-")
    return Markup('<span class="badge badge-{}">{}</span>').format(css, LABELS.get(text, text.upper()))
