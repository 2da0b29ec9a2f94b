"""``wfpgen template export|context|test``: commands for teams that own a template."""

from pathlib import Path
from typing import Annotated

import typer

from wfpgen import __version__
from wfpgen.cli.options import (
    CheckoutOption,
    ConfigOption,
    DirectoryOption,
    JsonOption,
    SetOption,
    TrustOption,
    parse_path,
)
from wfpgen.cli.reporting import reported_errors
from wfpgen.errors import ExitCode, WfpgenError

# Everything else is imported where a command runs, so that --help and shell
# completion never load the UI, the renderer or Jinja.

template_app = typer.Typer(
    name="template",
    help="Export, inspect and test templates (for teams that keep their own).",
    no_args_is_help=True,
    rich_markup_mode="rich",
)

# The commands this module declares (see wfpgen.cli.app).
commands = typer.Typer(rich_markup_mode="rich")
commands.add_typer(template_app)

SourceArgument = Annotated[
    str | None,
    typer.Argument(
        help="Template: folder, .zip, git repository (https://, git+, file://, gh:, gl:, bb:) "
        "or 'builtin' (the default)."
    ),
]


class TemplateTestFailedError(WfpgenError):
    """Some matrix spec did not render or compile."""

    exit_code = ExitCode.FAILURE


@template_app.command("export")
def export(
    directory: Annotated[
        Path,
        typer.Argument(help="Folder to write the template into.", parser=parse_path),
    ],
    force: Annotated[bool, typer.Option("--force", help="Write into a non-empty folder.")] = False,
    json_output: JsonOption = False,
) -> None:
    """Write the built-in template into DIRECTORY as a standalone cookiecutter template.

    Commit the folder, edit it, and generate with [bold]wfpgen new --template
    DIRECTORY[/]. CONTEXT.md there documents every variable a template gets.
    """
    from wfpgen import ui
    from wfpgen.lifecycle.template_tools import export_template

    with reported_errors(json_output=json_output, command="template export"):
        files = export_template(directory, force=force)
        if json_output:
            from wfpgen.cli.reporting import print_result

            print_result("template export", directory=str(directory), files=list(files))
        else:
            ui.success(f"Exported the built-in template to {directory} ({len(files)} files)")


@template_app.command("context")
def context(
    config: ConfigOption = None,
    template: Annotated[
        str | None, typer.Option("--template", help="Template whose own variables to include.")
    ] = None,
    checkout: CheckoutOption = None,
    template_directory: DirectoryOption = None,
    set_: SetOption = None,
) -> None:
    """Print, as JSON, the exact context a template receives for a spec.

    Without --config the built-in default project is used. GUIDs the spec
    does not give are generated, as [bold]wfpgen new[/] would.
    """
    from dataclasses import replace

    from wfpgen import ui
    from wfpgen.core.catalog import load_catalog
    from wfpgen.core.project import plan_project
    from wfpgen.core.spec import TemplateSpec, apply_options
    from wfpgen.lifecycle.answers import read_spec_file
    from wfpgen.lifecycle.generate import template_context
    from wfpgen.templating.chosen import choose_template

    with reported_errors(json_output=False, command="template context"):
        catalog = load_catalog()
        raw = apply_options(
            read_spec_file(config, option="--config") if config else {},
            from_file=config is not None,
        )
        table = raw.get("template", {})
        with choose_template(
            table if isinstance(table, dict) else {},
            base=config.parent if config else Path(),
            source=template,
            checkout=checkout,
            directory=template_directory,
            sets=tuple(set_ or ()),
            trust=True,  # nothing of the template runs here
        ) as chosen:
            values = chosen.values
        plan = plan_project(raw, catalog)
        spec = replace(plan.resolution.spec, template=TemplateSpec(variables=values))
        ui.print_json(template_context(spec, catalog, version=__version__))


@template_app.command("test")
def test(
    source: SourceArgument = None,
    checkout: CheckoutOption = None,
    template_directory: DirectoryOption = None,
    set_: SetOption = None,
    trust: TrustOption = False,
    headers: Annotated[
        Path | None,
        typer.Option(
            "--headers",
            help="A real WDK header tree (made by wdk-headers) instead of the shipped stand-ins.",
            file_okay=False,
            exists=True,
        ),
    ] = None,
    no_build: Annotated[
        bool,
        typer.Option(
            "--no-build", help="Compile the driver only: do not build and run the generated tests/."
        ),
    ] = False,
    only: Annotated[
        list[str] | None,
        typer.Option(
            "--spec",
            metavar="NAME",
            help="Test only this spec of the matrix (repeatable; names as in the report).",
        ),
    ] = None,
    json_output: JsonOption = False,
) -> None:
    """Render a template for every spec of wfpgen's matrix, compile it and run its tests.

    The matrix covers every layer family, every settable callout flag and
    every minimum Windows. Each generated .c is compiled by clang (libclang,
    the [bold]wfpgen[check][/] extra) in MSVC mode against declaration-only
    WDK headers shipped with wfpgen; then, where cmake and a C compiler
    exist, the generated tests/ are built and run (cmake, ctest), as the
    project's user would. Exit status 0 only when every spec renders,
    compiles, and its tests build and pass. Hooks do not run.

    [bold]Example[/] (the CI step of a template repository)

      wfpgen template test .
    """
    from wfpgen import ui
    from wfpgen.checks.matrix import MATRIX
    from wfpgen.core.catalog import load_catalog
    from wfpgen.lifecycle.template_tools import check_template
    from wfpgen.templating.chosen import choose_template

    unknown = sorted(set(only or ()) - MATRIX.keys())
    if unknown:
        raise typer.BadParameter(
            f"{unknown[0]} is not a spec of the matrix; choose from {', '.join(MATRIX)}",
            param_hint="'--spec'",
        )
    with reported_errors(json_output=json_output, command="template test"):
        cases = {name: raw for name, raw in MATRIX.items() if not only or name in only}
        catalog = load_catalog()
        with choose_template(
            {},
            base=Path(),
            source=source,
            checkout=checkout,
            directory=template_directory,
            sets=tuple(set_ or ()),
            trust=True,  # hooks do not run here; --trust still governs Jinja extensions
        ) as chosen:
            results = []
            for result in check_template(
                chosen.info,
                catalog,
                trusted=chosen.fetched.builtin or trust,
                variables=chosen.values,
                version=__version__,
                headers=headers,
                cases=cases,
                build=not no_build,
            ):
                results.append(result)
                if not json_output:
                    ui.show_template_case(
                        result.case,
                        ok=result.ok,
                        sources=result.sources,
                        failure=result.failure,
                        diagnostics=result.diagnostics,
                        phases=[(p.phase, p.ok, p.skipped, p.detail) for p in result.phases],
                    )
        failed = [r.case for r in results if not r.ok]
        if json_output:
            from wfpgen.cli.reporting import print_result

            summary = f"{len(failed)} of {len(results)} specs failed: {', '.join(failed)}"
            print_result(
                "template test",
                exit_code=ExitCode.FAILURE if failed else ExitCode.OK,
                **({"error": summary, "hint": ""} if failed else {}),
                cases=[
                    {
                        "case": r.case,
                        "ok": r.ok,
                        "sources": r.sources,
                        "errors": r.errors,
                        "failure": r.failure,
                        "diagnostics": list(r.diagnostics),
                        "phases": [{"phase": "compile", "ok": r.compiled, "skipped": False}]
                        + [
                            {
                                "phase": p.phase,
                                "ok": p.ok,
                                "skipped": p.skipped,
                                "detail": p.detail,
                            }
                            for p in r.phases
                        ],
                    }
                    for r in results
                ],
            )
        if failed:
            if json_output:
                raise typer.Exit(ExitCode.FAILURE)
            raise TemplateTestFailedError(
                f"{len(failed)} of {len(results)} specs failed: {', '.join(failed)}"
            )
        if not json_output:
            built = "" if no_build else ", and their tests built and passed where they could run"
            ui.success(f"All {len(results)} specs rendered and compiled{built}")
