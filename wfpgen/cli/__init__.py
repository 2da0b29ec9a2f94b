"""The wfpgen command line: one module per command group over core functions.

- :mod:`wfpgen.cli.app`: the root application and ``--version``;
- :mod:`wfpgen.cli.new`: ``new``; :mod:`wfpgen.cli.asking`: its questions;
- :mod:`wfpgen.cli.update`: ``update``, ``check`` and ``diff``;
- :mod:`wfpgen.cli.callouts`: ``add callout`` and ``remove callout``;
- :mod:`wfpgen.cli.lookup`: ``layers`` and ``flags``;
- :mod:`wfpgen.cli.spec`: ``validate`` and ``schema``;
- :mod:`wfpgen.cli.template`: ``template export|context|test``;
- :mod:`wfpgen.cli.reporting`: errors to messages and exit statuses;
- :mod:`wfpgen.cli.options` and :mod:`wfpgen.cli.completion`: shared options.

These are the only modules that read TTY state or the environment, and the
only ones that exit. Heavy imports (cookiecutter, Jinja) happen inside the
commands that render, so ``wfpgen --help`` and completion stay fast.
"""

from wfpgen.cli import new, update, callouts, lookup, spec, template  # noqa: F401, I001  (registration order is --help order)
from wfpgen.cli.app import app
from wfpgen.interrupts import Terminated, raise_on_termination

__all__ = ["app", "main"]


def main() -> None:
    """Entry point of the ``wfpgen`` console script."""
    # SIGTERM and SIGHUP raise from the start, so that a signal at any moment
    # is reported truthfully and undoes whatever was half-done.
    raise_on_termination()
    try:
        app()
    except Terminated as err:  # outside any command's own reporting
        # Rich and the transaction module load only here, not for --help or completion.
        from wfpgen import ui
        from wfpgen.transaction import committed_targets

        ui.interrupted(after_prompt=False, written=committed_targets())
        raise SystemExit(128 + err.signum) from None
