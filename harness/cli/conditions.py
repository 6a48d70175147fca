"""``roboverify conditions``: write a plan's per-episode conditions without running anything."""

from __future__ import annotations

import argparse

from rich.console import Console

from harness.cli.trust import trust_policy
from harness.plan.conditions import sample_conditions, write_conditions
from harness.plan.jobs import with_overrides
from harness.plan.resolve import load_plan


def run(args: argparse.Namespace, console: Console) -> int:
    resolved = with_overrides(load_plan(args.plan, trust_policy(args)), args.episodes, args.seed)
    records = sample_conditions(resolved)
    write_conditions(args.out, records)
    console.print(f"wrote {len(records)} episode conditions to {args.out}")
    return 0
