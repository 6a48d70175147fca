"""Sphinx configuration for the roboverify documentation.

Build with ``sphinx-build -W --keep-going -b html docs docs/_build/html``; the pages are MyST
Markdown, the API pages come from the docstrings (Google style, read by napoleon).
"""

from __future__ import annotations

import importlib
import sys
import types
import typing
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.util.inspect import TypeAliasForwardRef

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the harness and the built-in plugins import from the checkout

project = "roboverify"
author = "The roboverify maintainers"
copyright = "the roboverify maintainers"

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.viewcode",
]

source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
root_doc = "index"
exclude_patterns = ["_build", "images", "render_scenarios.py", "Thumbs.db", ".DS_Store"]

highlight_language = "text"  # unlabelled blocks are commands, output and diagrams

myst_enable_extensions = ["colon_fence", "dollarmath"]
myst_heading_anchors = 3  # links such as statistics.md#sequential-plans

napoleon_google_docstring = True
napoleon_numpy_docstring = False

autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_default_options = {"members": True, "show-inheritance": True, "exclude-members": "model_config"}
# type aliases shown by name in signatures, not expanded into their unions and validators
autodoc_type_aliases = {
    name: f"{module}.{name}"
    for module, names in {
        "harness.distributions": ["Distribution"],
        "harness.faults": ["FaultSpec"],
        "harness.plan.gates": ["Gate"],
        "harness.plan.models": ["Episodes"],
        "harness.records": ["FloatArray"],
        "harness.scenario": ["Conditions"],
        "harness.skill": ["Observation"],
        "harness.verdicts.statistics": ["IntervalMethod"],
        "harness.execution.runner": ["ResultHook"],
        "harness.episode.engine": ["SkillFactory", "CriteriaFactory"],
        "harness.plan.conditions": ["ConditionsByScenario"],
    }.items()
    for name in names
}

# Sphinx prints an alias nested in a generic (dict[str, Distribution]) by its repr,
# "TypeAliasForwardRef('...')"; its name is what belongs in the signature.
TypeAliasForwardRef.__repr__ = lambda self: self.name  # type: ignore[method-assign]

html_theme = "furo"
html_title = "roboverify"


# Pydantic models: their fields as a parameter list (type, default, description) instead of a
# constructor signature that spells out every validator.
ALIASES = {
    "Distribution": "harness.distributions",
    "FaultSpec": "harness.faults",
    "Gate": "harness.plan.gates",
}


def _alias_names() -> dict[frozenset[Any], str]:
    found = {}
    for name, module in ALIASES.items():
        alias = getattr(importlib.import_module(module), name)
        found[frozenset(typing.get_args(typing.get_args(alias)[0]))] = name
    return found


def _plain(annotation: Any, aliases: dict[frozenset[Any], str]) -> str:
    """An annotation without pydantic's metadata, known unions by their alias name."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        return _plain(args[0], aliases)
    if origin in (typing.Union, types.UnionType):
        if frozenset(args) in aliases:
            return aliases[frozenset(args)]
        return " | ".join(_plain(a, aliases) for a in args)
    if origin is typing.Literal:
        return " | ".join(repr(a) for a in args)
    if origin is not None:
        return f"{getattr(origin, '__name__', origin)}[{', '.join(_plain(a, aliases) for a in args)}]"
    if annotation is type(None):
        return "None"
    return getattr(annotation, "__name__", str(annotation))


def _is_model(obj: Any) -> bool:
    from pydantic import BaseModel

    return isinstance(obj, type) and issubclass(obj, BaseModel)


def _field_lines(app: Sphinx, what: str, name: str, obj: Any, options: Any, lines: list[str]) -> None:
    if what != "class" or not _is_model(obj) or not obj.model_fields:
        return
    aliases = _alias_names()
    lines.append("")
    for field, info in obj.model_fields.items():
        if info.is_required():
            default = "required"
        else:
            value = info.get_default(call_default_factory=True)
            default = f"default ``{value!r}``" if value or value is None or value == 0 else "default: empty"
        description = (info.description or "").rstrip(".")
        text = f"{description}; {default}" if description else default
        lines.append(f":param {field}: {text}.")
        lines.append(f":type {field}: {_plain(info.annotation, aliases)}")


def _no_model_signature(
    app: Sphinx, what: str, name: str, obj: Any, options: Any, signature: str, return_annotation: str
) -> tuple[str, str] | None:
    return ("", return_annotation) if what == "class" and _is_model(obj) else None


def setup(app: Sphinx) -> None:
    app.connect("autodoc-process-docstring", _field_lines)
    app.connect("autodoc-process-signature", _no_model_signature)
