"""The history of verification runs: every ``roboverify verify`` recorded in a local SQLite file.

Takes the finished :class:`~harness.report.model.Report` (one row per skill it ran, with its
dimensions, gates, key metrics per scenario and each episode's outcome) and hands back, for
``roboverify history`` and ``--against-last-release``, the runs of a skill across its versions
and the paired comparisons between them. Sits between ``harness.cli`` and ``harness.campaign``.
See docs/history.md.
"""

from harness.history.store import HistoryError, HistoryStore, default_history_path

__all__ = ["HistoryError", "HistoryStore", "default_history_path"]
