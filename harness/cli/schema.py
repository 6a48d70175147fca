"""``roboverify schema``: the JSON Schema of plans and scenario specs, for editors."""

from __future__ import annotations

import argparse
import json
import sys

from rich.console import Console

from harness.plan.models import Plan
from harness.spec import ScenarioSpec


def run(args: argparse.Namespace, console: Console) -> int:
    schemas = {"plan": Plan.model_json_schema(), "scenario": ScenarioSpec.model_json_schema()}
    chosen = schemas[args.which] if args.which else schemas
    sys.stdout.write(json.dumps(chosen, indent=2) + "\n")
    return 0
