"""``roboverify verify``: run a plan in an output folder, show progress, print the verdict."""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path

from rich.console import Console

from harness.campaign.folder import Campaign
from harness.campaign.follow_ups import with_follow_ups
from harness.cli.console import episode_progress, print_summary
from harness.cli.crash import note_output_folder
from harness.cli.trust import trust_policy
from harness.cli.verify_history import check_history, record_run, releases_for, with_release_comparisons
from harness.errors import UsageError
from harness.execution.backends import describe, make_backend
from harness.execution.runner import Backend
from harness.history.release import Release
from harness.plan.conditions import only_episode, read_conditions
from harness.plan.jobs import with_conditions, with_overrides
from harness.plan.resolve import ResolvedPlan, load_plan
from harness.report.renderings import remove_report
from harness.verdicts.compare import load_baseline


def run(args: argparse.Namespace, console: Console) -> int:
    policy = trust_policy(args)
    resolved = with_overrides(load_plan(args.plan, policy), args.episodes, args.seed, args.ci)
    if args.conditions is not None:
        policy.check_path(args.conditions, "--conditions")
    given = None
    if args.only is not None:
        if args.conditions is not None:
            raise UsageError("--only picks one episode of the plan; it does not combine with --conditions")
        resolved, given = only_episode(resolved, args.only)
    elif args.conditions is not None:
        if args.episodes is not None or args.seed is not None:
            raise UsageError("--conditions fixes every episode and its seed; drop --episodes and --seed")
        given = read_conditions(args.conditions, resolved)
        resolved = with_conditions(resolved, given)
    if args.resume and args.out is None:
        raise UsageError("--resume needs the --out folder of the run to continue")
    if args.baseline_report is not None:
        load_baseline(args.baseline_report)  # refused before the first episode, not after the last
    check_history(args)
    releases = releases_for(args, resolved, given)
    out_dir: Path = args.out or Path("reports") / datetime.now().strftime("%Y%m%d-%H%M%S")
    note_output_folder(out_dir)  # a crash's traceback goes there
    backend = make_backend(args.backend, args.jobs, address=args.address, log=out_dir / "workers.log")
    opened = Campaign.resume if args.resume else Campaign.start
    with opened(out_dir, resolved, given, args.conditions) as campaign:
        campaign.plan_argument = _plan_argument(args)  # named in the resume command of a disk error
        return _run(args, console, campaign, backend, releases)


def _run(
    args: argparse.Namespace, console: Console, campaign: Campaign, backend: Backend, releases: list[Release]
) -> int:
    _announce(console, campaign, describe(backend))
    try:
        with episode_progress(console, campaign.resolved, args.quiet, campaign.restored) as on_result:
            report = campaign.run(backend, on_result)
    except KeyboardInterrupt:
        console.print(
            f"interrupted: {campaign.finished} of {campaign.total} episodes are saved in {campaign.out_dir}; "
            f"continue with: roboverify verify {_plan_argument(args)}--out {campaign.out_dir} --resume",
            highlight=False,
            markup=False,
            soft_wrap=True,  # one line: the command can be copied as it is
        )
        return 130
    report = with_follow_ups(
        report, campaign.resolved, backend, campaign.given,
        baseline_report=args.baseline_report, say=console.print,
    )  # fmt: skip
    report = with_release_comparisons(args, report, campaign.resolved, releases)
    try:
        path = campaign.write(report)
    except BaseException:  # never leave a report.json without its renderings and hash
        remove_report(campaign.out_dir)
        raise
    print_summary(console, report)
    console.print(f"report: {path}")
    for message in campaign.skipped:
        console.print(message, style="dim", highlight=False, markup=False)
    record_run(args, console, path, campaign.resolved, campaign.given)
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
