"""The ``roboverify`` command: verify, list, schema."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from harness.backends import BACKENDS, describe, make_backend
from harness.campaign import Campaign
from harness.conditions import read_conditions, sample_conditions, write_conditions
from harness.console import episode_progress, print_summary
from harness.errors import RoboverifyError, UsageError
from harness.flakiness import compare_reruns
from harness.listing import print_plugins
from harness.plan_size import print_plan_size
from harness.report import with_baseline, with_comparisons, with_flakiness, with_improvements
from harness.resolve import ResolvedPlan, load_plan
from harness.results import EpisodeResult
from harness.runner import Backend, rerun_jobs, run_plan, with_conditions, with_overrides
from harness.specs import Plan, ScenarioSpec

EXIT_USAGE = 2


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    # logs (CI) get a fixed width instead of rich's 80-column fallback
    console = Console(width=None if sys.stdout.isatty() else 120)
    errors = Console(stderr=True)
    try:
        code: int = args.handler(args, console)
        return code
    except RoboverifyError as error:
        errors.print(f"[bold red]error:[/] {escape(str(error))}", highlight=False, soft_wrap=True)
        return error.exit_code
    except KeyboardInterrupt:
        errors.print("interrupted")
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="roboverify", description="Verify robot skills in simulation.")
    commands = parser.add_subparsers(dest="command", required=True)
    verify = commands.add_parser("verify", help="run a verification plan and write a report")
    verify.add_argument("plan", nargs="?", type=Path, help="plan YAML (default: the built-in plan)")
    verify.add_argument("--out", type=Path, help="output directory (default: reports/<timestamp>)")
    verify.add_argument("--episodes", type=_positive, help="episodes per scenario (overrides the plan)")
    verify.add_argument("--seed", type=_seed, help="base seed (overrides the plan)")
    verify.add_argument(
        "--conditions", type=Path, help="run exactly the episodes of this file (from 'roboverify conditions')"
    )
    verify.add_argument(
        "--ci", choices=("wilson", "exact"), help="interval for every rate (default: the plan's, Wilson)"
    )
    verify.add_argument(
        "--baseline-report", help="an earlier report.json: add non-inferiority verdicts against it"
    )
    verify.add_argument(
        "-j",
        "--jobs",
        type=_positive,
        help="episodes run at once: worker processes (default: every core), or Ray workers "
        "(default: every CPU of the cluster)",
    )
    verify.add_argument(
        "--backend",
        choices=BACKENDS,
        default="local",
        help="where episodes run: isolated worker processes here (default), on a Ray cluster, "
        "or in this process without isolation (for debugging)",
    )
    verify.add_argument("--address", help="Ray cluster address (default: RAY_ADDRESS, else a local Ray)")
    verify.add_argument(
        "--resume", action="store_true", help="continue the interrupted run in --out (same plan and options)"
    )
    verify.add_argument("--quiet", action="store_true", help="no progress bar: one line per scenario")
    verify.set_defaults(handler=_verify)
    conditions = commands.add_parser(
        "conditions", help="write the plan's per-episode conditions (JSON Lines) without running anything"
    )
    conditions.add_argument("plan", nargs="?", type=Path, help="plan YAML (default: the built-in plan)")
    conditions.add_argument("--out", type=Path, required=True, help="file to write")
    conditions.add_argument("--episodes", type=_positive, help="episodes per scenario (overrides the plan)")
    conditions.add_argument("--seed", type=_seed, help="base seed (overrides the plan)")
    conditions.set_defaults(handler=_conditions)
    listing = commands.add_parser("list", help="list registered skills, scenarios, criteria and sims")
    listing.set_defaults(handler=lambda args, console: print_plugins(console))
    size = commands.add_parser("plan-size", help="episodes a success-rate gate needs")
    size.add_argument("--min", type=_rate, required=True, help="the gate's minimum success rate, e.g. 0.9")
    size.add_argument("--confidence", type=_rate, default=0.95)
    size.add_argument("--failures", type=int, default=3, help="show counts for 0..N failures (default 3)")
    size.add_argument("--ci", choices=("exact", "wilson"), default="exact")
    size.add_argument("--p1", type=_rate, help="a good skill's rate: also size a sequential test")
    size.set_defaults(handler=_plan_size)
    schema = commands.add_parser("schema", help="print the JSON Schema of plans and scenario specs")
    schema.add_argument("which", nargs="?", choices=("plan", "scenario"), help="only one of them")
    schema.set_defaults(handler=_schema)
    return parser


def _rate(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number between 0 and 1, got {text!r}") from None
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"expected a number strictly between 0 and 1, got {text!r}")
    return value


def _plan_size(args: argparse.Namespace, console: Console) -> int:
    if args.p1 is not None and args.p1 <= args.min:
        raise UsageError(f"--p1 ({args.p1:g}) must be above --min ({args.min:g})")
    if not 0 <= args.failures <= 50:
        raise UsageError(f"--failures must be between 0 and 50, got {args.failures}")
    return print_plan_size(console, args.min, args.confidence, args.failures, args.ci, args.p1)


def _positive(text: str) -> int:
    value = _integer(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {text!r}")
    return value


def _seed(text: str) -> int:
    value = _integer(text)
    if not 0 <= value < 2**63:
        raise argparse.ArgumentTypeError(f"expected a seed between 0 and 2**63-1, got {text!r}")
    return value


def _integer(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None


def _verify(args: argparse.Namespace, console: Console) -> int:
    resolved = with_overrides(load_plan(args.plan), args.episodes, args.seed, args.ci)
    given = None
    if args.conditions is not None:
        if args.episodes is not None or args.seed is not None:
            raise UsageError("--conditions fixes every episode and its seed; drop --episodes and --seed")
        given = read_conditions(args.conditions, resolved)
        resolved = with_conditions(resolved, given)
    if args.resume and args.out is None:
        raise UsageError("--resume needs the --out folder of the run to continue")
    out_dir: Path = args.out or Path("reports") / datetime.now().strftime("%Y%m%d-%H%M%S")
    backend = make_backend(args.backend, args.jobs, address=args.address, log=out_dir / "workers.log")
    opened = Campaign.resume if args.resume else Campaign.start
    with opened(out_dir, resolved, given, args.conditions) as campaign:
        return _run(args, console, campaign, backend)


def _run(args: argparse.Namespace, console: Console, campaign: Campaign, backend: Backend) -> int:
    resolved, out_dir = campaign.resolved, campaign.out_dir
    _announce(console, campaign, describe(backend))
    try:
        with episode_progress(console, resolved, args.quiet, campaign.restored) as on_result:
            report = campaign.run(backend, on_result)
    except KeyboardInterrupt:
        console.print(
            f"interrupted: {campaign.finished} of {campaign.total} episodes are saved in {out_dir}; "
            f"continue with: roboverify verify {_plan_argument(args)}--out {out_dir} --resume",
            highlight=False,
            markup=False,
            soft_wrap=True,  # one line: the command can be copied as it is
        )
        return 130
    if args.baseline_report is not None:
        report = with_baseline(report, resolved, args.baseline_report)
    reruns = rerun_jobs(report.episodes, resolved.plan.reliability.rerun_episodes)
    if reruns:
        console.print(f"running {len(reruns)} episode(s) again to check that results repeat")
        again: list[EpisodeResult] = []
        backend.run(resolved, reruns, again.append)
        report = with_flakiness(report, compare_reruns(report.episodes, again))
    baselines = [b for s in resolved.scenarios if (b := s.as_baseline()) is not None]
    if baselines:
        console.print(f"running the baseline skill on the same {len(baselines)} scenario(s)'s episodes")
        comparison = dataclasses.replace(resolved, scenarios=baselines)
        baseline_report = run_plan(comparison, None, campaign.given, backend=backend)
        report = with_improvements(report, resolved, baseline_report.episodes)
        names = ", ".join(dict.fromkeys(f"baseline skill '{b.skill.name}'" for b in baselines))
        report = with_comparisons(report, resolved, baseline_report.episodes, names)
    path = campaign.write(report)
    print_summary(console, report)
    console.print(f"report: {path}")
    return report.verdict.exit_code


def _skills(resolved: ResolvedPlan) -> str:
    names = list(dict.fromkeys(s.skill.name for s in resolved.scenarios))
    return ("skill " if len(names) == 1 else "skills ") + ", ".join(f"[bold]{n}[/]" for n in names)


def _announce(console: Console, campaign: Campaign, where: str) -> None:
    resolved = campaign.resolved
    console.print(
        f"verifying {_skills(resolved)} on {len(resolved.scenarios)} "
        f"scenario(s), {campaign.total} episodes, seed {resolved.plan.seed} ({resolved.source}); "
        f"running on {where}"
    )
    if campaign.restored or campaign.dropped:
        torn = f"; {campaign.dropped} unreadable journal line(s) dropped" if campaign.dropped else ""
        console.print(f"resuming: {len(campaign.restored)} episodes already done{torn}", highlight=False)


def _plan_argument(args: argparse.Namespace) -> str:
    options = [str(args.plan)] if args.plan is not None else []
    overrides = (("--episodes", args.episodes), ("--seed", args.seed), ("--conditions", args.conditions))
    for flag, value in overrides:
        if value is not None:
            options += [flag, str(value)]
    return "".join(f"{option} " for option in options)


def _conditions(args: argparse.Namespace, console: Console) -> int:
    resolved = with_overrides(load_plan(args.plan), args.episodes, args.seed)
    records = sample_conditions(resolved)
    write_conditions(args.out, records)
    console.print(f"wrote {len(records)} episode conditions to {args.out}")
    return 0


def _schema(args: argparse.Namespace, console: Console) -> int:
    schemas = {"plan": Plan.model_json_schema(), "scenario": ScenarioSpec.model_json_schema()}
    chosen = schemas[args.which] if args.which else schemas
    sys.stdout.write(json.dumps(chosen, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
