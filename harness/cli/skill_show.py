"""``roboverify skill show NAME``: a skill package's manifest, as a table or as JSON."""

from __future__ import annotations

import argparse
import json

from rich.console import Console
from rich.table import Table

from harness.cli.trust import trust_policy
from harness.errors import UsageError
from harness.plan.trust import TrustPolicy
from harness.registry import is_reference, load_plugin
from harness.skill import Skill
from harness.skill_manifest import SkillManifest, manifest_of

FIELDS = ("name", "version", "robot", "command_kind", "observation_keys", "supports", "maintainer", "license")


def run(args: argparse.Namespace, console: Console) -> int:
    manifest = load_manifest(args.name, trust_policy(args))
    if args.format == "json":
        console.print_json(json.dumps({**manifest.model_dump(mode="json"), "sha256": manifest.sha256}))
        return 0
    console.print(manifest_table(manifest))
    if manifest.parameters is not None:
        console.print("parameters (JSON Schema): roboverify skill show NAME --format json", style="dim")
    return 0


def load_manifest(name: str, policy: TrustPolicy | None = None) -> SkillManifest:
    """The manifest of the skill registered as ``name`` (or ``module:Class``), validated."""
    (policy or TrustPolicy()).check_plugin("skills", name, "skill")
    found = load_plugin("skills", name)
    if not (isinstance(found, type) and issubclass(found, Skill)):
        raise UsageError(f"'{name}' is {found!r}, not a skill class")
    return manifest_of(found, None if is_reference(name) else name)


def manifest_table(manifest: SkillManifest) -> Table:
    table = Table(title=f"skill {manifest.name} {manifest.version}", title_justify="left", show_header=False)
    table.add_column("field", style="bold")
    table.add_column("value", overflow="fold")
    for key in FIELDS:
        table.add_row(key, _shown(manifest, key))
    table.add_row("parameters", ", ".join(_parameter_names(manifest)) or "none")
    table.add_row("summary", manifest.summary)
    table.add_row("source", manifest.source)
    table.add_row("manifest sha256", manifest.sha256[:16])
    return table


def _shown(manifest: SkillManifest, key: str) -> str:
    value = getattr(manifest, key)
    text = ", ".join(value) if isinstance(value, tuple) else str(value)
    if key == "supports" and not value:
        text = f"any scenario with robot {manifest.robot}"
    if key in ("name", "version", "supports", "maintainer", "license") and key not in manifest.declared:
        text = f"{text or '-'} (not declared)"
    return text


def _parameter_names(manifest: SkillManifest) -> list[str]:
    properties = (manifest.parameters or {}).get("properties", {})
    return [str(name) for name in properties]
