"""The ``wfpgen`` console script: a Ctrl-C at any moment is an exit status, never a traceback.

This module imports nothing but :mod:`sys` at first, so it is running within
milliseconds of the interpreter. Loading the command line (Typer, Click,
Rich, wfpgen's modules) takes a good part of a second; an interrupt then, or
at any moment outside the command line's own handling, ends the run with
one line on stderr (and a JSON failure object on stdout when ``--json`` is
on the command line) and exit status 130, as a shell reports Ctrl-C.
``wfpgen.cli.main`` does the rest: it reports interrupts during a command
itself, and ignores them once the outcome is reported.
"""

import sys

_INTERRUPTED = 130  # wfpgen.errors.ExitCode.INTERRUPTED, without importing it


def main() -> None:
    """Run the command line; turn a Ctrl-C that nothing else handled into exit 130."""
    try:
        from wfpgen.cli import main as cli_main

        cli_main()
    except KeyboardInterrupt:
        sys.exit(_interrupted())


def _interrupted() -> int:
    """Report an interrupt outside any command's handling; return the exit status."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut this short
    transaction = sys.modules.get("wfpgen.lifecycle.transaction")
    written = transaction.committed_targets() if transaction is not None else ()
    where = ", ".join(map(str, written))
    _say(
        f"error: interrupted after {where} was written in full"
        if where
        else "error: interrupted; nothing was written"
    )
    args = sys.argv[1:]
    if "--json" in (args[: args.index("--")] if "--" in args else args):
        import json

        from wfpgen import __version__  # the package's __init__: a constant, nothing else

        # The common envelope (wfpgen/cli/envelope.py), written by hand: the
        # command line that would build it may be what was interrupted.
        document = {
            "wfpgen": __version__,
            "command": "wfpgen",
            "ok": False,
            "exit_code": _INTERRUPTED,
            "warnings": [],
            "problems": [],
            "notes": [],
            "error": "interrupted",
            "hint": "",
        }
        _say(json.dumps(document, indent=2), stdout=True)
    return _INTERRUPTED


def _say(text: str, *, stdout: bool = False) -> None:
    import contextlib

    # A closed or broken stream: the exit status still tells.
    with contextlib.suppress(OSError, ValueError, AttributeError):
        print(text, file=sys.stdout if stdout else sys.stderr, flush=True)
