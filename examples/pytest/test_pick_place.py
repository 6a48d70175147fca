"""Verification from a test function: run episodes with the roboverify_run fixture, then assert
on them with the same exact statistics as a plan's gates.

Copy this module into a skill repository's tests; ``pytest`` runs it with roboverify's plugin,
which is installed with roboverify. ``--roboverify-episodes N`` and ``--roboverify-seed S``
override every run's size and seed.
"""

from harness.pytest_plugin import assert_no_events, assert_rate, assert_value


def test_pick_place_is_good_enough_to_ship(roboverify_run):
    run = roboverify_run(
        "workstation/pick_place-v1",
        "pick_place",
        episodes=30,
        criteria=["task_success", "cycle_time", "robot_limits"],
    )
    assert_rate(run, at_least=0.85, confidence=0.95)  # exact one-sided lower bound >= 0.85
    assert_value(run, "cycle_time", at_most=8.0)  # the median, by an exact order statistic
    assert_no_events(run, outcome="skill_error")  # a hard rule: any skill error fails


def test_a_dropping_skill_is_caught(roboverify_run):
    """The faulty variant drops the cube: no episode succeeds, and each is listed with its seed."""
    run = roboverify_run("workstation/pick_place-v1", "pick_place_dropping", episodes=10)
    assert run.summary.successes == 0
    assert len(run.failed()) == 10
