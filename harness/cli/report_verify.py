"""``roboverify report verify DIR [--public-key PUB]``: every hash the report records, again.

One line per check, naming the file; exit 0 when all match, 1 when anything changed (or the
signature does not hold), 2 when the folder holds no checkable report or the key is unusable.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console

from harness.campaign.audit import Check, Status, audit_folder
from harness.cli.console import say
from harness.report.signature import (
    SIGNATURE,
    check_signature,
    fingerprint,
    load_public_key,
    read_report_bytes,
    read_signature,
)


def run(args: argparse.Namespace, console: Console) -> int:
    folder: Path = args.folder
    signed = _signature_check(folder, args.public_key)
    checks = [*audit_folder(folder), *signed]
    for check in checks:
        say(console, _line(check))
    if not signed and (folder / SIGNATURE).is_file():
        say(console, f"not checked: the signature {folder / SIGNATURE} (give --public-key PUB to check it)")
    changed = [check for check in checks if not check.ok]
    if changed:
        say(console, f"{len(changed)} of {len(checks)} checks failed: {', '.join(c.path for c in changed)}")
        return 1
    say(console, f"all {len(checks)} checks passed")
    return 0


def _signature_check(folder: Path, public_key: Path | None) -> list[Check]:
    """The signature's check with ``public_key``; none without a key. Read before anything is
    hashed, so that an unusable key or a missing signature stops at once."""
    if public_key is None:
        return []
    key = load_public_key(public_key)
    signature = read_signature(folder)
    problem = check_signature(read_report_bytes(folder), signature, key)
    status = Status.OK if problem is None else Status.FAILED
    note = problem or f"signed by {fingerprint(key)}"
    return [Check("signature", str(folder / SIGNATURE), status, note)]


def _line(check: Check) -> str:
    note = f" ({check.note})" if check.note else ""
    return f"{check.status.value:<8} {check.item}: {check.path}{note}"
