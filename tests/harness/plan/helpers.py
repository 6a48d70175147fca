"""Plan and spec texts, and the checks every malformed-file test makes of its SpecError.

The spec-error tests beside this file write real files into ``tmp_path`` and go through
``load_plan`` (load + resolve), the same path ``roboverify verify`` takes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.errors import SpecError
from harness.plan.resolve import load_plan

PLAN = """\
skill: pick_place
scenarios:
  - workstation/pick_place-v1
"""

# A valid custom spec; line numbers in the tests refer to it (randomize entries start on line 9).
SPEC = """\
id: workstation/custom-v1
kind: workstation/pick_place
sim: pybullet
robot: franka_panda
control_rate_hz: 30
physics_rate_hz: 240
time_budget_s: 15
randomize:
  object_x: uniform(0.4, 0.6)
"""

PLAN_USING_SPEC = """\
skill: pick_place
scenarios:
  - spec: spec.yaml
"""


# helpers ----------------------------------------------------------------------------------------
def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def load_error(path: Path) -> SpecError:
    """Load ``path`` as a plan and return the SpecError it must raise."""
    with pytest.raises(SpecError) as info:
        load_plan(path)
    error = info.value
    assert error.file == str(path), "the plan file must head the message"
    assert str(error).startswith(f"{path}: "), str(error)
    assert error.problems, "a SpecError without problems explains nothing"
    for problem in error.problems:
        assert problem in str(error), "every problem must be in the one message"
    return error


def plan_error(tmp_path: Path, text: str) -> SpecError:
    return load_error(write(tmp_path, "plan.yaml", text))


def spec_error(tmp_path: Path, spec_text: str, plan_text: str = PLAN_USING_SPEC) -> SpecError:
    write(tmp_path, "spec.yaml", spec_text)
    return load_error(write(tmp_path, "plan.yaml", plan_text))


def only_problem(error: SpecError) -> str:
    assert len(error.problems) == 1, str(error)
    assert str(error).startswith(f"{error.file}: 1 problem\n"), str(error)
    return error.problems[0]


def problem_about(error: SpecError, field: str) -> str:
    """The single problem that names ``field`` (quoted, as the messages do)."""
    matches = [p for p in error.problems if f"'{field}'" in p]
    assert len(matches) == 1, f"expected one problem about '{field}' in:\n{error}"
    return matches[0]


def spec_with_randomize(*entries: str) -> str:
    return SPEC.replace("  object_x: uniform(0.4, 0.6)\n", "".join(f"  {e}\n" for e in entries))
