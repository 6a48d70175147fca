"""The skill package's manifest: what a skill is, which version, what it is made for.

A skill declares its manifest once, as class attributes beside ``robot``, ``command_kind`` and
``observation_keys``::

    class PickPlaceSkill(Skill):
        name = "pick_place"
        version = "1.2.0"                       # PEP 440
        robot = "franka_panda"
        command_kind = "ee_pose"
        observation_keys = ("ee_position", "object_positions", ...)
        supports = ("workstation/pick_place*",)  # spec ids or fnmatch patterns
        maintainer = "Cell Automation Team <cells@example.org>"
        license = "Apache-2.0"
        Params = PickPlaceParams                # exported as JSON Schema

:func:`manifest_of` reads and validates them when a plan or a command loads the skill; a bad
value is a :class:`~harness.errors.SpecError` naming the class's file, line and attribute.
Undeclared ``name`` and ``version`` fall back to the registered name and the installing
distribution's version; undeclared ``supports`` means any scenario with the skill's robot.
"""

from __future__ import annotations

import fnmatch
import functools
import hashlib
import inspect
import re
from importlib.metadata import PackageNotFoundError, packages_distributions, version
from typing import Any

from packaging.version import InvalidVersion, Version
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from harness.errors import SpecError
from harness.skill import Skill

NAME_PATTERN = r"^[A-Za-z][A-Za-z0-9_.-]{0,99}$"
SUPPORT_PATTERN = re.compile(r"^[A-Za-z0-9_.*?\[\]/-]{1,200}$")
UNKNOWN_VERSION = "0+unknown"
DECLARED = ("name", "version", "supports", "maintainer", "license")


class SkillManifest(BaseModel):
    """A skill package's manifest, as the report and the history record it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=NAME_PATTERN, description="The skill package's name.")
    version: str = Field(description="PEP 440 version, e.g. 1.2.0 or 2.0.0rc1.")
    robot: str = Field(min_length=1)
    command_kind: str = Field(min_length=1)
    observation_keys: tuple[str, ...]
    supports: tuple[str, ...] = Field(
        description="Spec ids or fnmatch patterns (e.g. 'workstation/*'); empty: any scenario for its robot."
    )
    parameters: dict[str, Any] | None = Field(description="JSON Schema of the skill's params, if it has any.")
    maintainer: str = Field("", max_length=200)
    license: str = Field("", max_length=100, description="SPDX licence expression.")
    summary: str = Field("", description="The first line of the skill's docstring.")
    source: str = Field(description="module:qualname of the class.")
    declared: tuple[str, ...] = Field(description="Which manifest attributes the class declares itself.")

    @property
    def sha256(self) -> str:
        """Hash of the manifest as declared (not of the code: see the report's provenance)."""
        return hashlib.sha256(self.model_dump_json().encode()).hexdigest()

    def supports_scenario(self, spec_id: str) -> bool:
        return not self.supports or any(fnmatch.fnmatchcase(spec_id, pattern) for pattern in self.supports)


def manifest_of(cls: type[Skill], registered_name: str | None = None) -> SkillManifest:
    """The validated manifest of ``cls``, registered as ``registered_name`` (if it is)."""
    declared = tuple(
        key for key in DECLARED if (vars(cls).get(key) if key == "name" else _declared(cls, key))
    )
    params = getattr(cls, "Params", None)
    fields: dict[str, Any] = {
        "name": vars(cls).get("name") or registered_name or cls.__name__,  # a subclass is another skill
        "version": _declared(cls, "version") or _distribution_version(cls),
        "robot": getattr(cls, "robot", ""),
        "command_kind": getattr(cls, "command_kind", ""),
        "observation_keys": tuple(getattr(cls, "observation_keys", ())),
        "supports": tuple(getattr(cls, "supports", ())),
        "parameters": _parameters_schema(params),
        "maintainer": getattr(cls, "maintainer", ""),
        "license": getattr(cls, "license", ""),
        "summary": (inspect.getdoc(cls) or "").split("\n", 1)[0],
        "source": f"{cls.__module__}:{cls.__qualname__}",
        "declared": declared,
    }  # fmt: skip
    try:
        manifest = SkillManifest.model_validate(fields)
    except ValidationError as error:
        raise _error(cls, [_problem(cls, e["loc"], e["msg"]) for e in error.errors()]) from None
    problems = _version_problems(cls, manifest) + _support_problems(cls, manifest)
    if problems:
        raise _error(cls, problems)
    return manifest


def _parameters_schema(params: Any) -> dict[str, Any] | None:
    return params.model_json_schema() if isinstance(params, type) and issubclass(params, BaseModel) else None


def _declared(cls: type, key: str) -> Any:
    """The attribute as the class (or a skill base it derives from) declares it, else None."""
    for klass in cls.__mro__:
        if klass is Skill or klass is object:
            return None
        if key in vars(klass):
            return vars(klass)[key]
    return None


@functools.cache
def _top_level_packages() -> dict[str, list[str]]:
    """Which distribution installs each top-level package; slow to find (every file of every
    distribution), so found once per process: a plan load asks for it per skill."""
    return dict(packages_distributions())


def _distribution_version(cls: type) -> str:
    distributions = _top_level_packages().get(cls.__module__.split(".")[0], [])
    try:
        return version(distributions[0]) if distributions else UNKNOWN_VERSION
    except PackageNotFoundError:
        return UNKNOWN_VERSION


def _version_problems(cls: type, manifest: SkillManifest) -> list[str]:
    try:
        Version(manifest.version)
    except InvalidVersion:
        return [
            _problem(cls, ("version",), f"'{manifest.version}' is not a PEP 440 version; write e.g. '1.2.0'")
        ]
    return []


def _support_problems(cls: type, manifest: SkillManifest) -> list[str]:
    return [
        _problem(
            cls, ("supports", index), f"'{entry}' is not a spec id or pattern; write e.g. 'workstation/*'"
        )
        for index, entry in enumerate(manifest.supports)
        if not SUPPORT_PATTERN.match(entry)
    ]


def _problem(cls: type, location: tuple[Any, ...], message: str) -> str:
    where = ".".join(str(part) for part in location) or "manifest"
    return f"line {_line_of(cls)}, skill {cls.__qualname__}, attribute '{where}': {message}"


def _line_of(cls: type) -> int | str:
    try:
        return inspect.getsourcelines(cls)[1]
    except (OSError, TypeError):
        return "?"


def _error(cls: type, problems: list[str]) -> SpecError:
    try:
        file = inspect.getsourcefile(cls) or cls.__module__
    except TypeError:
        file = cls.__module__
    return SpecError(file, problems)
