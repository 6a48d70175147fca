"""Plan files as pytest tests: one item per gate and scenario, and one for the run itself.

The plan runs once, when its first item runs (``harness.pytest_plugin.runs``); each item then
reads its gate's result. A failure shows the gate, the figures, the criteria table and the
command that reproduces the first offending episode, not a traceback.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from harness.errors import RoboverifyError
from harness.plan.resolve import ResolvedPlan, load_plan
from harness.pytest_plugin.explain import criteria_table, episode_lines, gate_lines, offending_episodes
from harness.pytest_plugin.runs import VerificationRun, run_plan_file
from harness.pytest_plugin.settings import SETTINGS
from harness.report.build import planned_gates
from harness.report.model import RunVerdict
from harness.report.write import REPORT
from harness.verdicts.gate_result import GateResult
from harness.verdicts.statistics import GateVerdict

PLAN_SUFFIXES = (".plan.yaml", ".plan.yml", ".yaml", ".yml")


class VerdictFailure(Exception):
    """A gate that failed (or is inconclusive, counted as a failure): its text is the report."""


class PlanFile(pytest.File):
    """A verification plan: its gates become the items."""

    _run: VerificationRun | None = None

    def collect(self) -> Iterator[pytest.Item]:
        try:
            resolved = load_plan(self.path)
        except RoboverifyError as error:
            raise self.CollectError(f"roboverify cannot load this plan:\n{error}") from None
        for index, (gate, scenario) in enumerate(planned_gates(resolved)):
            yield GateItem.from_parent(self, name=f"{_gate_name(gate)}[{scenario}]", index=index, gate=gate)
        yield RunItem.from_parent(self, name="run", resolved=resolved)

    def verification(self) -> VerificationRun:
        """The plan's run: made by the first item that asks, in whichever process that is."""
        if self._run is None:
            settings = self.config.stash[SETTINGS]
            self._run = run_plan_file(self.path, self.label(), settings, shared_folder(self.config))
        return self._run

    def label(self) -> str:
        """The run's folder name: the plan's path from the root, as one name."""
        relative = (
            self.path.relative_to(self.config.rootpath)
            if self.path.is_relative_to(self.config.rootpath)
            else Path(self.path.name)
        )
        suffix = next((s for s in PLAN_SUFFIXES if relative.name.endswith(s)), "")
        name = relative.name.removesuffix(suffix)
        return "-".join([*relative.parent.parts, name]) or "plan"


def _gate_name(gate: Any) -> str:
    """A short, stable name for the gate, e.g. 'success_rate>=0.9' or 'zero_events(outcome=safety_stop)'."""
    bound = next(
        (
            f"{sign}{getattr(gate, key):g}"
            for key, sign in (("min", ">="), ("max", "<="))
            if getattr(gate, key, None) is not None
        ),
        "",
    )
    subject = (
        getattr(gate, "criterion", None) or getattr(gate, "fault", None) or getattr(gate, "outcome", None)
    )
    return f"{gate.metric}" + (f"({subject})" if subject else "") + bound


class _PlanItem(pytest.Item):
    parent: PlanFile

    def reportinfo(self) -> tuple[Path, int | None, str]:
        # not the node id's tail, so pytest shows the name as it is (it would turn '.' into '::')
        return self.path, None, f"{self.parent.name}: {self.name}"

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, VerdictFailure | RoboverifyError):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo))

    def run_of_plan(self) -> VerificationRun:
        try:
            return self.parent.verification()
        except RoboverifyError as error:
            raise VerdictFailure(f"roboverify could not run the plan {self.path}:\n{error}") from None


class GateItem(_PlanItem):
    def __init__(self, *, index: int, gate: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.index = index
        self.gate = gate

    def runtest(self) -> None:
        """Pass, fail, or (inconclusive) whatever the pytest run's inconclusive mode says."""
        run = self.run_of_plan()
        result = run.report.gates[self.index]
        self.user_properties.extend(gate_properties(result, run))
        if result.verdict is GateVerdict.PASS:
            return
        text = "\n".join(_failure_text(result, self.gate, run))
        if result.verdict is GateVerdict.INCONCLUSIVE:
            mode = self.config.stash[SETTINGS].inconclusive
            if mode == "skip":
                pytest.skip(f"inconclusive: {result.rule} [{result.scenario}]")
            if mode == "xfail":
                pytest.xfail(f"inconclusive: {result.rule} [{result.scenario}]")
        raise VerdictFailure(text)


class RunItem(_PlanItem):
    """The run itself: every episode scored, and what the gates alone do not decide."""

    def __init__(self, *, resolved: ResolvedPlan, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.resolved = resolved

    def runtest(self) -> None:
        """Fail on an invalid run, or on a verdict that is not a pass though every gate passed."""
        run = self.run_of_plan()
        report = run.report
        self.user_properties += [
            ("roboverify.verdict", report.verdict.value),
            ("roboverify.report", str(run.out_dir / REPORT)),
        ]
        gates_pass = all(g.verdict is GateVerdict.PASS for g in report.gates)
        if report.verdict is RunVerdict.INVALID or (gates_pass and report.verdict is not RunVerdict.PASS):
            verdict = f"verdict {report.verdict.value.upper()}: {report.verdict_reason}"
            raise VerdictFailure(f"{verdict}\nreport: {run.out_dir / REPORT}")


def _failure_text(result: GateResult, gate: Any, run: VerificationRun) -> list[str]:
    lines = gate_lines(result)
    table = criteria_table(run.report, result.scenario)
    if table:
        lines += ["", *table]
    offending = offending_episodes(gate, [e for e in run.results if e.scenario == result.scenario])
    if offending:
        lines += ["", *episode_lines(offending, result.episodes)]
        lines.append(f"reproduce: {run.reproduce(offending[0])}")
    lines.append(f"report: {run.out_dir / REPORT}")
    return lines


def gate_properties(result: GateResult, run: VerificationRun) -> list[tuple[str, object]]:
    """The gate's figures as JUnit properties (``roboverify.*``)."""
    figures = {
        "verdict": result.verdict.value, "scenario": result.scenario, "rule": result.rule,
        "metric": result.metric, "threshold": result.threshold, "confidence": result.confidence,
        "measured": result.measured, "lower_bound": result.lower_bound, "upper_bound": result.upper_bound,
        "p_value": result.p_value, "episodes": result.episodes, "exact": result.exact,
        "guarantee": result.guarantee, "seed": run.report.plan.seed, "report": str(run.out_dir / REPORT),
    }  # fmt: skip
    return [(f"roboverify.{key}", "" if value is None else value) for key, value in figures.items()]


def shared_folder(config: pytest.Config) -> Path:
    """A folder every xdist worker of this pytest run sees: the run's base temporary folder."""
    base: Path = config._tmp_path_factory.getbasetemp()  # type: ignore[attr-defined]
    is_worker = hasattr(config, "workerinput")
    return (base.parent if is_worker else base) / "roboverify"
