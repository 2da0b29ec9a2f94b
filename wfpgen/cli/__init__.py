"""The wfpgen command line: one module per command group over core functions.

- :mod:`wfpgen.cli.app`: the root application and ``--version``;
- :mod:`wfpgen.cli.new`: ``new``; :mod:`wfpgen.cli.asking`: its questions;
- :mod:`wfpgen.cli.update`: ``update``, ``check`` and ``diff``;
- :mod:`wfpgen.cli.callouts`: ``add callout`` and ``remove callout``;
- :mod:`wfpgen.cli.lookup`: ``layers`` and ``flags``;
- :mod:`wfpgen.cli.spec`: ``validate`` and ``schema``;
- :mod:`wfpgen.cli.explain`: ``explain`` (what a problem code means);
- :mod:`wfpgen.cli.template`: ``template export|context|test``;
- :mod:`wfpgen.cli.reporting`: errors to messages and exit statuses;
- :mod:`wfpgen.cli.guard`: the outermost guard: usage errors, broken streams and
  unexpected exceptions to one-line messages (``--debug`` for the traceback);
- :mod:`wfpgen.cli.options` and :mod:`wfpgen.cli.completion`: shared options.

These are the only modules that read TTY state or the environment, and the
only ones that exit. A command's module is imported only when that command
is run, completed or listed (see :mod:`wfpgen.cli.app`), and heavy imports
(Jinja, the renderer, Rich's widgets) happen inside the commands that need
them, so ``wfpgen --help`` and completion stay fast.
"""

import os
import sys

from wfpgen.cli.app import app

__all__ = ["app", "main"]

# Click's variable for shell completion, named after the program.
_COMPLETE = "_WFPGEN_COMPLETE"


def main() -> None:
    """Entry point of the ``wfpgen`` console script: never a traceback, always an exit status."""
    if _COMPLETE in os.environ:
        _complete()
    from wfpgen.cli.guard import ignore_termination, run

    # run() makes SIGTERM and SIGHUP raise while it works and reports them
    # truthfully; before and after it they are ignored, so a late signal
    # cannot kill the process silently between the report and the exit.
    # After it, Ctrl-C is ignored too: the outcome is reported, its status stands.
    ignore_termination()
    code = run(process_ends=True)
    ignore_termination(interrupt=True)
    sys.exit(code)


def _complete() -> None:
    """Answer a TAB press: Typer prints the choices and exits.

    Completion writes no files and prints no messages, so it skips the guard
    and its reporting (and their imports: a TAB press must be quick). A
    failure offers no choices rather than a traceback in the middle of the
    user's command line.
    """
    try:
        app(prog_name="wfpgen")
    except SystemExit:
        raise
    except Exception:  # nothing to report to: the shell shows no messages
        raise SystemExit(1) from None
