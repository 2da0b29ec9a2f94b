"""``wfpgen new``: generate a project from a spec, options and answers."""

from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from wfpgen import __version__
from wfpgen.cli.completion import complete_callout
from wfpgen.cli.options import (
    CheckoutOption,
    ConfigOption,
    DirectoryOption,
    JsonOption,
    MinOsOption,
    SetOption,
    TemplateOption,
    TrustOption,
    parse_path,
)
from wfpgen.cli.reporting import is_interactive, reported_errors
from wfpgen.errors import DestinationError, ExitCode, Problem, SpecError, WfpgenError

# The commands this module declares (see wfpgen.cli.app).
commands = typer.Typer(rich_markup_mode="rich")

# Everything else is imported where `new` runs, so that --help, the other
# commands and shell completion never load the interview, Rich's widgets, the
# renderer or Jinja (tests/test_cli_catalog.py checks it).

if TYPE_CHECKING:
    from wfpgen.core.catalog import Catalog
    from wfpgen.templating.chosen import ChosenTemplate


@dataclass(frozen=True)
class _NewArgs:
    """The options of ``wfpgen new``, passed on as one value."""

    directory: Path | None
    config: Path | None
    name: str | None
    callouts: tuple[str, ...]
    min_os: str | None
    output_dir: Path
    template: str | None
    checkout: str | None
    template_directory: str | None
    sets: tuple[str, ...]
    trust: bool
    force: bool
    dry_run: bool
    json_output: bool
    interactive: bool


class _CancelledError(WfpgenError):
    """The user declined the summary."""

    exit_code = ExitCode.INTERRUPTED


@commands.command()
def new(
    directory: Annotated[
        Path | None,
        typer.Argument(
            help="Project folder (default: the driver name, under --output-dir).",
            parser=parse_path,
        ),
    ] = None,
    config: ConfigOption = None,
    name: Annotated[str | None, typer.Option("--name", "-n", help="Driver name.")] = None,
    callout: Annotated[
        list[str] | None,
        typer.Option(
            "--callout",
            help="NAME:LAYER[:FLAG,FLAG...]; repeat for more callouts. Replaces the file's callouts.",
            autocompletion=complete_callout,
        ),
    ] = None,
    min_os: MinOsOption = None,
    output_dir: Annotated[
        Path,
        typer.Option(
            "--output-dir",
            "-o",
            help="Folder to create the project in.",
            parser=parse_path,
        ),
    ] = Path(),
    template: TemplateOption = None,
    checkout: CheckoutOption = None,
    template_directory: DirectoryOption = None,
    set_: SetOption = None,
    trust: TrustOption = False,
    no_input: Annotated[
        bool,
        typer.Option("--no-input", help="Never prompt; missing values get their defaults."),
    ] = False,
    force: Annotated[
        bool,
        typer.Option("--force", help="Write into a non-empty folder, replacing generated files."),
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show the files that would be written; write nothing.")
    ] = False,
    json_output: JsonOption = False,
) -> None:
    """Generate a WFP callout driver project.

    In a terminal, wfpgen asks for what neither --config nor the options give:
    the driver name, the minimum Windows, then the callouts one by one (name,
    layer, flags, GUID, filter action), shows a summary and writes nothing
    until you confirm. With --no-input, when stdin is not a terminal, or when
    CI is set (to anything but 0, false, no, off, n, f or empty), it never
    asks: values come from built-in defaults, then --config, then the options.

    [bold]Examples[/]

      wfpgen new

      wfpgen new --no-input

      wfpgen new --config spec.toml --output-dir build

      wfpgen new Contoso --name Contoso --min-os win10-1709 --callout Connect:ALE_AUTH_CONNECT_V4 --callout Stream:STREAM_V4:CONDITIONAL_ON_FLOW

      wfpgen new --config spec.toml --no-input --json > result.json

      wfpgen new --template gh:contoso/wfp-template --checkout v2.1 --set owner=netsec
    """
    interactive = is_interactive(no_input)
    with reported_errors(json_output=json_output, command="new", prompting=interactive):
        _new(
            _NewArgs(
                directory=directory,
                config=config,
                name=name,
                callouts=tuple(callout or ()),
                min_os=min_os,
                output_dir=output_dir,
                template=template,
                checkout=checkout,
                template_directory=template_directory,
                sets=tuple(set_ or ()),
                trust=trust,
                force=force,
                dry_run=dry_run,
                json_output=json_output,
                interactive=interactive,
            )
        )


def _new(args: _NewArgs) -> None:
    target = args.output_dir / args.directory if args.directory is not None else None
    if args.dry_run or target is None or not target.is_dir():
        _new_in(args)
        return
    from wfpgen.lifecycle.transaction import held_folder

    # Over an existing folder (--force), lock it before anything is read: its
    # wfpgen.toml may be the --config, and what a killed run left is rolled back first.
    with held_folder(target):
        _new_in(args)


def _new_in(args: _NewArgs) -> None:
    from wfpgen.core.catalog import load_catalog
    from wfpgen.core.reserved import file_name_problem
    from wfpgen.core.spec import apply_options
    from wfpgen.lifecycle.answers import read_spec_file
    from wfpgen.templating.chosen import choose_template

    if args.directory is not None:
        problem = file_name_problem(args.directory.name)
        if problem:
            raise SpecError([Problem("DIRECTORY", f"{problem}; choose another folder name")])
    catalog = load_catalog()
    raw = read_spec_file(args.config, option="--config") if args.config else {}
    # Interactive runs ask for callouts instead of taking the built-in ones.
    raw = apply_options(
        raw,
        name=args.name,
        min_os=args.min_os,
        callouts=args.callouts,
        from_file=args.config is not None or args.interactive,
    )
    with choose_template(
        _template_table(raw),
        base=args.config.parent if args.config else Path(),
        source=args.template,
        checkout=args.checkout,
        directory=args.template_directory,
        sets=args.sets,
        trust=args.trust,
        runs_hooks=not args.dry_run,
    ) as chosen:  # before any question: a template wfpgen cannot use is refused at once
        _generate(args, raw, catalog, chosen)


def _generate(
    args: _NewArgs, raw: dict[str, Any], catalog: "Catalog", chosen: "ChosenTemplate"
) -> None:
    from wfpgen import ui
    from wfpgen.core.project import plan_project
    from wfpgen.core.resolve import random_guid
    from wfpgen.core.spec import spec_to_raw
    from wfpgen.lifecycle.generate import generate_project

    values = chosen.values
    # The interview and its questions load only for a person at a terminal.
    asked = False
    unasked = []
    if args.interactive:
        from wfpgen import interview

        missing = interview.missing_values(raw)
        unasked = [v for v in chosen.info.variables if v.name not in _given_names(raw, args)]
        asked = missing.anything or bool(unasked)
    if asked and missing.anything:
        from wfpgen.cli.asking import ask_missing

        problems = interview.problems_before_asking(raw, catalog, missing)
        if problems:
            raise SpecError(problems)
        if args.directory is not None:
            _check_folder(args.output_dir / args.directory, args.force)
        raw = ask_missing(
            raw,
            catalog,
            missing,
            check_name=partial(_check_name_folder, args),
            new_guid=random_guid,
        )
    if unasked:
        from wfpgen.cli.asking import ask_variables

        values = ask_variables(unasked, values)
    plan = plan_project(raw, catalog)
    notes = plan.resolution.notes
    target = args.output_dir / (args.directory or Path(plan.resolution.spec.driver.name))
    spec = replace(plan.resolution.spec, template=chosen.record(target, values))
    ui.warnings(plan.warnings)
    if asked:
        from wfpgen import interview
        from wfpgen.cli.asking import ask

        windows = catalog.find_windows(spec.driver.min_os)
        given = {str(c.get("name")) for c in raw.get("callouts", []) if isinstance(c, Mapping)}
        added = [c.name for c in spec.callouts if c.name not in given]
        ui.show_summary(spec, target, windows.title if windows else spec.driver.min_os, added)
        # A dry run writes nothing, so there is nothing to confirm.
        if not args.dry_run and not ask(
            "Write the project? [y/n]", interview.judge_yes_no, default="y"
        ):
            raise _CancelledError("cancelled; nothing was written")
    if args.dry_run and chosen.info.hooks:
        hooks = ", ".join(chosen.info.hooks)
        ui.notes([f"the template's hooks do not run in a dry run: {hooks}"])
    result = generate_project(
        spec,
        catalog,
        target,
        template=chosen.path,
        version=__version__,
        force=args.force,
        dry_run=args.dry_run,
        trusted=chosen.trusted,
    )
    # Only now are the notes true: the GUIDs they name are in the written (or planned) files.
    ui.notes(notes)
    if args.json_output:
        from wfpgen.cli.reporting import print_result

        print_result(
            "new",
            project=result.target,
            dry_run=args.dry_run,
            written=result.written,
            files=list(result.files),
            record=list(result.record),
            spec=spec_to_raw(spec, version=__version__),
            warnings=plan.warnings,
            notes=notes,
        )
    elif args.dry_run:
        ui.show_dry_run(result.target, result.files)
    else:
        ui.show_generated(result.target, result.files, f"{spec.driver.name}.sln")


def _template_table(raw: Mapping[str, Any]) -> Mapping[str, Any]:
    table = raw.get("template", {})
    return table if isinstance(table, Mapping) else {}


def _given_names(raw: Mapping[str, Any], args: _NewArgs) -> set[str]:
    """Variables the spec file or ``--set`` give a value: they are not asked."""
    given = _template_table(raw).get("variables")
    names = set(given) if isinstance(given, Mapping) else set()
    return names | {value.partition("=")[0].strip() for value in args.sets}


def _check_folder(target: Path, force: bool) -> None:
    from wfpgen.lifecycle.generate import check_destination

    check_destination(target, force=force)


def _check_name_folder(args: _NewArgs, name: str) -> None:
    """Without a DIRECTORY argument the driver name is the folder: it must be usable."""
    from wfpgen.interview import AnswerError

    if args.directory is not None:
        return
    try:
        _check_folder(args.output_dir / name, args.force)
    except DestinationError as err:
        raise AnswerError(
            f"{err.message}; choose another name, or start again with --output-dir or --force"
        ) from None
