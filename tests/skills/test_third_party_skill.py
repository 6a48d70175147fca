"""A third-party skill package, installed next to roboverify, works untouched.

``examples/third_party_skill`` is a complete distribution (``roboverify-sweep-picker``) with a
skill registered under ``roboverify.skills``. Two ways in:

- fast, in this process: the package goes into a directory on ``sys.path`` with a
  ``.dist-info`` folder built from its own ``pyproject.toml``, the way a wheel lays it out
  (as ``tests/criteria/test_third_party.py`` does for the example criterion);
- for real: a brand-new virtual environment, roboverify installed into it from this checkout
  and the example by ``pip install`` of its directory, then ``roboverify list``, ``roboverify
  verify`` of the example's plan and the package's own tests, all in that environment. Its
  dependencies (numpy, pybullet, ...) come from this interpreter's site-packages through a
  ``.pth`` file instead of the index, which keeps it to about 40 s (a minute on a busy machine).
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import site
import subprocess
import sys
import time
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from harness.cli import main
from harness.plan.resolve import load_plan
from harness.registry import load_plugin, plugin_infos, registered
from harness.skill_manifest import manifest_of

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "third_party_skill"
PLAN = EXAMPLE / "verification.yaml"
MODULE = "sweep_picker"
PROJECT = tomllib.loads((EXAMPLE / "pyproject.toml").read_text(encoding="utf-8"))["project"]
DISTRIBUTION, VERSION = PROJECT["name"], PROJECT["version"]
MANIFEST = {
    "name": "sweep_picker",
    "version": VERSION,
    "maintainer": "Sweep Robotics <skills@sweep-robotics.example>",
    "license": "MIT",
    "robot": "franka_panda",
    "command_kind": "ee_pose",
    "supports": ["workstation/pick_place*"],
}
ROBOVERIFY_SOURCES = ("pyproject.toml", "README.md", "harness", "skills", "scenarios", "criteria", "sims")
NOT_BUILT = shutil.ignore_patterns("__pycache__", "*.egg-info", "build", ".pytest_cache")


def test_the_example_is_a_distribution_that_registers_its_skill() -> None:
    assert DISTRIBUTION == "roboverify-sweep-picker" and VERSION == "0.3.0"
    assert PROJECT["entry-points"]["roboverify.skills"] == {"sweep_picker": "sweep_picker:SweepPicker"}
    assert (EXAMPLE / PROJECT["readme"]).is_file() and (EXAMPLE / "tests").is_dir()


def test_the_example_imports_no_builtin_skill_and_no_harness_stage() -> None:
    """Beyond tests/test_layers.py's rule for every example: not the built-in skills either."""
    stages = {"cli", "campaign", "report", "verdicts", "execution", "episode", "plan", "testing"}
    found = []
    for path in sorted((EXAMPLE / MODULE).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            names += [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            for name in names:
                parts = name.split(".")
                if parts[0] in {"skills", "pybullet"} or (parts[0] == "harness" and set(parts[1:2]) & stages):
                    found.append(f"{path.name}: {name}")
    assert found == []


def test_the_examples_own_import_contract_holds() -> None:
    """``lint-imports`` in the example's directory, with its own ``[tool.importlinter]``."""
    pytest.importorskip("importlinter")
    env = {**os.environ, "PYTHONPATH": str(EXAMPLE)}
    command = [
        sys.executable,
        "-c",
        "import sys; from importlinter.cli import lint_imports_command as c; sys.exit(c())",
    ]
    done = subprocess.run(
        [*command, "--no-cache"], cwd=EXAMPLE, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout[-3000:]
    assert "1 kept, 0 broken" in done.stdout


# fast: a site directory laid out as pip lays out a wheel -------------------------------------------
@pytest.fixture
def site_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    packages = tmp_path / "site"
    shutil.copytree(EXAMPLE / MODULE, packages / MODULE, ignore=NOT_BUILT)
    info = packages / f"{DISTRIBUTION.replace('-', '_')}-{VERSION}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {DISTRIBUTION}\nVersion: {VERSION}\n", encoding="utf-8"
    )
    lines = [f"{name} = {value}" for name, value in PROJECT["entry-points"]["roboverify.skills"].items()]
    (info / "entry_points.txt").write_text(
        "[roboverify.skills]\n" + "\n".join(lines) + "\n", encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(packages))
    registered.cache_clear()
    yield packages
    registered.cache_clear()
    for name in [name for name in sys.modules if name == MODULE or name.startswith(f"{MODULE}.")]:
        del sys.modules[name]


def test_found_by_name_with_its_distribution_and_manifest(site_dir: Path) -> None:
    skill_class = load_plugin("skills", "sweep_picker")
    infos = {info.name: info for info in plugin_infos("skills")}
    assert infos["sweep_picker"].distribution == DISTRIBUTION
    manifest = manifest_of(skill_class, "sweep_picker").model_dump(mode="json")
    assert {key: manifest[key] for key in MANIFEST} == MANIFEST
    assert set(manifest["parameters"]["properties"]) >= {"speed", "approach_height"}


def test_listed_with_its_version(site_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if " sweep_picker " in line)
    assert VERSION in line and DISTRIBUTION in line  # the manifest's version, the distribution


@pytest.mark.sim
def test_its_plan_runs_and_the_report_records_the_manifest(site_dir: Path, tmp_path: Path) -> None:
    assert load_plan(PLAN).skill_class.__module__ == f"{MODULE}.picker"
    plan = yaml.safe_load(PLAN.read_text(encoding="utf-8"))  # three episodes show no success rate
    plan["gates"] = [gate for gate in plan["gates"] if gate["metric"] == "zero_events"]
    (tmp_path / "plan.yaml").write_text(yaml.safe_dump(plan), encoding="utf-8")
    out = tmp_path / "out"
    arguments = ["--episodes", "3", "--backend", "inprocess", "--quiet", "--out", str(out)]
    code = main(["verify", str(tmp_path / "plan.yaml"), *arguments])
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert code == 0, report["verdict"]
    (skill,) = report["provenance"]["skills"]
    assert {key: skill["manifest"][key] for key in MANIFEST} == MANIFEST
    assert [episode["outcome"] for episode in report["episodes"]] == ["success"] * 3


# for real: pip install into a brand-new virtual environment ------------------------------------------
def _run(command: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=300)
    assert done.returncode == 0, (
        f"{' '.join(command)} exited {done.returncode}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    )
    return done


def _clean_environment() -> dict[str, str]:
    """This process's environment without what would leak the checkout or this pytest run into it."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"} and not key.startswith("PYTEST_")
    }
    env["COLUMNS"] = "200"  # roboverify list prints a table: keep each row on one line
    return env


@pytest.mark.sim
def test_pip_install_into_a_fresh_venv_then_list_verify_and_its_own_tests(tmp_path: Path) -> None:
    started = time.perf_counter()
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    purelib = _run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], tmp_path, {}
    )
    # roboverify's dependencies, already installed here, instead of a download from the index
    here = [path for path in (*site.getsitepackages(), site.getusersitepackages()) if Path(path).is_dir()]
    Path(purelib.stdout.strip(), "roboverify-dependencies.pth").write_text(
        "\n".join(here) + "\n", encoding="utf-8"
    )
    # build from copies: an in-tree build would leave build/ and *.egg-info in the checkout
    source, package = tmp_path / "roboverify", tmp_path / "sweep-picker"
    for name in ROBOVERIFY_SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=NOT_BUILT)
        else:
            source.mkdir(exist_ok=True)
            shutil.copy(ROOT / name, source / name)
    shutil.copytree(EXAMPLE, package, ignore=NOT_BUILT)
    env = _clean_environment()
    pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    _run([*pip, "--no-deps", str(source)], tmp_path, env)
    _run([*pip, str(package)], tmp_path, env)  # the example as its users install it, dependencies checked

    where = _run(
        [str(python), "-c", "import harness, sweep_picker; print(harness.__file__, sweep_picker.__file__)"],
        tmp_path,
        env,
    )
    assert all(Path(path).is_relative_to(venv) for path in where.stdout.split()), where.stdout

    listed = _run([str(venv / "bin" / "roboverify"), "list"], tmp_path, env).stdout
    line = next(line for line in listed.splitlines() if " sweep_picker " in line)
    assert VERSION in line and DISTRIBUTION in line  # the manifest's version, the distribution

    out = tmp_path / "out"
    _run(
        [
            str(venv / "bin" / "roboverify"),
            "verify",
            str(PLAN.relative_to(ROOT)),
            "--quiet",
            "--out",
            str(out),
        ],
        ROOT,
        env,
    )
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["verdict"] == "pass"
    (skill,) = report["provenance"]["skills"]
    assert {key: skill["manifest"][key] for key in MANIFEST} == MANIFEST

    tests = _run([str(python), "-m", "pytest", "-q", str(package / "tests")], tmp_path, env).stdout
    assert " passed" in tests and "failed" not in tests and "skipped" not in tests, tests[-2000:]
    assert time.perf_counter() - started < 120, "the fresh install has become slow: mark it slow"
