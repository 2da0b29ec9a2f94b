"""How every command ends: an error becomes a message and an exit status.

Commands run their work inside :func:`reported_errors`; nothing else in the
command line turns exceptions into exit statuses.
"""

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import typer

from wfpgen.cli.environment import env_flag


@contextmanager
def reported_errors(*, json_output: bool, prompting: bool = False) -> Iterator[None]:
    """Turn wfpgen errors and Ctrl-C into a message and an exit status.

    With ``--json`` the failure is also described on stdout, so a script
    reading JSON always gets an object.
    """
    # Imported once a command runs, never for --help or a TAB press: Rich (ui)
    # costs tens of milliseconds, and every module a few.
    from dataclasses import asdict

    from wfpgen import ui
    from wfpgen.errors import SHOWN_PROBLEMS, ExitCode, SpecError, WfpgenError
    from wfpgen.lifecycle.interrupts import Terminated

    try:
        yield
    except SpecError as err:
        ui.problems(err.problems)
        shown = err.problems[:SHOWN_PROBLEMS]
        json_failure(
            json_output,
            err.exit_code,
            problems=[asdict(p) for p in shown],
            problem_count=len(err.problems),
        )
        raise typer.Exit(err.exit_code) from None
    except WfpgenError as err:
        ui.error(err.message, err.hint)
        json_failure(json_output, err.exit_code, error=err.message, hint=err.hint)
        raise typer.Exit(err.exit_code) from None
    except (KeyboardInterrupt, EOFError, Terminated) as err:
        # EOF at a prompt (Ctrl-D) ends the session like Ctrl-C; SIGTERM and
        # SIGHUP exit with 128 + the signal's number, as shells report them.
        from wfpgen.lifecycle.transaction import committed_targets

        code = 128 + err.signum if isinstance(err, Terminated) else int(ExitCode.INTERRUPTED)
        ui.interrupted(after_prompt=prompting, written=committed_targets())
        json_failure(json_output, code, error="interrupted")
        raise typer.Exit(code) from None


def json_failure(json_output: bool, code: int, **details: Any) -> None:
    """Describe a failure on stdout as JSON when ``--json`` was given."""
    if json_output:
        from wfpgen import ui

        ui.print_json({"ok": False, "exit_code": int(code), **details})


def is_interactive(no_input: bool) -> bool:
    """Prompt only for a person at a terminal: never with --no-input, piped stdin, or in CI.

    ``CI`` counts as set unless its value is false-ish (``environment.env_flag``):
    ``CI=false``, ``CI=0`` or an empty ``CI`` allow prompts.
    """
    stdin = sys.stdin
    return not no_input and stdin is not None and stdin.isatty() and not env_flag("CI")
