"""Which plugins and files a plan may name: every one (the default), or, for plans that are
not trusted, only plugins installed through entry points and files under trusted folders.

:class:`TrustPolicy` is the one place this is decided; the resolver asks it about every plugin
name (skill, baseline skill, criteria, a spec's scenario kind and sim) and every spec path, and
the commands ask it about the files given on their command line (a conditions file, a spec
for ``check-skill``). See docs/security.md for what it guarantees and what it does not.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from harness.errors import UsageError
from harness.registry import RegistryGroup, group_name, is_reference

ENVIRONMENT = "ROBOVERIFY_TRUSTED_PLUGINS_ONLY"
"""Set to ``1`` (or ``true``, ``yes``, ``on``) to turn ``--trusted-plugins-only`` on, e.g. in CI."""
_TRUE = ("1", "true", "yes", "on")
_OPTION = f"--trusted-plugins-only (or {ENVIRONMENT}=1)"


@dataclass(frozen=True)
class TrustPolicy:
    """``trusted_plugins_only``: refuse ``module:Attr`` references and files outside the working
    directory and ``trusted_dirs``. Off, everything is accepted, as before."""

    trusted_plugins_only: bool = False
    trusted_dirs: tuple[Path, ...] = ()

    @classmethod
    def from_environment(
        cls,
        trusted_plugins_only: bool = False,
        trusted_dirs: Iterable[Path] = (),
        environ: Mapping[str, str] | None = None,
    ) -> TrustPolicy:
        """The policy the options ask for, turned on also by ``ROBOVERIFY_TRUSTED_PLUGINS_ONLY``."""
        value = (os.environ if environ is None else environ).get(ENVIRONMENT, "")
        on = trusted_plugins_only or value.strip().lower() in _TRUE
        return cls(on, tuple(trusted_dirs))

    def roots(self) -> list[Path]:
        """The folders whose files may be read: the working directory and every trusted one."""
        return [Path.cwd().resolve(), *(folder.resolve() for folder in self.trusted_dirs)]

    def refuse_plugin(self, kind: RegistryGroup, name: str) -> str | None:
        """Why the plugin ``name`` of ``kind`` (e.g. ``skills``) may not be loaded, or None."""
        if not self.trusted_plugins_only or not is_reference(name):
            return None
        return (
            f"'{name}' is a module:Attr reference, which {_OPTION} refuses: it would import code the "
            f"plan names; register it through an installed package's entry points (group "
            f"'{group_name(kind)}') and give its registered name, or run without the option"
        )

    def refuse_path(self, path: Path) -> str | None:
        """Why the file ``path`` may not be read, or None."""
        if not self.trusted_plugins_only:
            return None
        real = path.resolve()
        roots = self.roots()
        if any(real.is_relative_to(root) for root in roots):
            return None
        folders = " or ".join(f"'{root}'" for root in roots)
        return (
            f"'{path}' is outside {folders}, which {_OPTION} refuses; move the file under the "
            "working directory, or name its folder with --trusted-dir DIR"
        )

    def check_path(self, path: Path, what: str) -> None:
        """Raise :class:`UsageError` (exit 2) when ``path``, given as ``what``, is refused."""
        refusal = self.refuse_path(path)
        if refusal is not None:
            raise UsageError(f"{what}: {refusal}")

    def check_plugin(self, kind: RegistryGroup, name: str, what: str) -> None:
        """Raise :class:`UsageError` (exit 2) when the plugin ``name``, given as ``what``, is refused."""
        refusal = self.refuse_plugin(kind, name)
        if refusal is not None:
            raise UsageError(f"{what}: {refusal}")
