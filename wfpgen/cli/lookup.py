"""``wfpgen layers`` and ``wfpgen flags``: look things up in the WFP catalog."""

from typing import TYPE_CHECKING, Annotated, Any

import typer

from wfpgen.cli.completion import complete_layer
from wfpgen.cli.options import JsonOption, MinOsOption
from wfpgen.cli.reporting import reported_errors

# The commands this module declares (see wfpgen.cli.app).
commands = typer.Typer(rich_markup_mode="rich")

if TYPE_CHECKING:
    from wfpgen.core.catalog import Catalog, WindowsVersion
    from wfpgen.core.reference import LayerDetail, LayerRow


@commands.command()
def layers(
    name: Annotated[
        str | None,
        typer.Argument(
            metavar="NAME|TEXT",
            help="A layer name shows that layer and its fields; other text filters the table.",
            autocompletion=complete_layer,
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
    with reported_errors(json_output=json_output, command="layers"):
        from wfpgen import ui
        from wfpgen.cli.reporting import print_result
        from wfpgen.core.catalog import load_catalog
        from wfpgen.core.reference import layer_detail, layer_rows
        from wfpgen.errors import Problem, SpecError
        from wfpgen.ui import tables

        catalog = load_catalog()
        windows = _windows_option(catalog, min_os)
        layer = catalog.find_layer(name) if name else None
        if layer is not None:
            detail = layer_detail(catalog, layer)
            warnings = (
                []
                if layer.usable
                else [Problem(layer.name, "kernel callouts cannot be registered at this layer")]
            )
            ui.warnings(warnings)
            if json_output:
                print_result("layers", layer=_detail_json(detail), warnings=warnings)
            else:
                tables.show_layer_detail(detail)
            return
        rows = layer_rows(catalog, name or "", windows)
        if not rows:
            close = catalog.suggest_layers(name or "")
            hint = f"did you mean {' or '.join(close)}?" if close else "try fewer words"
            raise SpecError([Problem("layers", f"no kernel layer matches '{name}'; {hint}")])
        if json_output:
            print_result("layers", layers=[_row_json(row) for row in rows])
        else:
            tables.show_layers(
                rows,
                f"{len(rows)} layers. flow contexts: yes = a callout here can keep per-flow "
                "contexts (and set CONDITIONAL_ON_FLOW); associates = contexts for the other "
                "layers are associated here.\n`wfpgen layers NAME` lists a layer's fields.",
            )


@commands.command()
def flags(
    layer: Annotated[
        str | None,
        typer.Option(
            "--layer",
            "-l",
            help="Only the flags that make sense at this layer.",
            autocompletion=complete_layer,
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
    with reported_errors(json_output=json_output, command="flags"):
        from dataclasses import asdict

        from wfpgen.cli.reporting import print_result
        from wfpgen.core.catalog import load_catalog
        from wfpgen.core.reference import FLOW_CONTEXT_LAYERS, flag_rows
        from wfpgen.errors import Problem, SpecError
        from wfpgen.ui import tables

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
            print_result("flags", flags=[asdict(row) for row in rows])
            return
        where = f" at {found.name}" if found else ""
        on = f" on {windows.id}" if windows else ""
        tables.show_flags(
            rows,
            f"{len(rows)} flags{where}{on}. flow-context layers: {FLOW_CONTEXT_LAYERS}.",
        )


def _row_json(row: "LayerRow") -> dict[str, Any]:
    """A table row for --json: flow contexts as two booleans instead of a word."""
    from dataclasses import asdict

    data = asdict(row)
    data["flow_contexts"] = row.flow_contexts == "yes"
    data["associates_flow_contexts"] = row.flow_contexts == "associates"
    return data


def _detail_json(detail: "LayerDetail") -> dict[str, Any]:
    """One layer for --json: its row's facts, then the rest, in one object."""
    from dataclasses import asdict

    data = asdict(detail)
    del data["layer"]
    return {**_row_json(detail.layer), **data}


def _windows_option(catalog: "Catalog", min_os: str | None) -> "WindowsVersion | None":
    from wfpgen.errors import Problem, SpecError

    if min_os is None:
        return None
    windows = catalog.find_windows(min_os)
    if windows is None:
        close = catalog.suggest_windows(min_os)
        hint = f"did you mean {' or '.join(close)}?" if close else "see `wfpgen new --help`"
        raise SpecError([Problem("--min-os", f"unknown Windows version '{min_os}'; {hint}")])
    return windows
