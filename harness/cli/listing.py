"""``roboverify list``: what is installed, and what each plugin declares.

Known-bad skills (faulty on purpose, for ``roboverify selftest``) are counted, not shown, unless
``--known-bad`` asks for them: a list of products to choose from should hold only products.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from rich.console import Console
from rich.table import Table

from harness.criterion import Criterion
from harness.errors import RoboverifyError
from harness.known_bad import catch_of
from harness.registry import KNOWN_BAD, PLUGIN_KINDS, PluginInfo, load_plugin, plugin_infos
from harness.scenario import Scenario
from harness.skill import Skill
from harness.skill_manifest import manifest_of


def run(args: argparse.Namespace, console: Console) -> int:
    if args.known_bad:
        return print_known_bad(console)
    return print_plugins(console)


def print_plugins(console: Console) -> int:
    for kind in PLUGIN_KINDS:
        console.print(_table(kind, plugin_infos(kind), _details))
    hidden = len(plugin_infos(KNOWN_BAD))
    if hidden:
        console.print(
            f"{hidden} known-bad skills (faulty on purpose, for 'roboverify selftest') are hidden; "
            "'roboverify list --known-bad' shows them"
        )
    return 0


def print_known_bad(console: Console) -> int:
    title = "known-bad skills (faulty on purpose: 'roboverify selftest' checks each is caught)"
    console.print(_table(title, plugin_infos(KNOWN_BAD), _known_bad_details))
    return 0


def _table(title: str, infos: list[PluginInfo], details: Callable[[PluginInfo], str]) -> Table:
    table = Table(title=title, title_justify="left")
    for column in ("name", "details", "from"):
        table.add_column(column)
    for info in infos:
        table.add_row(info.name, details(info), f"{info.distribution} ({info.value})")
    return table


def _known_bad_details(info: PluginInfo) -> str:
    try:
        plugin = load_plugin(info.kind, info.name)
        catch = catch_of(info.name, plugin)
    except (RoboverifyError, ImportError) as error:  # one broken declaration must not hide the others
        return f"[red]cannot load: {error}[/]"
    return f"caught as: {catch.describe()}\non: {catch.spec}\n{_doc(plugin)}"


def _details(info: PluginInfo) -> str:
    try:
        plugin = load_plugin(info.kind, info.name)
        if isinstance(plugin, type) and issubclass(plugin, Skill):
            return _skill_details(plugin, info.name)
    except Exception as error:  # a broken third-party plugin must not hide the others
        return f"[red]cannot load: {error}[/]"
    if isinstance(plugin, type) and issubclass(plugin, Scenario):
        return _scenario_details(plugin)
    if isinstance(plugin, type) and issubclass(plugin, Criterion):
        return _criterion_details(plugin)
    return _doc(plugin)


def _skill_details(plugin: type[Skill], name: str) -> str:
    manifest = manifest_of(plugin, name)  # a bad manifest is shown as the reason it cannot load
    supports = ", ".join(manifest.supports) or "any scenario for its robot"
    return (
        f"version {manifest.version}, robot {manifest.robot}, commands '{manifest.command_kind}', "
        f"supports {supports}. {_doc(plugin)}"
    )


def _scenario_details(plugin: type[Scenario]) -> str:
    faults = ", ".join(sorted({"sensor_dropout", *plugin.fault_kinds}))
    endurance = "yes" if plugin.next_cycle is not Scenario.next_cycle else "no"
    lines = [
        _doc(plugin),
        f"specs: {', '.join(plugin.builtin_specs) or 'none built in'}",
        f"injectable faults: {faults}; endurance runs: {endurance}",
        "randomised:",
    ]
    for name, parameter in plugin.parameters.items():
        per_object = " per object" if parameter.per_object else ""
        lines.append(f"  {name} ~ {parameter.default.describe()} {parameter.units}{per_object}")
    return "\n".join(lines)


def _criterion_details(plugin: type[Criterion]) -> str:
    params = ", ".join(f"{name}={field.default!r}" for name, field in plugin.Params.model_fields.items())
    return f"{_doc(plugin)}\nthresholds: {params or 'none'} (units: {plugin.units or '-'})"


def _doc(plugin: Any) -> str:
    return (plugin.__doc__ or "").strip().splitlines()[0] if plugin.__doc__ else ""
