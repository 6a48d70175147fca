"""Plugin lookup through entry points, ``module:Attr`` references and "did you mean" hints.

Built-in plugins are registered in ``pyproject.toml`` through the same entry-point groups a
third-party package uses, so nothing is imported until it is asked for. Skills that are faulty
on purpose sit in a group of their own, ``roboverify.known_bad_skills``: ``roboverify list``
leaves them out unless asked and ``roboverify selftest`` runs them, but a plan names them as it
names any skill (a skill lookup falls back to that group).
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
KNOWN_BAD: Literal["known_bad_skills"] = "known_bad_skills"
RegistryGroup = PluginKind | Literal["known_bad_skills"]
"""The plugin kinds and the known-bad skills: each one entry-point group, ``roboverify.<group>``."""


@dataclass(frozen=True)
class PluginInfo:
    """One registered plugin: its name, where it points and which distribution registers it."""

    kind: RegistryGroup
    name: str
    value: str
    distribution: str


_SINGULAR = {
    "skills": "skill", "scenarios": "scenario", "criteria": "criterion", "sims": "sim",
    "known_bad_skills": "known-bad skill",
}  # fmt: skip
RENAMED: dict[tuple[RegistryGroup, str], str] = {("criteria", "economics"): "energy"}
"""Built-in plugins under their former names: asking for one says what it is called now."""


def group_name(kind: RegistryGroup) -> str:
    return f"roboverify.{kind}"


@cache
def registered(kind: RegistryGroup) -> dict[str, EntryPoint]:
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


def lookup_entries(kind: RegistryGroup) -> dict[str, EntryPoint]:
    """What a name of ``kind`` can mean: for skills, the known-bad skills too; a name in both
    groups is an error, as a name registered twice is."""
    found = registered(kind)
    if kind != "skills":
        return found
    known_bad = registered(KNOWN_BAD)
    for name in sorted(found.keys() & known_bad.keys()):
        entry, bad = found[name], known_bad[name]
        raise DuplicatePluginError(
            f"skill '{name}' is registered twice: as a skill by '{_distribution(entry)}' ({entry.value}) "
            f"and as a known-bad skill by '{_distribution(bad)}' ({bad.value}); a skill is a product "
            "or faulty on purpose, not both: remove one of the two entry points"
        )
    return {**found, **known_bad}


def plugin_infos(kind: RegistryGroup) -> list[PluginInfo]:
    return [
        PluginInfo(kind, name, entry.value, _distribution(entry))
        for name, entry in sorted(registered(kind).items())
    ]


def is_reference(name: str) -> bool:
    """``package.module:Attr`` names an object directly instead of a registered name."""
    return ":" in name


def load_plugin(kind: RegistryGroup, name: str) -> Any:
    """Return the object a registered name or a ``module:Attr`` reference points to."""
    if is_reference(name):
        return load_reference(name)
    entries = lookup_entries(kind)
    entry = entries.get(name)
    if entry is None and (kind, name) in RENAMED:
        new = RENAMED[(kind, name)]
        raise UnknownPluginError(f"{_SINGULAR[kind]} '{name}' has been renamed '{new}'; use '{new}' instead")
    if entry is None:
        message = unknown_name_message(_SINGULAR[kind], name, list(entries), listing="Registered")
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
