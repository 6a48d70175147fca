"""Digests of episode results, for the check that a change leaves behaviour as it was.

One short sha256 per episode over everything in its result but the wall-clock time, keyed by
``scenario#index``, for the built-in plan and every example plan. ``episodes.json`` holds them;
``python tests/golden/digests.py`` runs every plan in full and writes it anew. Do that only
for a change that is meant to alter episodes, and say why in its commit.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).with_name("episodes.json")
PLANS = {"default": None, **{p.stem: p for p in sorted((ROOT / "examples" / "plans").glob("*.yaml"))}}


def digest(episode: Any) -> str:
    """sha256 (first 16 hex digits) of an episode result without its wall-clock time."""
    data = json.loads(episode.model_dump_json())
    data["timing"].pop("wall_s")
    text = json.dumps(data, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def digests(episodes: Any) -> dict[str, str]:
    return {f"{e.scenario}#{e.index}": digest(e) for e in episodes}


def regenerate() -> None:
    from harness.campaign.run import run_plan
    from harness.execution.pool import LocalBackend
    from harness.plan.resolve import load_plan

    found = {}
    for name, path in PLANS.items():
        print(f"running {name} ...", flush=True)
        found[name] = digests(run_plan(load_plan(path), backend=LocalBackend()).episodes)
    GOLDEN.write_text(json.dumps(found, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {GOLDEN}")


if __name__ == "__main__":
    sys.exit(regenerate())
