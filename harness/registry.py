"""Plugin lookup through entry points, ``module:Attr`` references and "did you mean" hints.

Built-in plugins are registered in ``pyproject.toml`` through the same entry-point groups a
third-party package uses, so nothing is imported until it is asked for.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cache
from importlib.metadata import EntryPoint, entry_points
from typing import Any, Literal

from harness.errors import DuplicatePluginError, UnknownPluginError, unknown_name_message

PluginKind = Literal["skills", "scenarios", "criteria", "sims"]
PLUGIN_KINDS: tuple[PluginKind, ...] = ("skills", "scenarios", "criteria", "sims")


@dataclass(frozen=True)
class PluginInfo:
    """One registered plugin: its name, where it points and which distribution registers it."""

    kind: PluginKind
    name: str
    value: str
    distribution: str


_SINGULAR = {"skills": "skill", "scenarios": "scenario", "criteria": "criterion", "sims": "sim"}
RENAMED: dict[tuple[PluginKind, str], str] = {("criteria", "economics"): "energy"}
"""Built-in plugins under their former names: asking for one says what it is called now."""


def group_name(kind: PluginKind) -> str:
    return f"roboverify.{kind}"


@cache
def registered(kind: PluginKind) -> dict[str, EntryPoint]:
    """Entry points of one group by name; a name registered by two distributions is an error."""
    found: dict[str, EntryPoint] = {}
    for entry in entry_points(group=group_name(kind)):
        previous = found.get(entry.name)
        if previous is not None and previous.value != entry.value:
            raise DuplicatePluginError(
                f"{_SINGULAR[kind]} '{entry.name}' is registered twice: by "
                f"'{_distribution(previous)}' ({previous.value}) and by "
                f"'{_distribution(entry)}' ({entry.value}); uninstall one of them"
            )
        found[entry.name] = entry
    return found


def _distribution(entry: EntryPoint) -> str:
    dist = entry.dist
    return dist.name if dist is not None else "unknown distribution"


def plugin_infos(kind: PluginKind) -> list[PluginInfo]:
    return [
        PluginInfo(kind, name, entry.value, _distribution(entry))
        for name, entry in sorted(registered(kind).items())
    ]


def is_reference(name: str) -> bool:
    """``package.module:Attr`` names an object directly instead of a registered name."""
    return ":" in name


def load_plugin(kind: PluginKind, name: str) -> Any:
    """Return the object a registered name or a ``module:Attr`` reference points to."""
    if is_reference(name):
        return load_reference(name)
    entry = registered(kind).get(name)
    if entry is None and (kind, name) in RENAMED:
        new = RENAMED[(kind, name)]
        raise UnknownPluginError(f"{_SINGULAR[kind]} '{name}' has been renamed '{new}'; use '{new}' instead")
    if entry is None:
        message = unknown_name_message(_SINGULAR[kind], name, list(registered(kind)), listing="Registered")
        raise UnknownPluginError(f"{message} A 'package.module:Attribute' reference is accepted too.")
    try:
        return entry.load()
    except (ImportError, AttributeError) as error:
        raise UnknownPluginError(
            f"{_SINGULAR[kind]} '{name}' is registered by '{_distribution(entry)}' as '{entry.value}', "
            f"but loading it failed: {error}; reinstall or fix that package"
        ) from error


def load_reference(reference: str) -> Any:
    module_name, _, attribute_path = reference.partition(":")
    if not module_name or not attribute_path:
        raise UnknownPluginError(
            f"reference '{reference}' needs a module and an attribute, as in 'package.module:Attribute'"
        )
    try:
        target: Any = importlib.import_module(module_name)
    except ImportError as error:
        raise UnknownPluginError(
            f"cannot import module '{module_name}' of reference '{reference}': {error}; "
            "check that the package is installed and the module path is spelled right"
        ) from error
    for attribute in attribute_path.split("."):
        if not hasattr(target, attribute):
            raise UnknownPluginError(
                f"module '{module_name}' has no attribute '{attribute_path}' "
                f"(from reference '{reference}'); expected 'package.module:Attribute'"
            )
        target = getattr(target, attribute)
    return target
