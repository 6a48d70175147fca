"""Checks across a plan and its specs that no single field can make: each problem is
collected with its file, line and field, so one error message lists them all."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from harness.faults import SensorDropout
from harness.plan.gates import EfficiencyGate, Gate, InterventionsGate, RecoveryRateGate, SuccessRateGate
from harness.plan.loading import Loaded, Location
from harness.plan.models import ENDURANCE_SUFFIX, Plan
from harness.scenario import Scenario
from harness.spec import ScenarioSpec


@dataclass
class Problems:
    """Problems found so far, each already pointing at its file, line and field."""

    found: list[str] = field(default_factory=list)

    def at(self, loaded: Loaded[Any], location: Location, message: str, *, other_file: bool = False) -> None:
        text = loaded.problem(location, message)
        self.found.append(f"{loaded.file}: {text}" if other_file else text)


def check_spec_keys(loaded: Loaded[ScenarioSpec], scenario_class: type[Scenario], problems: Problems) -> None:
    for key_field, noun, known in (
        ("randomize", "parameter", list(scenario_class.parameters)),
        ("observation_noise", "observation", list(scenario_class.observation_keys)),
    ):
        for key in getattr(loaded.model, key_field):
            if key not in known:
                close = difflib.get_close_matches(key, known, n=1)
                hint = f"did you mean '{close[0]}'? " if close else ""
                message = f"'{loaded.model.kind}' has no {noun} '{key}'; {hint}known: {', '.join(known)}"
                problems.at(loaded, (key_field, key), message, other_file=True)
    check_faults(loaded, scenario_class, problems)


def check_faults(loaded: Loaded[ScenarioSpec], scenario_class: type[Scenario], problems: Problems) -> None:
    for index, fault in enumerate(loaded.model.faults):
        where = ("faults", index)
        if isinstance(fault, SensorDropout):
            for position, key in enumerate(fault.keys):
                known = list(scenario_class.observation_keys)
                _unknown(loaded, (*where, "keys", position), key, known, "has no observation", problems)
        elif fault.kind not in scenario_class.fault_kinds:
            supported = ", ".join(sorted({"sensor_dropout", *scenario_class.fault_kinds}))
            message = f"'{loaded.model.kind}' cannot inject '{fault.kind}'; it supports {supported}"
            problems.at(loaded, (*where, "kind"), message, other_file=True)
        if fault.after is not None and scenario_class.task_events:
            events = [*scenario_class.task_events, "fault", "fault_cleared"]
            _unknown(loaded, (*where, "after"), fault.after, events, "emits no event", problems)


def _unknown(
    loaded: Loaded[ScenarioSpec], where: Location, name: str, known: list[str], what: str, problems: Problems
) -> None:
    if name in known:
        return
    close = difflib.get_close_matches(name, known, n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    message = f"'{loaded.model.kind}' {what} '{name}'; {hint}known: {', '.join(known)}"
    problems.at(loaded, where, message, other_file=True)


def check_baselines(loaded: Loaded[Plan], index: int, gate: EfficiencyGate, problems: Problems) -> None:
    plan = loaded.model
    missing = [
        ref.spec
        for ref in plan.scenarios
        if ref.baseline_skill is None and plan.baseline_skill is None and gate.scenario in (None, ref.spec)
    ]
    if missing:
        message = f"an efficiency gate needs a baseline_skill to compare with ({', '.join(missing)} has none)"
        problems.at(loaded, ("gates", index, "metric"), message)


def check_recovery_gates(loaded: Loaded[Plan], faults: dict[str, list[str]], problems: Problems) -> None:
    for index, gate in enumerate(loaded.model.gates):
        if not isinstance(gate, RecoveryRateGate):
            continue
        gated = [faults.get(gate.scenario, [])] if gate.scenario is not None else list(faults.values())
        if not any(gate.fault in names for names in gated):
            declared = sorted({name for names in gated for name in names})
            known = (
                f"declared: {', '.join(declared)}" if declared else "no gated scenario declares any faults"
            )
            message = (
                f"no gated scenario injects a fault named '{gate.fault}' ({known}); "
                "declare it under the scenario spec's 'faults' or gate a fault it declares"
            )
            problems.at(loaded, ("gates", index, "fault"), message)


def check_gates(loaded: Loaded[Plan], spec_ids: list[str], problems: Problems) -> None:
    criteria = list(loaded.model.criteria)
    costed = loaded.model.cost_model is not None or any(r.cost_model for r in loaded.model.scenarios)
    if costed and "energy" not in criteria:
        message = "the economics summary needs energy per task: add 'energy: {}' under 'criteria'"
        problems.at(loaded, ("cost_model",), message)
    sequential = loaded.model.sequential
    if sequential is not None:
        rates = [(i, g) for i, g in enumerate(loaded.model.gates) if isinstance(g, SuccessRateGate)]
        ordinary = [s for s in spec_ids if not s.endswith(ENDURANCE_SUFFIX)]
        uncovered = [s for s in ordinary if not any(g.scenario in (None, s) for _, g in rates)]
        if uncovered:
            message = f"sequential mode needs a success_rate gate for {', '.join(uncovered)} (its min is p0)"
            problems.at(loaded, ("episodes",), message)
        for index, rate_gate in rates:
            if rate_gate.min + sequential.indifference >= 1:
                message = f"min + indifference ({sequential.indifference:g}) must stay below 1"
                problems.at(loaded, ("gates", index, "min"), message)
    for index, gate in enumerate(loaded.model.gates):
        if isinstance(gate, EfficiencyGate):
            check_baselines(loaded, index, gate, problems)
        criterion = getattr(gate, "criterion", None)
        if criterion is not None and criterion not in criteria:
            close = difflib.get_close_matches(criterion, criteria, n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            message = (
                f"the plan has no criterion '{criterion}'; {hint}add it under 'criteria' or use one of: "
            )
            problems.at(loaded, ("gates", index, "criterion"), message + ", ".join(criteria))
        check_gate_scope(loaded, index, gate, spec_ids, problems)


def _endurance_left_out(loaded: Loaded[Plan], problems: Problems) -> bool:
    """Whether the plan asked for endurance runs that were refused (already reported)."""
    return any(ref.endurance for ref in loaded.model.scenarios) and bool(problems.found)


def check_gate_scope(
    loaded: Loaded[Plan], index: int, gate: Gate, spec_ids: list[str], problems: Problems
) -> None:
    """A gate must cover something: endurance runs take only the interventions gate, and it
    needs endurance runs."""
    ordinary = [s for s in spec_ids if not s.endswith(ENDURANCE_SUFFIX)]
    endurance = [s.removesuffix(ENDURANCE_SUFFIX) for s in spec_ids if s.endswith(ENDURANCE_SUFFIX)]
    if isinstance(gate, InterventionsGate):
        covered = (
            endurance
            if gate.scenario is None
            else [s for s in endurance if gate.scenario in (s, s + ENDURANCE_SUFFIX)]
        )
        if not covered and not _endurance_left_out(loaded, problems):
            message = (
                f"no endurance runs to gate{f' for {gate.scenario!r}' if gate.scenario else ''}: add "
                "'endurance: {cycles: N}' to the scenario in 'scenarios', or remove this gate"
            )
            problems.at(loaded, ("gates", index, "metric"), message)
        return
    if gate.scenario is not None and gate.scenario not in ordinary:
        endurance_only = gate.scenario.endswith(ENDURANCE_SUFFIX)
        message = (
            f"'{gate.scenario}' takes only the interventions_per_1000_cycles gate"
            if endurance_only
            else f"'{gate.scenario}' is not among the plan's scenarios ({', '.join(ordinary)})"
        ) + "; use one of the plan's scenarios or omit 'scenario' to gate every scenario"
        problems.at(loaded, ("gates", index, "scenario"), message)
