"""The root Typer application that every command module registers on.

Command modules import ``app`` from here and decorate their functions with
``@app.command()`` (or add a sub-application with ``app.add_typer``);
``wfpgen.cli`` imports them all. Only light modules are imported at the top of
any command module, so ``wfpgen --help`` and shell completion stay fast.
"""

from typing import Annotated

import typer

from wfpgen import __version__

app = typer.Typer(
    name="wfpgen",
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
