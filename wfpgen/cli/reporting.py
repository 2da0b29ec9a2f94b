"""How every command ends: an error becomes a message and an exit status.

Commands run their work inside :func:`reported_errors`; nothing else in the
command line turns exceptions into exit statuses.
"""

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer

from wfpgen.cli.environment import env_flag


@contextmanager
def reported_errors(
    *,
    json_output: bool,
    command: str = "",
    project: Path | None = None,
    prompting: bool = False,
) -> Iterator[None]:
    """Turn wfpgen errors and Ctrl-C into a message and an exit status.

    With ``--json`` the failure is also described on stdout, in ``command``'s
    envelope (:mod:`wfpgen.cli.envelope`, with ``project`` when there is one), so
    a script reading JSON always gets an object.
    """
    # Imported once a command runs, never for --help or a TAB press: Rich (ui)
    # costs tens of milliseconds, and every module a few.
    from wfpgen import ui
    from wfpgen.errors import SHOWN_PROBLEMS, ExitCode, SpecError, WfpgenError
    from wfpgen.lifecycle.interrupts import Terminated, command_scope
    from wfpgen.lifecycle.transaction import reporting_notes

    try:
        # What recovery of a killed run did, or left alone, is said as it happens.
        with command_scope(), reporting_notes(lambda line: ui.notes([line])):
            yield
    except SpecError as err:
        ui.problems(err.problems)
        shown = err.problems[:SHOWN_PROBLEMS]
        more = len(err.problems) - 1
        first = str(err.problems[0]) if err.problems else "the input has problems"
        json_failure(
            json_output,
            command,
            err.exit_code,
            project=project,
            error=first + (f" (and {more} more)" if more > 0 else ""),
            hint="",
            problems=shown,
            problem_count=len(err.problems),
        )
        raise typer.Exit(err.exit_code) from None
    except WfpgenError as err:
        ui.error(err.message, err.hint)
        json_failure(
            json_output, command, err.exit_code, project=project, error=err.message, hint=err.hint
        )
        raise typer.Exit(err.exit_code) from None
    except (KeyboardInterrupt, EOFError, Terminated) as err:
        # EOF at a prompt (Ctrl-D) ends the session like Ctrl-C; SIGTERM and
        # SIGHUP exit with 128 + the signal's number, as shells report them.
        from wfpgen.lifecycle.transaction import committed_targets

        code = 128 + err.signum if isinstance(err, Terminated) else int(ExitCode.INTERRUPTED)
        ui.interrupted(after_prompt=prompting, written=committed_targets())
        json_failure(json_output, command, code, project=project, error="interrupted", hint="")
        raise typer.Exit(code) from None


def json_failure(json_output: bool, command: str, code: int, **details: Any) -> None:
    """Describe a failure on stdout as JSON when ``--json`` was given."""
    if json_output:
        print_result(command, exit_code=code, **details)


def print_result(command: str, **fields: Any) -> None:
    """Print ``command``'s JSON document: the envelope (:func:`wfpgen.cli.envelope.envelope`)."""
    from wfpgen import ui
    from wfpgen.cli.envelope import envelope

    ui.print_json(envelope(command, **fields))


def is_interactive(no_input: bool) -> bool:
    """Prompt only for a person at a terminal: never with --no-input, piped stdin, or in CI.

    ``CI`` counts as set unless its value is false-ish (``environment.env_flag``):
    ``CI=false``, ``CI=0`` or an empty ``CI`` allow prompts.
    """
    stdin = sys.stdin
    return not no_input and stdin is not None and stdin.isatty() and not env_flag("CI")
