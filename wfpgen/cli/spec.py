"""``wfpgen validate`` and ``wfpgen schema``: the spec on its own, without rendering."""

from pathlib import Path
from typing import Annotated

import typer

from wfpgen.cli.options import JsonOption, parse_file
from wfpgen.cli.reporting import reported_errors

# The commands this module declares (see wfpgen.cli.app).
commands = typer.Typer(rich_markup_mode="rich")


@commands.command()
def validate(
    file: Annotated[
        Path,
        typer.Argument(
            help="The spec file (TOML) to check.",
            parser=parse_file,
        ),
    ],
    json_output: JsonOption = False,
) -> None:
    """Check a spec file without generating anything, e.g. as a CI pre-flight.

    Problems are reported exactly as `wfpgen new --config FILE` reports them,
    one line each, with exit status 2. A valid spec exits 0; its warnings are
    still printed.

    [bold]Examples[/]

      wfpgen validate spec.toml

      wfpgen validate MyDriver/wfpgen.toml --json
    """
    from wfpgen import ui
    from wfpgen.core.catalog import load_catalog
    from wfpgen.core.project import plan_project
    from wfpgen.lifecycle.answers import read_spec_file

    with reported_errors(json_output=json_output, command="validate"):
        catalog = load_catalog()
        raw = read_spec_file(file)
        plan = plan_project(raw, catalog)
        ui.warnings(plan.warnings)
        spec = plan.resolution.spec
        if json_output:
            from wfpgen.cli.reporting import print_result

            # A project's wfpgen.toml names its project, too.
            project = file.parent if file.name == "wfpgen.toml" else None
            print_result("validate", project=project, file=str(file), warnings=plan.warnings)
        else:
            count = len(spec.callouts)
            ui.success(
                f"{file}: valid; driver {spec.driver.name}, {count} "
                f"callout{'s' if count != 1 else ''}, minimum Windows {spec.driver.min_os}"
            )


@commands.command()
def schema(
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            metavar="COMMAND",
            help="Print the schema of COMMAND's --json output instead: "
            "new, validate, layers, flags, update, check, add-callout, remove-callout, "
            "template-export or template-test.",
        ),
    ] = None,
) -> None:
    """Print the JSON Schema of spec files, for editors; or of a command's --json output.

    Layer, flag and Windows names are listed as enums, and unknown keys are
    not allowed, as in wfpgen itself. Editors with TOML schema support (for
    example Taplo, used by Even Better TOML) pick it up from a
    `#:schema wfpgen.schema.json` line at the top of the spec. Every schema
    is JSON Schema draft 2020-12 with ECMA-262 patterns only.

    [bold]Examples[/]

      wfpgen schema > wfpgen.schema.json

      wfpgen schema --output check > check-output.schema.json
    """
    from wfpgen import ui

    with reported_errors(json_output=False, command="schema"):
        if output is None:
            from wfpgen.core.catalog import load_catalog
            from wfpgen.core.schema import build_schema

            ui.print_json(build_schema(load_catalog()))
            return
        from wfpgen.cli.envelope import COMMANDS, find_command, load_output_schema, schema_name
        from wfpgen.errors import Problem, SpecError

        command = find_command(output)
        if command is None:
            names = ", ".join(schema_name(c) for c in COMMANDS)
            raise SpecError([Problem("--output", f"no command '{output}' has --json; use {names}")])
        ui.print_json(load_output_schema(command))
