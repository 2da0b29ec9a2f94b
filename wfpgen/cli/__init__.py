"""The wfpgen command line: one module per command group over core functions.

- :mod:`wfpgen.cli.app`: the root application and ``--version``;
- :mod:`wfpgen.cli.new`: ``new``; :mod:`wfpgen.cli.asking`: its questions;
- :mod:`wfpgen.cli.update`: ``update``, ``check`` and ``diff``;
- :mod:`wfpgen.cli.callouts`: ``add callout`` and ``remove callout``;
- :mod:`wfpgen.cli.lookup`: ``layers`` and ``flags``;
- :mod:`wfpgen.cli.spec`: ``validate`` and ``schema``;
- :mod:`wfpgen.cli.reporting`: errors to messages and exit statuses;
- :mod:`wfpgen.cli.options` and :mod:`wfpgen.cli.completion`: shared options.

These are the only modules that read TTY state or the environment, and the
only ones that exit. Heavy imports (cookiecutter, Jinja) happen inside the
commands that render, so ``wfpgen --help`` and completion stay fast.
"""

from wfpgen.cli import new, update, callouts, lookup, spec  # noqa: F401, I001  (registration order is --help order)
from wfpgen.cli.app import app

__all__ = ["app", "main"]


def main() -> None:
    """Entry point of the ``wfpgen`` console script."""
    app()
