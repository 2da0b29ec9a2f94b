"""The root Typer application, which loads each command's module only when needed.

Every command module declares its commands on a Typer of its own named
``commands`` (``@commands.command()``, or ``commands.add_typer`` for a group
such as ``template``), and :data:`COMMAND_MODULES` says which module holds
which command. The root group imports a module the first time one of its
commands is run, completed or listed, so ``wfpgen layers <TAB>`` loads only
the ``lookup`` module, and ``--help`` only the light tops of all of them.
"""

import importlib
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from wfpgen import __version__

# Command name -> module of wfpgen.cli that declares it, in --help order.
COMMAND_MODULES = {
    "new": "new",
    "update": "update",
    "check": "update",
    "diff": "update",
    "layers": "lookup",
    "flags": "lookup",
    "validate": "spec",
    "schema": "spec",
    "explain": "explain",
    "add": "callouts",
    "remove": "callouts",
    "template": "template",
    "trust": "trust",
}

_loaded: dict[str, dict[str, Any]] = {}


def module_commands(module: str) -> dict[str, Any]:
    """The Click commands that ``wfpgen.cli.<module>`` declares, by name."""
    if module not in _loaded:
        declared = importlib.import_module(f"wfpgen.cli.{module}").commands
        _loaded[module] = dict(typer.main.get_group(declared).commands)
    return _loaded[module]


class _LazyGroup(TyperGroup):
    """Lists every command, and imports a command's module only when it is asked for."""

    def list_commands(self, ctx: Any) -> list[str]:  # noqa: ARG002  (Click's signature)
        return list(COMMAND_MODULES)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:  # noqa: ARG002  (Click's signature)
        module = COMMAND_MODULES.get(cmd_name)
        return module_commands(module).get(cmd_name) if module else None


app = typer.Typer(
    name="wfpgen",
    cls=_LazyGroup,
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode="rich",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"wfpgen {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
    debug: Annotated[
        bool,
        typer.Option(
            "--debug",
            help="Show the traceback of an unexpected error (also WFPGEN_DEBUG=1); "
            "accepted anywhere on the command line.",
        ),
    ] = False,
) -> None:
    """Scaffold Windows Filtering Platform (WFP) callout drivers.

    [bold]Examples[/]

      wfpgen new  [dim]# asks for the driver and its callouts[/]

      wfpgen new --config spec.toml --no-input

      wfpgen layers stream  [dim]# the STREAM layers[/]

      wfpgen validate spec.toml  [dim]# the spec checks alone, for CI[/]
    """
