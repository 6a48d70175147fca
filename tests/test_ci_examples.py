"""The CI examples in examples/ci: valid workflows, the commands the docs document, a quick plan
that a good skill passes in seconds and a faulty one fails.

The workflows are checked against the GitHub Actions and GitLab CI schemas that check-jsonschema
vendors, so the check works offline.
"""

from __future__ import annotations

import copy
import json
import re
import shlex
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from harness.cli import main
from harness.plan.resolve import load_plan

ROOT = Path(__file__).resolve().parents[1]
CI = ROOT / "examples" / "ci"
GITHUB = CI / "github-actions.yml"
GITLAB = CI / "gitlab-ci.yml"
HOOKS = CI / ".pre-commit-hooks.yaml"
QUICK = CI / "quick.plan.yaml"
DOCUMENTED_IN = (ROOT / "README.md", ROOT / "docs" / "ci.md")
SCHEMAS = {GITHUB: "vendor.github-workflows", GITLAB: "vendor.gitlab-ci"}
TOOLS = ("roboverify", "pytest")
GITLAB_SCRIPTS = ("before_script", "script", "after_script")
HOOK_REQUIRED = ("id", "name", "entry", "language")
HOOK_KEYS = {
    *HOOK_REQUIRED, "alias", "files", "exclude", "types", "types_or", "exclude_types", "always_run",
    "fail_fast", "verbose", "pass_filenames", "require_serial", "description", "language_version",
    "minimum_pre_commit_version", "args", "stages", "additional_dependencies", "log_file",
}  # fmt: skip

Document = dict[str, Any]
BOOL = "tag:yaml.org,2002:bool"


class Yaml12Loader(yaml.SafeLoader):
    """Booleans as YAML 1.2 and GitHub read them: a workflow's ``on:`` key stays the string "on"."""


Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != BOOL]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Yaml12Loader.add_implicit_resolver(BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


def load(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=Yaml12Loader)


def schema_errors(path: Path, schema: str) -> list[str]:
    """Where the file breaks the builtin schema (JSON paths); empty when it is valid."""
    command = [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, "-o", "json", str(path)]
    completed = subprocess.run(command, capture_output=True, text=True, check=False, timeout=120)
    result = json.loads(completed.stdout)
    parse_errors = result.get("parse_errors", [])
    assert parse_errors == [], parse_errors  # the file was read: a rejection is the schema's
    assert (completed.returncode == 0) == (result["status"] == "ok"), completed.stdout
    return [error["path"] for error in result["errors"]]


@pytest.mark.parametrize("path", list(SCHEMAS), ids=lambda p: p.name)
def test_the_workflow_is_yaml_that_its_schema_accepts(path: Path) -> None:
    assert isinstance(load(path), dict)
    assert schema_errors(path, SCHEMAS[path]) == []


def _without_runs_on(workflow: Document) -> None:
    del workflow["jobs"]["verify"]["runs-on"]


def _uses_and_run(workflow: Document) -> None:
    workflow["jobs"]["verify"]["steps"][0]["run"] = "echo both"


def _unknown_artifacts_when(pipeline: Document) -> None:
    pipeline["verify-skill"]["artifacts"]["when"] = "sometimes"


def _unknown_job_when(pipeline: Document) -> None:
    pipeline["verify-skill"]["when"] = "sometimes"


@pytest.mark.parametrize(
    ("path", "breaking", "where"),
    [
        pytest.param(GITHUB, _without_runs_on, "$.jobs.verify", id="github-job-without-runs-on"),
        pytest.param(GITHUB, _uses_and_run, "$.jobs.verify", id="github-step-with-uses-and-run"),
        pytest.param(
            GITLAB, _unknown_artifacts_when, "$['verify-skill'].artifacts.when", id="gitlab-artifacts-when"
        ),
        pytest.param(GITLAB, _unknown_job_when, "$['verify-skill'].when", id="gitlab-job-when"),
    ],
)
def test_the_schema_check_rejects_a_broken_copy(
    tmp_path: Path, path: Path, breaking: Callable[[Document], None], where: str
) -> None:
    broken = copy.deepcopy(load(path))
    breaking(broken)
    copied = tmp_path / path.name
    copied.write_text(yaml.safe_dump(broken, sort_keys=False), encoding="utf-8")
    assert load(copied) == broken  # the copy differs from the example only where it was broken
    assert where in schema_errors(copied, SCHEMAS[path])


def shell_lines(script: str) -> Iterator[str]:
    """The commands of a shell script: continuation lines joined, blank lines and comments dropped."""
    for line in script.replace("\\\n", " ").splitlines():
        if line.strip() and not line.strip().startswith("#"):
            yield line.strip()


def github_commands(workflow: Document) -> Iterator[str]:
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            yield from shell_lines(step.get("run", ""))


def gitlab_commands(pipeline: Document) -> Iterator[str]:
    for job in pipeline.values():
        if isinstance(job, dict):
            for key in GITLAB_SCRIPTS:
                for line in job.get(key, []):
                    yield from shell_lines("\n".join(line) if isinstance(line, list) else line)


def hook_commands(hooks: list[Document]) -> Iterator[str]:
    for hook in hooks:
        yield hook["entry"]


def runs_a_tool(command: str) -> bool:
    """roboverify or pytest, also as ``python -m pytest``."""
    words = shlex.split(command)
    if words[:2] in (["python", "-m"], ["python3", "-m"]):
        words = words[2:]
    return bool(words) and words[0] in TOOLS


def tool_commands() -> list[str]:
    found = [
        *github_commands(load(GITHUB)),
        *gitlab_commands(load(GITLAB)),
        *hook_commands(load(HOOKS)),
    ]
    return sorted({command for command in found if runs_a_tool(command)})


def test_the_commands_are_found() -> None:
    commands = tool_commands()
    assert any(command.startswith("roboverify verify ") for command in commands), commands
    assert any(command.startswith("pytest ") for command in commands), commands


@pytest.mark.parametrize("command", tool_commands())
def test_every_command_the_examples_run_is_documented(command: str) -> None:
    documentation = "\n".join(path.read_text(encoding="utf-8") for path in DOCUMENTED_IN)
    assert command in documentation


def test_the_hooks_have_the_keys_pre_commit_needs() -> None:
    hooks = load(HOOKS)
    assert isinstance(hooks, list)
    assert hooks
    for hook in hooks:
        assert all(isinstance(hook.get(key), str) and hook[key] for key in HOOK_REQUIRED), hook
        assert set(hook) <= HOOK_KEYS, set(hook) - HOOK_KEYS


def test_the_quick_hook_runs_a_plan_that_loads() -> None:
    (hook,) = [hook for hook in load(HOOKS) if hook["id"] == "roboverify-quick"]
    assert hook["language"] == "system"
    assert hook["pass_filenames"] is False
    words = shlex.split(hook["entry"])
    assert words[:2] == ["roboverify", "verify"]
    plan = ROOT / words[2]  # pre-commit runs a hook in the repository's root
    assert plan.is_file()
    assert load_plan(plan).scenarios


def test_the_quick_plan_is_small() -> None:
    resolved = load_plan(QUICK)
    assert [scenario.episodes for scenario in resolved.scenarios] == [5]


@pytest.mark.sim
def test_the_quick_plan_passes_a_good_skill(tmp_path: Path) -> None:
    out = tmp_path / "r"
    assert main(["verify", str(QUICK), "--out", str(out), "--quiet"]) == 0
    assert (out / "report.md").is_file()
    assert (out / "junit.xml").is_file()


@pytest.mark.sim
@pytest.mark.parametrize("skill", ["pick_place_crashing", "pick_place_dropping"])
def test_the_quick_plan_fails_a_faulty_skill(tmp_path: Path, skill: str) -> None:
    plan = load(QUICK)
    plan["skill"] = skill
    path = tmp_path / "quick.plan.yaml"
    path.write_text(yaml.safe_dump(plan, sort_keys=False), encoding="utf-8")
    assert main(["verify", str(path), "--out", str(tmp_path / "r"), "--quiet"]) == 1
