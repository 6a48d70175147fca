"""Contact with people (ISO/TS 15066-derived) on hand-made records, plus a drive into a proxy."""

from __future__ import annotations

import math
from types import MappingProxyType

import pytest
from hypothesis import given
from hypothesis import strategies as st

from criteria.human_contact import (
    REGION_LIMITS,
    HumanContact,
    HumanContactParams,
    transient_energy_limit,
    transient_speed_limit,
)
from harness.criterion import EpisodeContext, EpisodeEnd
from harness.records import (
    EMPTY,
    Contact,
    RobotHardLimits,
    Separation,
    StepRecord,
    TaskStatus,
    WorldState,
    frozen_array,
)
from harness.results import Verdict
from harness.testing import robot_state
from harness.world import HUMAN_REGIONS

ARM = RobotHardLimits(
    frozen_array([-1.0]), frozen_array([1.0]), frozen_array([1.0]), frozen_array([1.0]), mass=16.0
)
CONTEXT = EpisodeContext("test/x-v1", 0.1, 100, {"robot": ARM})
END = EpisodeEnd(TaskStatus.SUCCEEDED, 10, False, 10, 0.1)
SEVERITY = {Verdict.PASS: 0, Verdict.ACCEPTABLE: 1, Verdict.FAIL: 2}


def touch(link: str, speed: float, force: float = 10.0, robot_link: str = "panda_link7") -> Contact:
    return Contact("robot", robot_link, "human:0", link, force, speed)


def record(
    tick: int, contacts: tuple[Contact, ...] = (), separations: tuple[Separation, ...] = ()
) -> StepRecord:
    state = WorldState(
        MappingProxyType({"robot": robot_state()}), MappingProxyType({}), contacts, separations
    )
    return StepRecord(tick, tick * 0.1, EMPTY, state)


def run(criterion: HumanContact, records: list[StepRecord]) -> list[str | None]:
    criterion.reset(CONTEXT)
    return [criterion.fold(r) for r in records]


@pytest.mark.parametrize(
    ("region", "speed", "energy"),
    [("hand_fingers", 1.36, 0.52), ("chest", 0.63, 1.57), ("lower_leg", 0.36, None)],
)
def test_worked_check_of_standards_section_1(region: str, speed: float, energy: float | None) -> None:
    # M = 16 kg, m_L = 2 kg -> m_R = 10 kg, transient limit 2 F_s
    assert transient_speed_limit(region, robot_mass=16.0, payload=2.0) == pytest.approx(speed, abs=0.005)
    if energy is not None:
        assert transient_energy_limit(region) == pytest.approx(energy, abs=0.005)


def test_every_proxy_link_maps_to_a_region_of_the_table() -> None:
    from criteria.human_contact import LINK_REGIONS

    assert set(LINK_REGIONS) == set(HUMAN_REGIONS)
    assert set(LINK_REGIONS.values()) == set(REGION_LIMITS)


def test_nobody_touched_passes() -> None:
    criterion = HumanContact()
    assert run(criterion, [record(1), record(2)]) == [None, None]
    result = criterion.result(END)
    assert result.verdict is Verdict.PASS and result.measured == 0.0 and result.margin == 1.0
    assert result.details["check"] == "ISO/TS 15066-derived check"


def test_slow_touch_of_the_hand_is_acceptable_and_fast_one_is_critical() -> None:
    params = HumanContactParams(payload_kg=2.0)  # with M = 16 kg: 1.36 m/s is the hand's limit
    slow = HumanContact(params)
    assert run(slow, [record(1, (touch("hand_left", 1.2),)), record(2, (touch("hand_left", 3.0),))]) == [
        None,
        None,
    ]
    result = slow.result(END)  # only the onset counts: the second tick is the same contact
    assert result.verdict is Verdict.ACCEPTABLE
    assert result.measured == pytest.approx(1.2 / 1.359, rel=0.01)
    assert result.details["regions"]["hand_fingers"]["contacts"] == 1
    fast = HumanContact(params)
    reasons = run(fast, [record(1, (touch("hand_right", 1.5),))])
    assert reasons[0] is not None and "ISO/TS 15066-derived check" in reasons[0]
    result = fast.result(END)
    assert result.verdict is Verdict.FAIL and result.margin is not None and result.margin < 0
    hand = result.details["regions"]["hand_fingers"]
    assert hand["exceedances"] == 1 and hand["transient_limit_n"] == 280.0
    assert hand["worst_energy_j"] > transient_energy_limit("hand_fingers")


@pytest.mark.parametrize("link", ["skull", "face"])
def test_any_contact_with_head_or_face_is_critical(link: str) -> None:
    criterion = HumanContact()
    reasons = run(criterion, [record(1, (touch(link, 0.01),))])
    assert reasons[0] is not None and "no contact is permissible" in reasons[0]
    result = criterion.result(END)
    assert result.verdict is Verdict.FAIL and result.details["events"]["critical"] == 1
    assert result.margin is not None and result.margin < 0


def test_clamping_against_a_fixture_is_judged_on_mean_force_after_the_hold_time() -> None:
    pinned = (Separation("human:0", "hand_left", "table", "base", 0.002),)
    weak = [record(t, (touch("hand_left", 0.0, force=100.0),), pinned) for t in range(1, 8)]
    criterion = HumanContact()
    assert run(criterion, weak) == [None] * 7  # 0.7 s held at 100 N: below F_s = 140 N
    result = criterion.result(END)
    assert result.verdict is Verdict.ACCEPTABLE
    assert result.details["regions"]["hand_fingers"]["max_hold_s"] == pytest.approx(0.7)
    strong = [record(t, (touch("hand_left", 0.0, force=200.0),), pinned) for t in range(1, 8)]
    criterion = HumanContact()
    reasons = run(criterion, strong)
    assert reasons[:5] == [None] * 5 and reasons[5] is not None  # only beyond 0.5 s
    assert "clamped" in reasons[5]
    assert criterion.result(END).details["worst"]["kind"] == "clamping"


def test_free_standing_person_is_not_clamped_and_contact_with_a_fixture_pins() -> None:
    far = (Separation("human:0", "hand_left", "table", "base", 0.2),)
    criterion = HumanContact()
    run(criterion, [record(t, (touch("hand_left", 0.0, force=500.0),), far) for t in range(1, 9)])
    assert criterion.result(END).details["events"]["critical"] == 0
    on_table = Contact("table", "base", "human:0", "hand_left", 5.0)
    criterion = HumanContact()
    run(criterion, [record(t, (touch("hand_left", 0.0, force=500.0), on_table)) for t in range(1, 9)])
    assert criterion.result(END).details["events"]["critical"] == 1


def test_limits_are_overridable_and_unknown_regions_rejected() -> None:
    params = HumanContactParams.model_validate(
        {"regions": {"hand_fingers": {"force": 1000}}, "payload_kg": 2.0}
    )
    criterion = HumanContact(params)
    run(criterion, [record(1, (touch("hand_left", 1.5),))])
    assert criterion.result(END).verdict is Verdict.ACCEPTABLE
    with pytest.raises(ValueError, match="unknown body region"):
        HumanContactParams.model_validate({"regions": {"tail": {"force": 1}}})


regions = st.sampled_from([r for r in HUMAN_REGIONS if r not in ("skull", "face")])
touches = st.lists(st.tuples(regions, st.floats(0, 0.3)), max_size=12)


@given(touches=touches, bad=st.tuples(regions, st.floats(3.0, 10.0)), at=st.integers(0, 12))
def test_adding_a_hard_impact_never_improves_verdict_or_margin(
    touches: list[tuple[str, float]], bad: tuple[str, float], at: int
) -> None:
    def records(items: list[tuple[str, float]]) -> list[StepRecord]:
        out = []
        for link, speed in items:  # every contact its own onset: an empty tick between them
            out += [record(len(out) + 1, (touch(link, speed),)), record(len(out) + 2)]
        return out

    before, after = HumanContact(), HumanContact()
    run(before, records(touches))
    run(after, records([*touches[:at], bad, *touches[at:]]))
    first, second = before.result(END), after.result(END)
    assert SEVERITY[second.verdict] >= SEVERITY[first.verdict] and second.verdict is Verdict.FAIL
    assert second.margin is not None and first.margin is not None and second.margin <= first.margin


@given(ticks=st.integers(1, 10), extra=st.integers(1, 10), force=st.floats(0, 400))
def test_holding_a_clamp_longer_never_improves_the_verdict(ticks: int, extra: int, force: float) -> None:
    pinned = (Separation("human:0", "chest", "table", "base", 0.0),)
    verdicts = []
    for length in (ticks, ticks + extra):
        criterion = HumanContact()
        run(criterion, [record(t, (touch("chest", 0.0, force),), pinned) for t in range(1, length + 1)])
        verdicts.append(criterion.result(END).verdict)
    assert SEVERITY[verdicts[1]] >= SEVERITY[verdicts[0]]


@pytest.mark.sim
def test_a_mobile_base_driving_into_a_person_is_caught_and_a_creeping_one_is_not() -> None:
    from sims.pybullet import PyBulletWorld

    def drive(speed: float) -> tuple[Verdict, dict[str, object]]:
        world = PyBulletWorld(240)
        try:
            world.add_box("floor", (5.0, 5.0, 0.01), (0.0, 0.0, -0.01))
            world.add_robot("husky", (0.0, 0.0, 0.15))
            world.add_human("human:0", (0.85, 0.0, 0.0), yaw=math.pi)
            world.save_baseline()
            criterion = HumanContact()
            criterion.reset(EpisodeContext("test/drive-v1", 1 / 30, 150, dict(world.robot_limits())))
            command = frozen_array([speed, 0.0])
            for tick in range(1, 150):
                world.apply("base_velocity", command)
                world.step(8)
                criterion.fold(StepRecord(tick, tick / 30, command, world.read()))
            result = criterion.result(END)
            return result.verdict, result.details
        finally:
            world.close()

    verdict, details = drive(1.0)
    assert verdict is Verdict.FAIL, details
    verdict, details = drive(0.1)
    assert verdict is Verdict.ACCEPTABLE, details
