"""check-skill on the PyBullet scenarios: the reference skills keep the contract, the faulty
variants fail the check that names their fault."""

from __future__ import annotations

import pytest

from harness.episode.conformance import check_skill
from harness.episode.findings import Status

pytestmark = pytest.mark.sim

REFERENCE_SKILLS = {
    "pick_place": ["workstation/collab_pick_place-v1", "workstation/pick_place-v1"],
    "collab_pick_place": ["workstation/collab_pick_place-v1"],
    "order_picking": ["warehouse/order_picking-v1"],
    "patrol": ["inspection/patrol-v1"],
}


@pytest.mark.parametrize("name", sorted(REFERENCE_SKILLS))
def test_every_reference_skill_passes_on_its_scenarios(name: str) -> None:
    result = check_skill(name, episodes=1, max_ticks=200)
    assert result.scenarios == REFERENCE_SKILLS[name]
    # a busy machine may make one act call slower than the period: a warning, never a failure
    problems = [
        (f.scenario, f.check, f.found)
        for f in result.findings
        if f.status is Status.FAIL or (f.status is Status.WARN and f.check != "commands.latency")
    ]
    assert problems == []


@pytest.mark.parametrize(
    ("name", "check", "found"),
    [
        ("order_picking_nan", "commands.finite", "forward_speed is nan (not finite)"),
        ("patrol_nan", "commands.finite", "forward_speed is nan (not finite)"),
        ("order_picking_crashing", "commands.act", "RuntimeError: route planner state corrupted"),
        ("patrol_crashing", "commands.act", "RuntimeError: inspection camera driver lost"),
        ("pick_place_crashing", "commands.act", "RuntimeError: controller state corrupted"),
    ],
)
def test_faulty_variants_fail_the_check_of_their_fault(name: str, check: str, found: str) -> None:
    scenario = "workstation/pick_place-v1" if name.startswith("pick_place") else None
    result = check_skill(name, scenario, episodes=1)
    failed = [(f.check, f.found) for f in result.findings if f.status is Status.FAIL]
    assert len(failed) == 1, failed
    assert failed[0][0] == check and found in failed[0][1]
    (manifest,) = [f for f in result.findings if f.check == "manifest"]
    assert manifest.status is Status.WARN  # a variant inherits its manifest but not its name
