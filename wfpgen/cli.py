"""The wfpgen command line: parse options, call the use cases, map errors to exit codes.

Heavy imports (cookiecutter, Jinja) happen inside the commands that render, so
``wfpgen --help`` and the catalog commands stay fast.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from wfpgen import __version__, ui
from wfpgen.errors import ExitCode, SpecError, WfpgenError

app = typer.Typer(
    name="wfpgen",
    help="Scaffold Windows Filtering Platform (WFP) callout drivers.",
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
) -> None:
    """Scaffold Windows Filtering Platform (WFP) callout drivers."""


@app.command()
def new(
    directory: Annotated[
        Path | None,
        typer.Argument(help="Project folder (default: the driver name, under --output-dir)."),
    ] = None,
    config: Annotated[
        Path | None, typer.Option("--config", "-c", help="Spec file (TOML).", dir_okay=False)
    ] = None,
    name: Annotated[str | None, typer.Option("--name", "-n", help="Driver name.")] = None,
    callout: Annotated[
        list[str] | None,
        typer.Option(
            "--callout",
            help="NAME:LAYER[:FLAG,FLAG...]; repeat for more callouts. Replaces the file's callouts.",
        ),
    ] = None,
    min_os: Annotated[
        str | None, typer.Option("--min-os", help="Minimum Windows, e.g. win10-1709.")
    ] = None,
    output_dir: Annotated[
        Path, typer.Option("--output-dir", "-o", help="Folder to create the project in.")
    ] = Path(),
    template: Annotated[
        Path | None,
        typer.Option(
            "--template", help="Use this cookiecutter template folder instead of the built-in one."
        ),
    ] = None,
    no_input: Annotated[bool, typer.Option("--no-input", help="Never prompt.")] = False,
    force: Annotated[
        bool,
        typer.Option("--force", help="Write into a non-empty folder, replacing generated files."),
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show the files that would be written; write nothing.")
    ] = False,
) -> None:
    """Generate a WFP callout driver project.

    Values come from built-in defaults, then --config, then the options.

    [bold]Examples[/]

      wfpgen new --no-input

      wfpgen new --config spec.toml --output-dir build

      wfpgen new Contoso --name Contoso --min-os win10-1709 --callout Connect:ALE_AUTH_CONNECT_V4 --callout Stream:STREAM_V4:CONDITIONAL_ON_FLOW
    """
    del no_input  # nothing prompts yet: every value has a default
    with _reported_errors():
        from wfpgen.answers import read_spec_file
        from wfpgen.catalog import load_catalog
        from wfpgen.generate import generate_project
        from wfpgen.project import plan_project
        from wfpgen.render import template_dir
        from wfpgen.spec import apply_options

        raw = read_spec_file(config) if config else {}
        raw = apply_options(
            raw, name=name, min_os=min_os, callouts=callout or (), from_file=config is not None
        )
        catalog = load_catalog()
        plan = plan_project(raw, catalog)
        ui.warnings(plan.warnings)
        ui.notes(plan.resolution.notes)
        spec = plan.resolution.spec
        target = output_dir / (directory or Path(spec.driver.name))
        result = generate_project(
            spec,
            catalog,
            target,
            template=template or template_dir(),
            version=__version__,
            force=force,
            dry_run=dry_run,
        )
        if dry_run:
            ui.show_dry_run(result.target, result.files)
        else:
            ui.show_generated(result.target, result.files, f"{spec.driver.name}.sln")


@contextmanager
def _reported_errors() -> Iterator[None]:
    """Turn wfpgen errors and Ctrl-C into a message and an exit status."""
    try:
        yield
    except SpecError as err:
        ui.problems(err.problems)
        raise typer.Exit(err.exit_code) from None
    except WfpgenError as err:
        ui.error(err.message, err.hint)
        raise typer.Exit(err.exit_code) from None
    except KeyboardInterrupt:
        ui.error("interrupted; nothing was written")
        raise typer.Exit(ExitCode.INTERRUPTED) from None


def main() -> None:
    """Entry point of the ``wfpgen`` console script."""
    app()
