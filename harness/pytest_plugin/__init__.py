"""pytest-native verification: plan files as tests, a fixture that runs episodes, and
statistical assertions that decide as the plan's gates do.

::

    from harness.pytest_plugin import assert_rate, assert_value

    def test_pick_place(roboverify_run):
        run = roboverify_run("workstation/pick_place-v1", "pick_place", episodes=20,
                             criteria=["task_success", "cycle_time"])
        assert_rate(run, at_least=0.8)
        assert_value(run, "cycle_time", at_most=8.0)

The plugin itself is ``harness.pytest_plugin.plugin`` (entry point ``roboverify``); this
package loads the assertions on first use, so importing it stays cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "assert_rate": "harness.pytest_plugin.asserts",
    "assert_value": "harness.pytest_plugin.asserts",
    "assert_no_events": "harness.pytest_plugin.asserts",
    "InconclusiveVerdict": "harness.pytest_plugin.asserts",
    "VerificationRun": "harness.pytest_plugin.runs",
}
__all__ = ["InconclusiveVerdict", "VerificationRun", "assert_no_events", "assert_rate", "assert_value"]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'harness.pytest_plugin' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


if TYPE_CHECKING:
    from harness.pytest_plugin.asserts import InconclusiveVerdict, assert_no_events, assert_rate, assert_value
    from harness.pytest_plugin.runs import VerificationRun
