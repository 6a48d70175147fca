"""Fault declarations the spec models reject: triggers, keys, modes, kinds, names and times."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from harness.testing import reach_spec


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        ({"kind": "sensor_dropout", "keys": ["ee_position"]}, "give exactly one trigger"),
        (
            {"kind": "sensor_dropout", "keys": ["x"], "at_s": 1, "after": "grasped"},
            "give exactly one trigger",
        ),
        ({"kind": "sensor_dropout", "keys": [], "at_s": 1}, "at least 1 item"),
        ({"kind": "sensor_dropout", "keys": ["x"], "at_s": 1, "mode": "stale"}, "'hold', 'zeros' or 'nan'"),
        ({"kind": "earthquake", "at_s": 1}, "does not match any of the expected tags"),
        ({"kind": "object_slip", "at_s": 1, "probability": 0}, "greater than 0"),
    ],
)
def test_malformed_faults_are_rejected(fault: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        reach_spec(faults=[fault])


def test_two_faults_with_one_name_are_rejected() -> None:
    fault = {"kind": "sensor_dropout", "keys": ["ee_position"], "at_s": 1}
    with pytest.raises(ValidationError, match="give each a distinct 'name'"):
        reach_spec(faults=[fault, fault])
    assert len(reach_spec(faults=[fault, {**fault, "name": "second"}]).faults) == 2


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("at_s", -1, "must be seconds"),
        ("at_s", "choice(['a', 'b'])", "must be seconds"),
        ("duration_s", "uniform(-1, 2)", "must not go below 0 s"),
        ("delay_s", True, "must be seconds"),
    ],
)
def test_fault_times_must_be_seconds(field: str, value: Any, message: str) -> None:
    fault = {"kind": "sensor_dropout", "keys": ["ee_position"], "after": "x", field: value}
    if field == "at_s":
        del fault["after"]
    with pytest.raises(ValidationError, match=message):
        reach_spec(faults=[fault])
