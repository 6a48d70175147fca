"""The report's plots, drawn with matplotlib as inline SVG that is the same on every run.

Text stays text (``svg.fonttype: none``), the SVG carries no date, no metadata and no XML
prolog, and its ids are salted with the plot's own key, so that several plots share one page
without their ids clashing and the same report always gives the same bytes.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import matplotlib
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

INK = "#1f2933"
ACCENT = "#2f5d8a"
PASS = "#2e7d32"
FAIL = "#b3261e"
STYLE: dict[Any, object] = {  # matplotlib types its keys as literals
    "svg.fonttype": "none",
    "text.parse_math": False,
    "font.family": "sans-serif",
    "font.size": 9,
    "axes.edgecolor": "#9aa5b1",
    "axes.labelcolor": INK,
    "xtick.color": INK,
    "ytick.color": INK,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
_PROLOG = re.compile(r"^.*?(?=<svg)", re.DOTALL)
_IDS = re.compile(r'(\bid="|href="#|url\(#)')
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.DOTALL)


@contextmanager
def _figure(key: str, width: float, height: float) -> Iterator[tuple[Figure, Axes]]:
    """A figure on its own Agg canvas: no pyplot, so no global figure state and no backend switch."""
    with matplotlib.rc_context({**STYLE, "svg.hashsalt": key}):
        figure = Figure(figsize=(width, height))
        FigureCanvasAgg(figure)
        yield figure, figure.add_subplot()


def _svg(figure: Figure, key: str) -> str:
    """The figure as an ``<svg>`` element: no prolog, no metadata, no date."""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    text = _METADATA.sub("", _PROLOG.sub("", buffer.getvalue(), count=1))
    # matplotlib numbers its elements per figure (line2d_1, ...): prefix them, so ids stay unique on a page
    text = _IDS.sub(rf"\1{key}-", text)
    return text.replace("<svg ", '<svg role="img" ', 1)


def interval_plot(key: str, value: float | None, low: float, high: float, thresholds: Sequence[float]) -> str:
    """A rate with its interval on [0, 1], and the gate thresholds it is judged against."""
    with _figure(key, 5.6, 0.95) as (figure, axes):
        axes.hlines(0, low, high, color=ACCENT, linewidth=5, alpha=0.45, label="interval")
        if value is not None:
            axes.plot([value], [0], "o", color=ACCENT, label="measured")
        for threshold in thresholds:
            axes.axvline(threshold, color=FAIL, linestyle="--", linewidth=1.2)
            axes.annotate(f"gate {threshold:g}", (threshold, 0.6), color=FAIL, ha="center", fontsize=8)
        axes.set_xlim(0, 1)
        axes.set_ylim(-1, 1)
        axes.set_yticks([])
        axes.spines["left"].set_visible(False)
        axes.set_xlabel("success rate")
        return _svg(figure, key)


def bar_plot(key: str, labels: Sequence[str], counts: Sequence[float], xlabel: str) -> str:
    """Horizontal bars, one per label (the outcome breakdown, a criterion's verdicts)."""
    with _figure(key, 5.6, 0.35 + 0.28 * len(labels)) as (figure, axes):
        positions = range(len(labels))
        axes.barh(list(positions), counts, color=ACCENT, height=0.6)
        axes.set_yticks(list(positions), labels=list(labels))
        axes.invert_yaxis()
        axes.set_xlabel(xlabel)
        for position, count in zip(positions, counts, strict=True):
            axes.annotate(f"{count:g}", (count, position), xytext=(3, 0), textcoords="offset points",
                          va="center", fontsize=8)  # fmt: skip
        return _svg(figure, key)


def histogram(key: str, values: Sequence[float], xlabel: str, limit: float | None = None) -> str:
    """The distribution of a measurement (cycle times), with its limit if it has one."""
    with _figure(key, 5.6, 1.8) as (figure, axes):
        axes.hist(list(values), bins=min(20, max(5, len(values) // 2)), color=ACCENT, edgecolor="white")
        if limit is not None and limit <= 2 * max(values):  # a far-off limit would squash the bars
            axes.axvline(limit, color=FAIL, linestyle="--", linewidth=1.2, label=f"limit {limit:g}")
            axes.legend(frameon=False, fontsize=8)
        axes.set_xlabel(xlabel)
        axes.set_ylabel("episodes")
        return _svg(figure, key)


def margin_plot(key: str, margins: dict[str, list[float]]) -> str:
    """Per safety check, every episode's margin to its threshold (below zero is a violation)."""
    names = list(margins)
    with _figure(key, 5.6, 0.45 + 0.32 * len(names)) as (figure, axes):
        for row, name in enumerate(names):
            values = margins[name]
            colours = [FAIL if m < 0 else ACCENT for m in values]
            axes.scatter(values, [row] * len(values), c=colours, s=14, alpha=0.7, linewidths=0)
        axes.axvline(0, color=FAIL, linewidth=1)
        axes.set_yticks(range(len(names)), labels=names)
        axes.set_ylim(len(names) - 0.5, -0.5)
        axes.set_xlabel("margin to the threshold (below 0: violated)")
        return _svg(figure, key)


def operating_plot(
    key: str, curve: Sequence[tuple[float, float]], threshold: float, variable: str, measured: float | None
) -> str:
    """A gate's operating characteristic: the probability it passes against the true value."""
    with _figure(key, 4.2, 2.3) as (figure, axes):
        axes.plot([x for x, _ in curve], [y for _, y in curve], color=ACCENT, linewidth=1.6)
        axes.axvline(threshold, color=FAIL, linestyle="--", linewidth=1.1, label=f"threshold {threshold:.3g}")
        if measured is not None:
            axes.axvline(measured, color=PASS, linestyle=":", linewidth=1.3, label=f"measured {measured:.3g}")
        axes.set_xlim(0, 1)
        axes.set_ylim(0, 1.02)
        axes.set_xlabel(variable)
        axes.set_ylabel("P(gate passes)")
        axes.legend(frameon=False, fontsize=7, loc="upper left")
        return _svg(figure, key)


def trend_plot(
    key: str,
    labels: Sequence[str],
    values: Sequence[float | None],
    ylabel: str,
    intervals: Sequence[tuple[float, float]] | None = None,
) -> str:
    """One value per run, left to right in version order, with its interval if it has one."""
    with _figure(key, 5.6, 1.9) as (figure, axes):
        positions = list(range(len(labels)))
        if intervals is not None:
            axes.vlines(positions, [i[0] for i in intervals], [i[1] for i in intervals],
                        color=ACCENT, linewidth=5, alpha=0.35)  # fmt: skip
        shown = [(x, v) for x, v in zip(positions, values, strict=True) if v is not None]
        axes.plot([x for x, _ in shown], [v for _, v in shown], "o-", color=ACCENT, linewidth=1.2)
        axes.set_xticks(positions, labels=list(labels), rotation=30 if len(labels) > 6 else 0)
        axes.set_xlim(-0.5, len(labels) - 0.5)
        axes.set_ylabel(ylabel)
        return _svg(figure, key)
