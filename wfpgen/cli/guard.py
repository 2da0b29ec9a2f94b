"""The outermost layer of the command line: no traceback ever reaches a user.

:func:`run` calls the Typer app without Click's standalone handling and turns
whatever escapes it into a one-line message and an exit status:

- usage errors (unknown option, bad value): exit 2, with a JSON failure object
  on stdout under ``--json``, as for every other failure;
- a standard stream that is closed, full or cannot encode the text: its own
  message on whatever stream still works, exit 1;
- file-system errors that escaped the commands: the path and the reason, exit 1;
- SIGTERM and SIGHUP anywhere: exit 128 + the signal's number, saying whether
  a project was already written in full;
- anything else: exit 1 with the exception in one line and a hint to rerun
  with ``--debug`` (or ``WFPGEN_DEBUG=1``), which prints the traceback.

``--debug`` is accepted anywhere before ``--``.
"""

import contextlib
import errno
import io
import os
import signal
import sys
import threading
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO, cast

import typer

from wfpgen.cli.environment import env_flag
from wfpgen.errors import ExitCode
from wfpgen.lifecycle.interrupts import Terminated, command_scope, signals_as_interrupts

DEBUG_ENV = "WFPGEN_DEBUG"
DEBUG_HINT = f"rerun with --debug (or {DEBUG_ENV}=1) to see the traceback"

_ARGS: tuple[str, ...] = ()


def run(argv: Sequence[str] | None = None, *, process_ends: bool = False) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit status.

    With ``process_ends`` (the console script, which exits right after), signals
    stay ignored once a command has committed its result; otherwise (a caller
    that goes on, such as a test) the handlers are put back when the run ends.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    options = args[: args.index("--")] if "--" in args else args
    debug = "--debug" in options or env_flag(DEBUG_ENV)
    if "--debug" in options:
        args.remove("--debug")
    json_output = "--json" in options
    global _ARGS  # what a failure's JSON names as its command
    _ARGS = tuple(args)
    _tolerant_streams()
    try:
        # Once a command commits its result, signals are ignored: it reports
        # success and exits 0.
        with command_scope(restore=not process_ends), signals_as_interrupts():
            code = _invoke(args)
            _flush(sys.stdout)
    except typer.Exit as err:
        # Typer turns a Ctrl-C outside the commands' handling (while a command's
        # module loads, say) into a silent Exit(130): report it like any other.
        interrupt = isinstance(err.__cause__, KeyboardInterrupt)
        code = _interrupted(err.__cause__, json_output) if interrupt else err.exit_code
    except (typer.Abort, KeyboardInterrupt, Terminated) as err:
        code = _interrupted(err, json_output)
    except OSError as err:
        if debug:
            traceback.print_exc()
        code = _os_error(err, json_output)
    except Exception as err:
        if _is_usage_error(err):
            return _finish(_usage_error(err, args, json_output))
        if debug:
            traceback.print_exc()
        message = f"internal error: {type(err).__name__}: {_one_line(str(err))}"
        _say(f"error: {message}" + ("" if debug else f"; {DEBUG_HINT}"))
        _json(json_output, ExitCode.FAILURE, error=message, hint=DEBUG_HINT)
        code = ExitCode.FAILURE
    return _finish(code)


def _interrupted(err: BaseException | None, json_output: bool) -> int:
    """A signal outside any command's own handling (before it started, or after it returned).

    Says truthfully whether a project was written; returns the exit status.
    """
    code = 128 + err.signum if isinstance(err, Terminated) else int(ExitCode.INTERRUPTED)
    written = _written()
    _say(
        f"error: interrupted after {written} was written in full"
        if written
        else "error: interrupted; nothing was written"
    )
    _json(json_output, code, error="interrupted", hint="")
    return code


def ignore_termination(*, interrupt: bool = False) -> None:
    """Ignore SIGTERM and SIGHUP (and SIGINT with ``interrupt``) outside :func:`run`.

    Called by the console script before ``run`` (which catches them itself),
    and with ``interrupt`` after it: once ``run`` has reported the outcome, a
    late signal must neither kill the process silently nor change its exit
    status.
    """
    if threading.current_thread() is threading.main_thread():
        for name in ("SIGTERM", "SIGHUP", *(("SIGINT",) if interrupt else ())):
            if hasattr(signal, name):
                signal.signal(getattr(signal, name), signal.SIG_IGN)


def _finish(code: int) -> int:
    try:
        _flush(sys.stdout)
    except OSError as err:
        code = _os_error(err, json_output=False)
    return int(code)


def _is_usage_error(err: Exception) -> bool:
    """A Click usage error (Typer vendors Click, so its classes are matched by shape)."""
    return hasattr(err, "format_message") and isinstance(getattr(err, "exit_code", None), int)


def _invoke(args: list[str]) -> int:
    from wfpgen.cli.app import app  # its commands load on demand (wfpgen.cli.app)

    result = app(args=args, prog_name="wfpgen", standalone_mode=False)
    return result if isinstance(result, int) else 0


def _usage_error(err: Any, args: Sequence[str], json_output: bool) -> int:
    # Click ends its messages with a period; the hint follows after "; ".
    message = _one_line(str(err.format_message())).rstrip(".")
    context = getattr(err, "ctx", None)
    # Click leaves ``ctx`` unset for some errors (an option missing its value).
    command = context.command_path if context is not None else _command_path(args)
    hint = f"see `{command} --help`"
    if message:  # empty when Click has printed the help instead (no command given)
        _say(f"error: {message}; {hint}")
    _json(json_output, err.exit_code, error=message, hint=hint, command=command)
    return int(err.exit_code)


def _command_path(args: Sequence[str]) -> str:
    """The (sub)command ``args`` name, such as ``wfpgen template export``, for its --help."""
    from wfpgen.cli.app import app

    # Typer vendors Click: groups are matched by shape (a ``get_command`` method),
    # which also loads a command's module on demand (wfpgen.cli.app).
    command: Any = typer.main.get_command(app)
    path = ["wfpgen"]
    for arg in args:
        if arg == "--":
            break
        if arg.startswith("-"):
            continue
        get_command = getattr(command, "get_command", None)
        found = get_command(None, arg) if get_command is not None else None
        if found is None:
            break
        command = found
        path.append(arg)
    return " ".join(path)


def _written() -> str:
    """The destinations this run changed, if any (the module is loaded only once it wrote)."""
    transaction = sys.modules.get("wfpgen.lifecycle.transaction")
    targets = transaction.committed_targets() if transaction is not None else ()
    return ", ".join(map(str, targets))


def _os_error(err: OSError, json_output: bool) -> int:
    """A file-system or stream error that no command turned into a message."""
    stream = _broken_stream(err)
    if stream:
        # Nothing more can go to that stream; keep Python from failing again at exit.
        _silence(stream)
        reason = err.strerror or str(err)
        written = _written()
        done = f"; {written} was written in full" if written else ""
        _say(f"error: cannot write to standard {stream}: {reason}{done}")
        return ExitCode.FAILURE
    reason = err.strerror or type(err).__name__
    where = f": {err.filename}" if err.filename else ""
    message = f"{reason}{where}"
    _say(f"error: {message}; check the path and its permissions")
    _json(json_output, ExitCode.FAILURE, error=message, hint="check the path and its permissions")
    return ExitCode.FAILURE


def _broken_stream(err: OSError) -> str:
    if err.filename is not None:
        return ""
    if err.errno in (errno.EPIPE, errno.ENOSPC, errno.EBADF, errno.EIO):
        return "output"
    return ""


def _json(json_output: bool, code: int, *, command: str | None = None, **details: Any) -> None:
    """The failure's JSON document, in the envelope of the command ``_ARGS`` name."""
    if not json_output:
        return
    import json  # only a failure under --json needs it

    from wfpgen.cli.envelope import envelope

    if command is None:
        try:
            command = _command_path(_ARGS)
        except Exception:  # the failure being reported matters more
            command = "wfpgen"
    name = command.removeprefix("wfpgen").strip()
    text = json.dumps(envelope(name, exit_code=code, **details), indent=2)
    try:
        print(text, file=sys.stdout, flush=True)
    except (OSError, ValueError, AttributeError):
        _silence("output")


def _say(line: str) -> None:
    """One line on stderr, if stderr can take it."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        print(line, file=sys.stderr, flush=True)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _flush(stream: TextIO | None) -> None:
    if stream is not None:
        stream.flush()


def _silence(stream: str) -> None:
    devnull = _devnull("w")
    if stream == "output":
        sys.stdout = devnull
    else:
        sys.stderr = devnull


def _tolerant_streams() -> None:
    """Characters a stream cannot encode become escapes instead of errors.

    ``PYTHONIOENCODING=ascii`` or a legacy console code page must not turn a
    message into a traceback; JSON output escapes non-ASCII itself
    (``wfpgen.ui.print_json``). A closed stream (``<&-``, ``>&-``) is None.
    """
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is None:
            setattr(sys, name, _devnull("w"))
        elif isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    if sys.stdin is None:
        sys.stdin = _devnull("r")


def _devnull(mode: str) -> TextIO:
    """The null device as a text stream that lives until the process exits."""
    return cast(TextIO, Path(os.devnull).open(mode, encoding="utf-8"))
