"""``roboverify report sign DIR --key KEY`` and ``roboverify report keygen --out KEY``."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console

from harness.campaign.audit import read_checkable_report
from harness.cli.console import say
from harness.report.signature import (
    SIGNATURE,
    fingerprint,
    generate_key,
    load_private_key,
    public_key_path,
    sign_report,
)
from harness.report.write import REPORT


def run(args: argparse.Namespace, console: Console) -> int:
    """Sign ``DIR/report.json`` into ``DIR/report.sig.json``."""
    folder: Path = args.folder
    key = load_private_key(args.key)
    read_checkable_report(folder)  # a run's report, not any file of that name
    signature = sign_report(folder, key)
    say(
        console,
        f"signed {folder / REPORT} (sha256 {signature.report_sha256}) with key {signature.key_fingerprint}: "
        f"{folder / SIGNATURE}",
    )
    return 0


def keygen(args: argparse.Namespace, console: Console) -> int:
    """Write a new Ed25519 key pair: ``KEY`` (private, mode 0600) and ``KEY.pub``."""
    out: Path = args.out
    public = generate_key(out)
    say(
        console,
        f"private key: {out} (keep it secret); public key: {public_key_path(out)}; "
        f"fingerprint {fingerprint(public)}",
    )
    return 0
