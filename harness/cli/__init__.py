"""The ``roboverify`` command: verify, conditions, list, plan-size, report, check-skill, schema.

Takes the command line, hands it to the stage below (``harness.campaign`` for ``verify``) and
prints what comes back with rich. Only the parser is imported up front; each subcommand's
module is imported once its arguments parse.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence

from harness.cli.crash import INTERNAL_ERROR, forget_output_folder, print_unsaved, report_crash
from harness.cli.parser import build_parser, with_default_report_action
from harness.errors import RoboverifyError


def main(argv: Sequence[str] | None = None) -> int:
    """Run one ``roboverify`` command; returns its exit code (see the README's table).

    An exception that is neither a :class:`RoboverifyError` nor an interruption is a bug in
    roboverify: its traceback goes to a file, one line names it, and the code is 70."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(with_default_report_action(arguments))
    from rich.console import Console
    from rich.markup import escape

    # logs (CI) get a fixed width instead of rich's 80-column fallback
    console = Console(width=None if sys.stdout.isatty() else 120)
    errors = Console(stderr=True)
    module, _, function = args.handler.partition(":")
    try:
        handler = getattr(importlib.import_module(f"harness.cli.{module}"), function)
        code: int = handler(args, console)
        return code
    except RoboverifyError as error:
        errors.print(f"[bold red]error:[/] {escape(str(error))}", highlight=False, soft_wrap=True)
        return error.exit_code
    except KeyboardInterrupt:
        errors.print("interrupted")
        return 130
    except Exception as error:  # the last line of defence: a bug in roboverify, reported as one
        line, saved = report_crash(error, arguments)
        errors.print(f"[bold red]{escape(line)}[/]", highlight=False, soft_wrap=True)
        if not saved:
            print_unsaved(error)
        return INTERNAL_ERROR
    finally:
        forget_output_folder()
