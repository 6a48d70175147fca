"""The command line's grammar: subcommands, options and their checks (no heavy imports).

Each subcommand names its handler as ``module:function`` under ``harness.cli``; :func:`main`
imports it only once the arguments parse, so ``roboverify --help`` stays fast.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from harness.execution.backends import BACKENDS

INTERVALS = ("wilson", "exact")

EXIT_CODES = (
    (0, "passed: every gate passed (check-skill, selftest: no check failed, nothing missed)"),
    (1, "failed: a gate failed (check-skill: a check failed; selftest: a known-bad skill was missed)"),
    (2, "invalid input or usage: malformed plan or spec, unknown name, bad option, refused plugin"),
    (3, "inconclusive: not enough evidence either way"),
    (4, "invalid run: infrastructure errors left episodes unscored"),
    (70, "internal error: a bug in roboverify; the traceback is saved to the file named"),
    (130, "interrupted (Ctrl-C)"),
)
"""The exit codes every command keeps, as the README and docs/cli.md list them."""


def exit_code_epilog() -> str:
    lines = [f"  {code:>3}  {meaning}" for code, meaning in EXIT_CODES]
    return "exit codes:\n" + "\n".join(lines)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="roboverify",
        description="Verify robot skills in simulation.",
        epilog=exit_code_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    _verify(commands.add_parser("verify", help="run a verification plan and write a report"))
    _conditions(
        commands.add_parser(
            "conditions", help="write the plan's per-episode conditions (JSON Lines) without running anything"
        )
    )
    listing = commands.add_parser("list", help="list registered skills, scenarios, criteria and sims")
    listing.add_argument(
        "--known-bad", action="store_true", help="list the skills that are faulty on purpose (for selftest)"
    )
    listing.set_defaults(handler="listing:run")
    _skill(commands.add_parser("skill", help="show a skill package's manifest"))
    _plan_size(commands.add_parser("plan-size", help="episodes a success-rate gate needs"))
    _selftest(
        commands.add_parser("selftest", help="run every known-bad skill and check the harness catches it")
    )
    _report(commands.add_parser("report", help="render, verify or sign the report of a finished run"))
    _check_skill(commands.add_parser("check-skill", help="check that a skill keeps the Skill contract"))
    _history(commands.add_parser("history", help="a skill's verdicts and metrics across its versions"))
    schema = commands.add_parser("schema", help="print the JSON Schema of plans and scenario specs")
    schema.add_argument("which", nargs="?", choices=("plan", "scenario"), help="only one of them")
    schema.set_defaults(handler="schema:run")
    return parser


def _skill(skill: argparse.ArgumentParser) -> None:
    actions = skill.add_subparsers(dest="action", required=True)
    show = actions.add_parser("show", help="name, version, robot, supported scenarios, parameters, licence")
    show.add_argument("name", help="a registered skill name or module:Class")
    show.add_argument("--format", choices=("table", "json"), default="table")
    _trust_options(show)
    show.set_defaults(handler="skill_show:run")


REPORT_ACTIONS = ("render", "verify", "sign", "keygen")
REPORT_FORMATS = ("html", "md", "junit", "pdf")


def with_default_report_action(argv: list[str]) -> list[str]:
    """``roboverify report DIR ...`` means ``roboverify report render DIR ...``."""
    if len(argv) >= 2 and argv[0] == "report" and argv[1] not in (*REPORT_ACTIONS, "-h", "--help"):
        return ["report", "render", *argv[1:]]
    return argv


def _report(report: argparse.ArgumentParser) -> None:
    actions = report.add_subparsers(dest="action", required=True)
    render = actions.add_parser("render", help="write the report's renderings again from report.json")
    render.add_argument("folder", type=Path, help="a run's output folder (holding report.json)")
    render.add_argument(
        "--format", action="append", choices=REPORT_FORMATS, help="one or more (default: html, md, junit)"
    )
    render.set_defaults(handler="report_render:run")
    verify = actions.add_parser("verify", help="recompute every hash the report records; name what changed")
    verify.add_argument("folder", type=Path)
    verify.add_argument("--public-key", type=Path, help="also check the signature with this Ed25519 key")
    verify.set_defaults(handler="report_verify:run")
    sign = actions.add_parser("sign", help="sign the report with an Ed25519 private key")
    sign.add_argument("folder", type=Path)
    sign.add_argument("--key", type=Path, required=True, help="PEM file of the private key")
    sign.set_defaults(handler="report_sign:run")
    keygen = actions.add_parser("keygen", help="make an Ed25519 key pair for signing reports")
    keygen.add_argument("--out", type=Path, required=True, help="private key file (the public key: .pub)")
    keygen.set_defaults(handler="report_sign:keygen")


def _plan_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("plan", nargs="?", type=Path, help="plan YAML (default: the built-in plan)")
    command.add_argument("--episodes", type=positive, help="episodes per scenario (overrides the plan)")
    command.add_argument("--seed", type=seed, help="base seed (overrides the plan)")
    _trust_options(command)


def _trust_options(command: argparse.ArgumentParser) -> None:
    """For a plan or skill that is not trusted; see docs/security.md."""
    command.add_argument(
        "--trusted-plugins-only",
        action="store_true",
        help="accept only plugins registered through installed entry points (no module:Attr) and "
        "files under the working directory or a --trusted-dir; also ROBOVERIFY_TRUSTED_PLUGINS_ONLY=1",
    )
    command.add_argument(
        "--trusted-dir",
        type=Path,
        action="append",
        metavar="DIR",
        help="with --trusted-plugins-only, also accept files under DIR (repeatable)",
    )


def _verify(verify: argparse.ArgumentParser) -> None:
    _plan_options(verify)
    verify.add_argument("--out", type=Path, help="output directory (default: reports/<timestamp>)")
    verify.add_argument(
        "--conditions", type=Path, help="run exactly the episodes of this file (from 'roboverify conditions')"
    )
    verify.add_argument(
        "--ci", choices=INTERVALS, help="interval for every rate (default: the plan's, Wilson)"
    )
    verify.add_argument(
        "--baseline-report", help="an earlier report.json: add non-inferiority verdicts against it"
    )
    verify.add_argument(
        "--only",
        metavar="SCENARIO#INDEX",
        help="run just this episode of the plan, as it ran (to reproduce it)",
    )
    _execution_options(verify)
    _history_options(verify)
    verify.add_argument(
        "--resume", action="store_true", help="continue the interrupted run in --out (same plan and options)"
    )
    verify.add_argument("--quiet", action="store_true", help="no progress bar: one line per scenario")
    verify.set_defaults(handler="verify:run")


def _execution_options(verify: argparse.ArgumentParser) -> None:
    verify.add_argument(
        "-j",
        "--jobs",
        type=positive,
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


HISTORY_FORMATS = ("table", "json", "csv")


def _history_options(verify: argparse.ArgumentParser) -> None:
    verify.add_argument(
        "--history", type=Path, help="the history file to record the run in (default: see docs/history.md)"
    )
    verify.add_argument("--no-history", action="store_true", help="do not record this run in the history")
    verify.add_argument(
        "--against-last-release",
        action="store_true",
        help="compare with the latest passing recorded run of an earlier version; fail on a regression",
    )


def _history(history: argparse.ArgumentParser) -> None:
    history.add_argument("skill", help="the skill's manifest name (as `roboverify list` shows it)")
    history.add_argument("--history", type=Path, help="the history file (default: see docs/history.md)")
    history.add_argument(
        "--format", choices=HISTORY_FORMATS, default="table", help="table (default), json or csv"
    )
    history.add_argument("--html", type=Path, metavar="DIR", help="also write DIR/index.html with the trends")
    history.set_defaults(handler="history:run")


def _conditions(conditions: argparse.ArgumentParser) -> None:
    _plan_options(conditions)
    conditions.add_argument("--out", type=Path, required=True, help="file to write")
    conditions.set_defaults(handler="conditions:run")


CHECK_FORMATS = ("table", "json")


def _check_skill(check: argparse.ArgumentParser) -> None:
    check.add_argument("skill", help="a registered skill name or module:Class")
    check.add_argument(
        "--scenario", help="a built-in spec id or a .yaml spec (default: every built-in spec it supports)"
    )
    check.add_argument("--episodes", type=positive, default=2, help="episodes per scenario (default 2)")
    check.add_argument("--seed", type=seed, default=0, help="base seed of the episodes (default 0)")
    check.add_argument(
        "--max-ticks", type=positive, default=600, help="ticks each episode is capped at (default 600)"
    )
    check.add_argument("--format", choices=CHECK_FORMATS, default="table", help="table (default) or json")
    _trust_options(check)
    check.set_defaults(handler="check_skill:run")


def _plan_size(size: argparse.ArgumentParser) -> None:
    size.add_argument("--min", type=rate, required=True, help="the gate's minimum success rate, e.g. 0.9")
    size.add_argument("--confidence", type=rate, default=0.95)
    size.add_argument("--failures", type=int, default=3, help="show counts for 0..N failures (default 3)")
    size.add_argument("--ci", choices=("exact", "wilson"), default="exact")
    size.add_argument("--p1", type=rate, help="a good skill's rate: also size a sequential test")
    size.set_defaults(handler="plan_size:run")


SELFTEST_FORMATS = ("table", "json")


def _selftest(selftest: argparse.ArgumentParser) -> None:
    selftest.add_argument(
        "--family", help="only the known-bad skills of one scenario family, e.g. inspection"
    )
    selftest.add_argument(
        "--skill", action="append", metavar="NAME", help="only this known-bad skill (repeatable)"
    )
    selftest.add_argument("--episodes", type=positive, help="episodes per skill (default: each skill's own)")
    selftest.add_argument("--seed", type=seed, help="base seed (default 0)")
    selftest.add_argument("-j", "--jobs", type=positive, help="worker processes (default: every core)")
    selftest.add_argument(
        "--disable",
        action="append",
        metavar="CRITERION",
        help="leave this criterion out of every self-test plan (to see what it alone catches)",
    )
    selftest.add_argument("--format", choices=SELFTEST_FORMATS, default="table")
    _trust_options(selftest)
    selftest.set_defaults(handler="selftest:run")


def rate(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number between 0 and 1, got {text!r}") from None
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"expected a number strictly between 0 and 1, got {text!r}")
    return value


def positive(text: str) -> int:
    value = _integer(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {text!r}")
    return value


def seed(text: str) -> int:
    value = _integer(text)
    if not 0 <= value < 2**63:
        raise argparse.ArgumentTypeError(f"expected a seed between 0 and 2**63-1, got {text!r}")
    return value


def _integer(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
