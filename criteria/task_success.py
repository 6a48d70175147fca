"""Task success: did the scenario declare the task done, and done correctly?"""

from __future__ import annotations

from harness.criterion import Criterion, EpisodeEnd
from harness.records import TaskStatus
from harness.results import CriterionResult, Verdict


class TaskSuccess(Criterion):
    """1 when the scenario's own success check held before the time budget ran out, else 0."""

    name = "task_success"
    units = "bool"

    def result(self, end: EpisodeEnd) -> CriterionResult:
        succeeded = end.status is TaskStatus.SUCCEEDED
        return self.judged(
            Verdict.PASS if succeeded else Verdict.FAIL,
            measured=1.0 if succeeded else 0.0,
            threshold=1.0,
            margin=0.0 if succeeded else -1.0,
            details={"status": end.status.value, "truncated": end.truncated},
        )
