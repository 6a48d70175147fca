from __future__ import annotations

from criteria.task_success import TaskSuccess
from harness.criterion import EpisodeEnd
from harness.records import TaskStatus
from harness.results import Verdict


def end(status: TaskStatus, truncated: bool = False) -> EpisodeEnd:
    return EpisodeEnd(
        status=status,
        last_tick=30,
        truncated=truncated,
        success_tick=30 if status is TaskStatus.SUCCEEDED else None,
        control_dt=0.1,
    )


def test_success_passes() -> None:
    result = TaskSuccess().result(end(TaskStatus.SUCCEEDED))
    assert (result.verdict, result.measured, result.margin) == (Verdict.PASS, 1.0, 0.0)


def test_failure_and_timeout_fail() -> None:
    assert TaskSuccess().result(end(TaskStatus.FAILED)).verdict is Verdict.FAIL
    timed_out = TaskSuccess().result(end(TaskStatus.RUNNING, truncated=True))
    assert timed_out.verdict is Verdict.FAIL
    assert timed_out.measured == 0.0
    assert timed_out.details == {"status": "running", "truncated": True}
