"""Flakiness: episodes run a second time must give the same result, byte for byte.

The same seed and conditions must always give the same episode; a rerun that differs means
the results cannot be trusted (a defect in the harness or simulator setup, or a skill drawing
randomness that is not the generator it was given), so it makes the run invalid.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import Field

from harness.results import EpisodeResult, ReportModel


class FlakinessCheck(ReportModel):
    scenario: str
    rerun: int = Field(description="Episodes run a second time with the same seed and conditions.")
    outcome_flips: list[int] = Field(description="Indices whose outcome changed: a harness defect.")
    drifted: list[int] = Field(description="Indices whose result changed in any other way.")


def compare_reruns(first: Sequence[EpisodeResult], again: Sequence[EpisodeResult]) -> list[FlakinessCheck]:
    originals = {(e.scenario, e.index): e for e in first}
    found: dict[str, tuple[list[int], list[int], list[int]]] = {}  # rerun, flipped, drifted
    for rerun in sorted(again, key=lambda e: (e.scenario, e.index)):
        original = originals[(rerun.scenario, rerun.index)]
        ran, flipped, drifted = found.setdefault(rerun.scenario, ([], [], []))
        ran.append(rerun.index)
        if rerun.outcome is not original.outcome:
            flipped.append(rerun.index)
        elif _comparable(rerun) != _comparable(original):
            drifted.append(rerun.index)
    return [
        FlakinessCheck(scenario=scenario, rerun=len(ran), outcome_flips=flipped, drifted=drifted)
        for scenario, (ran, flipped, drifted) in found.items()
    ]


def _comparable(episode: EpisodeResult) -> str:
    # retries of infrastructure errors and wall-clock time are allowed to differ
    return episode.model_copy(update={"attempts": 1}).deterministic_json()
