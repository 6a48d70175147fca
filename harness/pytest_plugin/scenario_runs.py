"""The ``roboverify_run`` fixture's runs: one scenario with one skill, from a test function.

Each call writes the plan it stands for (so the report can name it and the reproduce command
can run it) and runs it through the same once-per-run cache as plan files.
"""

from __future__ import annotations

import hashlib
import re
import shlex
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from harness.atomic import write_atomically
from harness.pytest_plugin.runs import VerificationRun, run_plan_file
from harness.pytest_plugin.settings import DEFAULT_SEED, Settings
from harness.report.write import REPORT

DEFAULT_EPISODES = 30


class RunFixture:
    """Call it with a scenario and a skill; it returns the finished :class:`VerificationRun`."""

    def __init__(
        self,
        settings: Settings,
        shared: Path,
        node_id: str,
        test_dir: Path,
        properties: list[tuple[str, object]] | None = None,
    ) -> None:
        self.settings = settings
        self.shared = shared
        self.node_id = node_id
        self.test_dir = test_dir
        self.properties = properties if properties is not None else []  # the test's JUnit properties

    def __call__(
        self,
        scenario: str,
        skill: str,
        *,
        episodes: int = DEFAULT_EPISODES,
        seed: int | None = None,
        params: Mapping[str, Any] | None = None,
        criteria: Sequence[str] | Mapping[str, Mapping[str, Any]] | None = None,
        **plan_fields: Any,
    ) -> VerificationRun:
        """Run ``episodes`` episodes of ``scenario`` (a spec id, or a spec file relative to the
        test's folder) with ``skill`` (a registered name or ``module:Class``). The command
        line's ``--roboverify-episodes`` and ``--roboverify-seed`` take precedence; other plan
        fields (``limits``, ``baseline_skill``, ``gates``...) pass through as keywords."""
        plan: dict[str, Any] = {
            "name": self.node_id,
            "skill": {"name": skill, "params": dict(params or {})},
            "scenarios": [self._spec(scenario)],
            "episodes": episodes,
            "seed": seed if seed is not None else DEFAULT_SEED,  # --roboverify-seed overrides it
            "gates": [],
            **plan_fields,
        }
        if criteria is not None:
            named = criteria if isinstance(criteria, Mapping) else {name: {} for name in criteria}
            plan["criteria"] = {name: dict(config) for name, config in named.items()}
        text = yaml.safe_dump(plan, sort_keys=True).encode()
        label = f"{_safe(self.node_id)}-{hashlib.sha256(text).hexdigest()[:10]}"
        plan_path = (self.settings.out or self.shared) / "plans" / f"{label}.plan.yaml"
        if not plan_path.is_file() or plan_path.read_bytes() != text:
            plan_path.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(plan_path, text)
        run = run_plan_file(plan_path, label, self.settings, self.shared, self._rerun())
        self.properties += [
            ("roboverify.report", str(run.out_dir / REPORT)),
            ("roboverify.seed", run.report.plan.seed),
        ]
        return run

    def _spec(self, scenario: str) -> str:
        """A spec file relative to the test becomes absolute; a spec id stays as it is."""
        candidate = self.test_dir / scenario
        return (
            str(candidate.resolve())
            if scenario.endswith((".yaml", ".yml")) and candidate.is_file()
            else scenario
        )

    def _rerun(self) -> str:
        options = [
            ("--roboverify-seed", self.settings.seed),
            ("--roboverify-episodes", self.settings.episodes),
        ]
        flags = "".join(f" {flag} {value}" for flag, value in options if value is not None)
        return f"pytest {shlex.quote(self.node_id)}{flags}"


def _safe(node_id: str) -> str:
    """The test's name as a file name: its function and parameters, nothing a shell minds."""
    name = node_id.rsplit("::", 1)[-1]
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-")[:60] or "test"
