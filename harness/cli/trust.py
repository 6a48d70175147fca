"""The trust policy the command line asks for: ``--trusted-plugins-only``, ``--trusted-dir``
and ``ROBOVERIFY_TRUSTED_PLUGINS_ONLY`` (see docs/security.md)."""

from __future__ import annotations

import argparse

from harness.plan.trust import TrustPolicy


def trust_policy(args: argparse.Namespace) -> TrustPolicy:
    return TrustPolicy.from_environment(args.trusted_plugins_only, args.trusted_dir or ())
