"""The wfpgen command line: parse options, ask for what is missing, call the use cases.

This is the only module that reads TTY state or the environment, and the only
one that exits. Heavy imports (cookiecutter, Jinja) happen inside ``new``,
which renders, so ``wfpgen --help`` and the catalog commands stay fast.
"""

import os
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from wfpgen import __version__, interview, ui
from wfpgen.answers import read_spec_file
from wfpgen.catalog import Catalog, WindowsVersion, load_catalog, normalize_flag_name
from wfpgen.errors import DestinationError, ExitCode, Problem, SpecError, WfpgenError
from wfpgen.interview import AnswerError, Judged
from wfpgen.project import plan_project
from wfpgen.reference import FLOW_CONTEXT_LAYERS, flag_rows, layer_detail, layer_rows
from wfpgen.resolve import GuidFactory, random_guid
from wfpgen.schema import build_schema
from wfpgen.spec import apply_options, spec_to_raw
from wfpgen.validate import usable_flags

T = TypeVar("T")

app = typer.Typer(
    name="wfpgen",
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode="rich",
)


# --- shell completion -----------------------------------------------------


def _same_case(value: str, typed: str) -> str:
    """``value`` in lower case when the user types in lower case (wfpgen accepts any case)."""
    return value.lower() if typed and typed == typed.lower() and typed != typed.upper() else value


def _short(text: str, limit: int = 60) -> str:
    """Completion help fits one line: shells show it beside the value."""
    first = text.split(";")[0].rstrip(".")
    return first if len(first) <= limit else first[: limit - 1] + "…"


def _layer_items(typed: str) -> list[tuple[str, str]]:
    upper = typed.upper()
    prefix = next((p for p in ("FWPS_LAYER_", "FWPM_LAYER_") if upper.startswith(p)), "")
    rest = upper.removeprefix(prefix)
    return [
        (typed[: len(prefix)] + _same_case(layer.name, typed[len(prefix) :]), _short(layer.summary))
        for layer in load_catalog().kernel_layers()
        if layer.name.startswith(rest)
    ]


def _complete_layer(incomplete: str) -> list[tuple[str, str]]:
    """Layer names for ``layers NAME`` and ``flags --layer``."""
    return _layer_items(incomplete)


def _complete_min_os(incomplete: str) -> list[tuple[str, str]]:
    """Windows ids for ``--min-os``."""
    wanted = incomplete.lower()
    return [(w.id, w.title) for w in load_catalog().windows if w.id.startswith(wanted)]


def _complete_callout(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """``NAME:LAYER[:FLAG,FLAG]`` for ``--callout``: the layer, then the flags that fit it."""
    parts = incomplete.split(":")
    if len(parts) == 2:
        return [(f"{parts[0]}:{value}", help_) for value, help_ in _layer_items(parts[1])]
    if len(parts) != 3:
        return []
    catalog = load_catalog()
    layer = catalog.find_layer(parts[1])
    windows = catalog.find_windows(str(ctx.params.get("min_os") or "")) or catalog.windows[-1]
    if layer is None:
        return []
    *done, typed = parts[2].split(",")
    head = ":".join(parts[:2]) + ":" + "".join(f"{flag}," for flag in done)
    chosen = {normalize_flag_name(flag) for flag in done}
    return [
        (head + _same_case(flag.name, typed), _short(flag.summary))
        for flag in usable_flags(catalog, layer, windows)
        if flag.name.startswith(normalize_flag_name(typed)) and flag.name not in chosen
    ]


# --- options shared by several commands -----------------------------------

JsonOption = Annotated[
    bool,
    typer.Option("--json", help="Print machine-readable JSON on stdout; messages stay on stderr."),
]
MinOsOption = Annotated[
    str | None,
    typer.Option(
        "--min-os",
        help="Minimum Windows: win7, win8, win8.1, win10, win10-1511 ... win10-21h2, win11, win11-22h2.",
        autocompletion=_complete_min_os,
    ),
]


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
    """Scaffold Windows Filtering Platform (WFP) callout drivers.

    [bold]Examples[/]

      wfpgen new  [dim]# asks for the driver and its callouts[/]

      wfpgen new --config spec.toml --no-input

      wfpgen layers stream  [dim]# the STREAM layers[/]

      wfpgen validate spec.toml  [dim]# the spec checks alone, for CI[/]
    """


# --- wfpgen new -----------------------------------------------------------


@dataclass(frozen=True)
class _NewArgs:
    """The options of ``wfpgen new``, passed on as one value."""

    directory: Path | None
    config: Path | None
    name: str | None
    callouts: tuple[str, ...]
    min_os: str | None
    output_dir: Path
    template: Path | None
    force: bool
    dry_run: bool
    json_output: bool
    interactive: bool


class _CancelledError(WfpgenError):
    """The user declined the summary."""

    exit_code = ExitCode.INTERRUPTED


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
            autocompletion=_complete_callout,
        ),
    ] = None,
    min_os: MinOsOption = None,
    output_dir: Annotated[
        Path, typer.Option("--output-dir", "-o", help="Folder to create the project in.")
    ] = Path(),
    template: Annotated[
        Path | None,
        typer.Option(
            "--template", help="Use this cookiecutter template folder instead of the built-in one."
        ),
    ] = None,
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
    CI is set, it never asks: values come from built-in defaults, then
    --config, then the options.

    [bold]Examples[/]

      wfpgen new

      wfpgen new --no-input

      wfpgen new --config spec.toml --output-dir build

      wfpgen new Contoso --name Contoso --min-os win10-1709 --callout Connect:ALE_AUTH_CONNECT_V4 --callout Stream:STREAM_V4:CONDITIONAL_ON_FLOW

      wfpgen new --config spec.toml --no-input --json > result.json
    """
    interactive = _is_interactive(no_input)
    with _reported_errors(json_output=json_output, prompting=interactive):
        _new(
            _NewArgs(
                directory=directory,
                config=config,
                name=name,
                callouts=tuple(callout or ()),
                min_os=min_os,
                output_dir=output_dir,
                template=template,
                force=force,
                dry_run=dry_run,
                json_output=json_output,
                interactive=interactive,
            )
        )


def _new(args: _NewArgs) -> None:
    # generate imports render, the only user of cookiecutter and Jinja: import it
    # here so the other commands never load them.
    from wfpgen.generate import generate_project
    from wfpgen.render import template_dir

    catalog = load_catalog()
    raw = read_spec_file(args.config) if args.config else {}
    # Interactive runs ask for callouts instead of taking the built-in ones.
    raw = apply_options(
        raw,
        name=args.name,
        min_os=args.min_os,
        callouts=args.callouts,
        from_file=args.config is not None or args.interactive,
    )
    missing = interview.missing_values(raw)
    asked = args.interactive and missing.anything
    if asked:
        problems = interview.problems_before_asking(raw, catalog, missing)
        if problems:
            raise SpecError(problems)
        if args.directory is not None:
            _check_folder(args.output_dir / args.directory, args.force)
        raw = _interview(raw, catalog, missing, args, random_guid)
    plan = plan_project(raw, catalog)
    notes = plan.resolution.notes
    spec = plan.resolution.spec
    target = args.output_dir / (args.directory or Path(spec.driver.name))
    ui.warnings(plan.warnings)
    ui.notes(notes)
    if asked:
        windows = catalog.find_windows(spec.driver.min_os)
        given = {str(c.get("name")) for c in raw.get("callouts", []) if isinstance(c, Mapping)}
        added = [c.name for c in spec.callouts if c.name not in given]
        ui.show_summary(spec, target, windows.title if windows else spec.driver.min_os, added)
        # A dry run writes nothing, so there is nothing to confirm.
        if not args.dry_run and not _ask(
            "Write the project? [y/n]", interview.judge_yes_no, default="y"
        ):
            raise _CancelledError("cancelled; nothing was written")
    result = generate_project(
        spec,
        catalog,
        target,
        template=args.template or template_dir(),
        version=__version__,
        force=args.force,
        dry_run=args.dry_run,
    )
    if args.json_output:
        ui.print_json(
            {
                "ok": True,
                "target": str(result.target),
                "written": result.written,
                "files": list(result.files),
                "warnings": [asdict(w) for w in plan.warnings],
                "notes": list(notes),
                "spec": spec_to_raw(spec, version=__version__),
            }
        )
    elif args.dry_run:
        ui.show_dry_run(result.target, result.files)
    else:
        ui.show_generated(result.target, result.files, f"{spec.driver.name}.sln")


def _check_folder(target: Path, force: bool) -> None:
    from wfpgen.generate import check_destination

    check_destination(target, force=force)


def _interview(
    raw: dict[str, Any],
    catalog: Catalog,
    missing: interview.Missing,
    args: _NewArgs,
    new_guid: GuidFactory,
) -> dict[str, Any]:
    """Ask for the missing driver values and callouts; return the completed raw spec."""
    ui.intro()
    if missing.name or missing.min_os:
        ui.heading("Driver")
    if missing.name:
        name = _ask(
            "Driver name",
            partial(_judge_driver_name, raw, catalog, args),
            default=interview.default_driver_name(),
        )
        raw = interview.with_driver(raw, name=name)
    if missing.min_os:
        ui.show_windows(catalog.windows)
        min_os = _ask(
            "Minimum Windows",
            partial(interview.judge_min_os, raw, catalog=catalog),
            default=interview.default_min_os(),
            show=partial(ui.show_windows, catalog.windows),
        )
        raw = interview.with_driver(raw, min_os=min_os)
    if missing.callouts:
        raw = _ask_callouts(raw, catalog, new_guid)
    return raw


def _judge_driver_name(
    raw: Mapping[str, Any], catalog: Catalog, args: _NewArgs, text: str
) -> Judged[str]:
    """A driver name is also the project folder's name: that folder must be free."""
    judged = interview.judge_driver_name(raw, text, catalog)
    if args.directory is None:
        try:
            _check_folder(args.output_dir / judged.value, args.force)
        except DestinationError as err:
            raise AnswerError(
                f"{err.message}; choose another name, or start again with --output-dir or --force"
            ) from None
    return judged


def _ask_callouts(raw: dict[str, Any], catalog: Catalog, new_guid: GuidFactory) -> dict[str, Any]:
    layer_names = [layer.name for layer in interview.layer_choices(raw, catalog)]
    show_layers = partial(ui.show_layer_names, layer_names)
    number = 0
    while True:
        number += 1
        ui.heading(f"Callout {number}")
        name = _ask(
            "Callout name",
            partial(interview.judge_callout_name, raw, catalog=catalog),
            default=interview.default_callout_name(raw),
        )
        draft: dict[str, Any] = {"name": name}
        if number == 1:
            show_layers()
        layer = _ask(
            "Layer (? lists them)",
            partial(interview.judge_layer, raw, draft, catalog=catalog),
            show=show_layers,
            echo=lambda value: value.name,
        )
        draft = {**draft, "layer": layer.name}
        choices = interview.flag_choices(raw, layer, catalog)
        if choices:
            ui.show_flag_choices(choices)
            flags = _ask(
                "Flags, comma-separated names or numbers",
                partial(interview.judge_flags, raw, draft, catalog=catalog),
                default="none",
                show=partial(ui.show_flag_choices, choices),
                echo=lambda value: ", ".join(value) or "none",
            )
            draft = {**draft, "flags": list(flags)}
        guid = _ask("GUID", partial(interview.judge_guid, raw, draft, catalog=catalog), new_guid())
        draft = {**draft, "guid": guid}
        if number == 1:
            ui.show_actions(interview.ACTION_HELP)
        action = _ask(
            "Filter action [terminating/inspection/unknown]",
            interview.judge_action,
            default=interview.default_action(),
            show=partial(ui.show_actions, interview.ACTION_HELP),
        )
        raw = interview.with_callout(raw, {**draft, "action": action})
        if not _ask("Add another callout? [y/n]", interview.judge_yes_no, default="n"):
            return raw


def _ask(
    question: str,
    judge: Callable[[str], Judged[T]],
    default: str | None = None,
    *,
    show: Callable[[], None] | None = None,
    echo: Callable[[T], str] | None = None,
) -> T:
    """Ask until ``judge`` accepts the answer; say why whenever it does not.

    ``show`` lists the choices when the user types ``?``; ``echo`` spells out
    what a loosely typed answer was taken to mean.
    """
    while True:
        text = ui.ask(question, default)
        if show is not None and text.strip() == "?":
            show()
            continue
        try:
            judged = judge(text)
        except AnswerError as err:
            ui.reject(err.reason)
            continue
        ui.warnings(judged.warnings)
        if echo is not None and echo(judged.value).lower() != text.strip().lower():
            ui.notes([f"taken as {echo(judged.value)}"])
        return judged.value


def _is_interactive(no_input: bool) -> bool:
    """Prompt only for a person at a terminal: never with --no-input, piped stdin, or in CI."""
    return not no_input and sys.stdin.isatty() and not os.environ.get("CI")


# --- catalog commands -----------------------------------------------------


@app.command()
def layers(
    name: Annotated[
        str | None,
        typer.Argument(
            metavar="NAME|TEXT",
            help="A layer name shows that layer and its fields; other text filters the table.",
            autocompletion=_complete_layer,
        ),
    ] = None,
    min_os: MinOsOption = None,
    json_output: JsonOption = False,
) -> None:
    """List the filtering layers a kernel callout can use, or describe one.

    The table shows each layer's IP family, whether callouts there can keep
    flow contexts, what classifyFn's layerData points to, and the oldest
    Windows that has it. Text filters the table, in any case: layers whose
    name has every word (`auth connect`), or else whose description,
    family or layerData has every word (`tcp`).

    [bold]Examples[/]

      wfpgen layers

      wfpgen layers stream

      wfpgen layers "auth connect" --min-os win7

      wfpgen layers ALE_AUTH_CONNECT_V4  [dim]# its FWPS_FIELD_* indices[/]

      wfpgen layers --json
    """
    with _reported_errors(json_output=json_output):
        catalog = load_catalog()
        windows = _windows_option(catalog, min_os)
        layer = catalog.find_layer(name) if name else None
        if layer is not None:
            detail = layer_detail(catalog, layer)
            if not layer.usable:
                ui.warnings(
                    [Problem(layer.name, "kernel callouts cannot be registered at this layer")]
                )
            if json_output:
                ui.print_json(asdict(detail))
            else:
                ui.show_layer_detail(detail)
            return
        rows = layer_rows(catalog, name or "", windows)
        if not rows:
            close = catalog.suggest_layers(name or "")
            hint = f"did you mean {' or '.join(close)}?" if close else "try fewer words"
            raise SpecError([Problem("layers", f"no kernel layer matches '{name}'; {hint}")])
        if json_output:
            ui.print_json([asdict(row) for row in rows])
        else:
            ui.show_layers(
                rows,
                f"{len(rows)} layers. flow contexts: yes = a callout here can keep per-flow "
                "contexts (and set CONDITIONAL_ON_FLOW); associates = contexts for the other "
                "layers are associated here.\n`wfpgen layers NAME` lists a layer's fields.",
            )


@app.command()
def flags(
    layer: Annotated[
        str | None,
        typer.Option(
            "--layer",
            "-l",
            help="Only the flags that make sense at this layer.",
            autocompletion=_complete_layer,
        ),
    ] = None,
    min_os: MinOsOption = None,
    all_flags: Annotated[
        bool, typer.Option("--all", help="Include the flags reserved for the system.")
    ] = False,
    json_output: JsonOption = False,
) -> None:
    """List the FWP_CALLOUT_FLAG_* flags: meaning, minimum Windows, where they apply.

    In a spec file or --callout, a flag is written with or without its
    FWP_CALLOUT_FLAG_ prefix, in any case.

    [bold]Examples[/]

      wfpgen flags

      wfpgen flags --layer STREAM_V4 --min-os win7

      wfpgen flags --json
    """
    with _reported_errors(json_output=json_output):
        catalog = load_catalog()
        windows = _windows_option(catalog, min_os)
        found = None
        if layer is not None:
            found = catalog.find_layer(layer)
            if found is None or not found.usable:
                close = catalog.suggest_layers(layer)
                hint = f"did you mean {' or '.join(close)}?" if close else "see `wfpgen layers`"
                raise SpecError([Problem("--layer", f"no kernel layer '{layer}'; {hint}")])
        rows = flag_rows(catalog, layer=found, windows=windows, reserved=all_flags)
        if json_output:
            ui.print_json([asdict(row) for row in rows])
            return
        where = f" at {found.name}" if found else ""
        on = f" on {windows.id}" if windows else ""
        ui.show_flags(
            rows,
            f"{len(rows)} flags{where}{on}. flow-context layers: {FLOW_CONTEXT_LAYERS}.",
        )


def _windows_option(catalog: Catalog, min_os: str | None) -> WindowsVersion | None:
    if min_os is None:
        return None
    windows = catalog.find_windows(min_os)
    if windows is None:
        close = catalog.suggest_windows(min_os)
        hint = f"did you mean {' or '.join(close)}?" if close else "see `wfpgen new --help`"
        raise SpecError([Problem("--min-os", f"unknown Windows version '{min_os}'; {hint}")])
    return windows


# --- spec commands --------------------------------------------------------


@app.command()
def validate(
    file: Annotated[Path, typer.Argument(help="The spec file (TOML) to check.", dir_okay=False)],
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
    with _reported_errors(json_output=json_output):
        catalog = load_catalog()
        raw = read_spec_file(file)
        plan = plan_project(raw, catalog)
        ui.warnings(plan.warnings)
        spec = plan.resolution.spec
        if json_output:
            ui.print_json(
                {"ok": True, "file": str(file), "warnings": [asdict(w) for w in plan.warnings]}
            )
        else:
            count = len(spec.callouts)
            ui.success(
                f"{file}: valid; driver {spec.driver.name}, {count} "
                f"callout{'s' if count != 1 else ''}, minimum Windows {spec.driver.min_os}"
            )


@app.command()
def schema() -> None:
    """Print the JSON Schema of spec files, for editors.

    Layer, flag and Windows names are listed as enums, and unknown keys are
    not allowed, as in wfpgen itself. Editors with TOML schema support (for
    example Taplo, used by Even Better TOML) pick it up from a
    `#:schema wfpgen.schema.json` line at the top of the spec.

    [bold]Examples[/]

      wfpgen schema > wfpgen.schema.json
    """
    with _reported_errors(json_output=False):
        ui.print_json(build_schema(load_catalog()))


# --- errors ---------------------------------------------------------------


@contextmanager
def _reported_errors(*, json_output: bool, prompting: bool = False) -> Iterator[None]:
    """Turn wfpgen errors and Ctrl-C into a message and an exit status.

    With ``--json`` the failure is also described on stdout, so a script
    reading JSON always gets an object.
    """
    try:
        yield
    except SpecError as err:
        ui.problems(err.problems)
        _json_failure(json_output, err.exit_code, problems=[asdict(p) for p in err.problems])
        raise typer.Exit(err.exit_code) from None
    except WfpgenError as err:
        ui.error(err.message, err.hint)
        _json_failure(json_output, err.exit_code, error=err.message, hint=err.hint)
        raise typer.Exit(err.exit_code) from None
    except (KeyboardInterrupt, EOFError):
        # EOF at a prompt (Ctrl-D) ends the session the same way.
        ui.interrupted(after_prompt=prompting)
        _json_failure(json_output, ExitCode.INTERRUPTED, error="interrupted")
        raise typer.Exit(ExitCode.INTERRUPTED) from None


def _json_failure(json_output: bool, code: ExitCode, **details: Any) -> None:
    if json_output:
        ui.print_json({"ok": False, "exit_code": int(code), **details})


def main() -> None:
    """Entry point of the ``wfpgen`` console script."""
    app()
