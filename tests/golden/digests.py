"""Digests of episode results, for the check that a change leaves behaviour as it was.

One short sha256 per episode over everything in its result but the wall-clock time, keyed by
``scenario#index``, for the built-in plan and every example plan. ``episodes.json`` holds them;
``python tests/golden/digests.py --check [PLAN ...]`` runs plans in full and lists every
episode that changed; without ``--check`` it writes their digests anew. Do that only for a change
that is meant to alter episodes, and say why in its commit.
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


def run_all(names: list[str]) -> dict[str, dict[str, str]]:
    from harness.campaign.run import run_plan
    from harness.execution.pool import LocalBackend
    from harness.plan.resolve import load_plan

    found = {}
    for name in names:
        print(f"running {name} ...", flush=True)
        found[name] = digests(run_plan(load_plan(PLANS[name]), backend=LocalBackend()).episodes)
    return found


def main(arguments: list[str]) -> int:
    check = "--check" in arguments
    names = [a for a in arguments if a != "--check"] or list(PLANS)
    found = run_all(names)
    if not check:  # the plans named are written anew, the others kept
        kept = json.loads(GOLDEN.read_text(encoding="utf-8")) if GOLDEN.exists() else {}
        GOLDEN.write_text(json.dumps({**kept, **found}, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"wrote {GOLDEN}")
        return 0
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    changed = [f"{n}: {key}" for n in names for key in sorted(golden[n].keys() | found[n].keys())
               if golden[n].get(key) != found[n].get(key)]  # fmt: skip
    print("\n".join(changed) or "every episode is unchanged")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
