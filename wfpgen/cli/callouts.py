"""``wfpgen add|remove callout`` and ``add|remove channel``: change wfpgen.toml, then update.

The changed spec is checked exactly like ``wfpgen new`` checks one, and the
project is updated with it (:func:`wfpgen.cli.update.run_update`): the new
``wfpgen.toml`` is written in the same all-or-nothing step as the files, so a
refused or failed update leaves both as they were.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from wfpgen.cli.completion import complete_behavior, complete_callout
from wfpgen.cli.options import (
    CheckoutOption,
    DirectoryOption,
    JsonOption,
    ProjectOption,
    SetOption,
    TemplateOption,
    TrustOption,
    one_project,
)
from wfpgen.cli.reporting import is_interactive, reported_errors
from wfpgen.cli.update import DryRunOption, ForceOption, run_update, template_options
from wfpgen.errors import Problem, SpecError

if TYPE_CHECKING:
    from wfpgen.lifecycle.update import TemplateOptions

# The spec, the interview and the renderer are imported where a command runs,
# so that --help and shell completion stay light.

add_app = typer.Typer(no_args_is_help=True, help="Add to a generated project (then update it).")
remove_app = typer.Typer(
    no_args_is_help=True, help="Remove from a generated project (then update it)."
)

# The commands this module declares (see wfpgen.cli.app).
commands = typer.Typer(rich_markup_mode="rich")
commands.add_typer(add_app, name="add")
commands.add_typer(remove_app, name="remove")


@add_app.command("callout")
def add_callout_command(
    callout: Annotated[
        str | None,
        typer.Argument(
            metavar="NAME[:LAYER[:FLAG,FLAG...]]",
            help="The callout; in a terminal, what is missing is asked for.",
            autocompletion=complete_callout,
        ),
    ] = None,
    guid: Annotated[
        str | None, typer.Option("--guid", help="Callout key (default: a new GUID).")
    ] = None,
    action: Annotated[
        str | None,
        typer.Option("--action", help="Filter action: terminating, inspection or unknown."),
    ] = None,
    behavior: Annotated[
        str | None,
        typer.Option(
            "--behavior",
            help="decide (default), ask (ALE_AUTH_CONNECT/RECV_ACCEPT; needs the channel) or "
            "reinject (transport, DATAGRAM_DATA, IP packet layers); `wfpgen layers LAYER` lists them.",
            autocompletion=complete_behavior,
        ),
    ] = None,
    project: ProjectOption = None,
    template: TemplateOption = None,
    checkout: CheckoutOption = None,
    template_directory: DirectoryOption = None,
    set_: SetOption = None,
    trust: TrustOption = False,
    force: ForceOption = False,
    dry_run: DryRunOption = False,
    no_input: Annotated[
        bool, typer.Option("--no-input", help="Never prompt; NAME:LAYER is then required.")
    ] = False,
    json_output: JsonOption = False,
) -> None:
    """Add a callout to the project's wfpgen.toml and update the project.

    The callout is checked like one given to `wfpgen new`; its source, its
    registration, its filter and its place in the project files are merged
    into your edited files. Exit statuses are those of `wfpgen update`.

    [bold]Examples[/]

      wfpgen add callout  [dim]# in a terminal: asks for the callout[/]

      wfpgen add callout Block:ALE_AUTH_CONNECT_V4 --project MyDriver

      wfpgen add callout Stream:STREAM_V4:CONDITIONAL_ON_FLOW --action inspection

      wfpgen add callout Ask:ALE_AUTH_CONNECT_V4 --behavior ask  [dim]# needs `wfpgen add channel`[/]
    """
    from wfpgen.core.edit import add_callout
    from wfpgen.lifecycle.answers import read_spec_file

    interactive = is_interactive(no_input)
    project = one_project(None, project)
    with (
        reported_errors(
            json_output=json_output, command="add callout", project=project, prompting=interactive
        ),
        _holding(project, dry_run=dry_run),
    ):
        raw = read_spec_file(_spec_file(project))
        entry = _callout_entry(raw, callout, interactive=interactive)
        if guid is not None:
            entry["guid"] = guid
        if action is not None:
            entry["action"] = action
        if behavior is not None:
            entry["behavior"] = behavior
        run_update(
            project,
            template=template_options(template, checkout, template_directory, set_, trust),
            force=force,
            dry_run=dry_run,
            json_output=json_output,
            command="add callout",
            raw=add_callout(raw, entry),
        )


@remove_app.command("callout")
def remove_callout_command(
    name: Annotated[str, typer.Argument(help="The callout's name.")],
    project: ProjectOption = None,
    template: TemplateOption = None,
    checkout: CheckoutOption = None,
    template_directory: DirectoryOption = None,
    set_: SetOption = None,
    trust: TrustOption = False,
    force: ForceOption = False,
    dry_run: DryRunOption = False,
    json_output: JsonOption = False,
) -> None:
    """Remove a callout from the project's wfpgen.toml and update the project.

    A flow callout wfpgen added for flow contexts goes too when no callout
    keeps flow contexts any more; files no longer generated are deleted when
    you did not edit them, and left as conflicts when you did.

    [bold]Examples[/]

      wfpgen remove callout Block --project MyDriver --dry-run
    """
    from wfpgen.core.edit import remove_callout
    from wfpgen.lifecycle.answers import read_spec_file

    project = one_project(None, project)
    with (
        reported_errors(json_output=json_output, command="remove callout", project=project),
        _holding(project, dry_run=dry_run),
    ):
        raw = read_spec_file(_spec_file(project))
        run_update(
            project,
            template=template_options(template, checkout, template_directory, set_, trust),
            force=force,
            dry_run=dry_run,
            json_output=json_output,
            command="remove callout",
            raw=remove_callout(raw, name),
        )


@add_app.command("channel")
def add_channel_command(
    events: Annotated[
        bool | None,
        typer.Option(
            "--events/--no-events", help="Classify reports connection events (default: on)."
        ),
    ] = None,
    app: Annotated[
        bool | None,
        typer.Option(
            "--app/--no-app", help="Generate the companion program in app/ (default: on)."
        ),
    ] = None,
    ring: Annotated[
        int | None,
        typer.Option("--ring", help="Events held while no reader waits, 16-65536 (default: 256)."),
    ] = None,
    ask_timeout: Annotated[
        int | None,
        typer.Option(
            "--ask-timeout", help="Seconds an ask callout waits for an answer, 1-300 (default: 5)."
        ),
    ] = None,
    project: ProjectOption = None,
    template: TemplateOption = None,
    checkout: CheckoutOption = None,
    template_directory: DirectoryOption = None,
    set_: SetOption = None,
    trust: TrustOption = False,
    force: ForceOption = False,
    dry_run: DryRunOption = False,
    json_output: JsonOption = False,
) -> None:
    """Turn the control channel on in the project's wfpgen.toml and update the project.

    The channel is an admin-only control device with statistics, per-callout
    enable/disable, connection events and the companion program; ask callouts
    need it. On a project that has it, this changes only the options given.
    Your edits to the generated files are merged as by `wfpgen update`.

    [bold]Examples[/]

      wfpgen add channel --project MyDriver

      wfpgen add channel --no-app --ring 1024
    """
    from wfpgen.core.edit import add_channel

    values = {"events": events, "app": app, "ring": ring, "ask_timeout": ask_timeout}
    _edit_and_update(
        "add channel",
        project,
        lambda raw: add_channel(raw, **values),
        template=template_options(template, checkout, template_directory, set_, trust),
        force=force,
        dry_run=dry_run,
        json_output=json_output,
    )


@remove_app.command("channel")
def remove_channel_command(
    project: ProjectOption = None,
    template: TemplateOption = None,
    checkout: CheckoutOption = None,
    template_directory: DirectoryOption = None,
    set_: SetOption = None,
    trust: TrustOption = False,
    force: ForceOption = False,
    dry_run: DryRunOption = False,
    json_output: JsonOption = False,
) -> None:
    """Remove the control channel from the project's wfpgen.toml and update the project.

    Refused while a callout asks user mode. The channel's files (driver
    channel code, shared header, companion program) are deleted when you did
    not edit them, and left as conflicts when you did.

    [bold]Examples[/]

      wfpgen remove channel --project MyDriver --dry-run
    """
    from wfpgen.core.edit import remove_channel

    _edit_and_update(
        "remove channel",
        project,
        remove_channel,
        template=template_options(template, checkout, template_directory, set_, trust),
        force=force,
        dry_run=dry_run,
        json_output=json_output,
    )


def _edit_and_update(
    command: str,
    project: Path | None,
    edit: Callable[[dict[str, Any]], dict[str, Any]],
    *,
    template: "TemplateOptions",
    force: bool,
    dry_run: bool,
    json_output: bool,
) -> None:
    """Read the project's wfpgen.toml, change it with ``edit``, and update the project."""
    from wfpgen.lifecycle.answers import read_spec_file

    folder = one_project(None, project)
    with (
        reported_errors(json_output=json_output, command=command, project=folder),
        _holding(folder, dry_run=dry_run),
    ):
        raw = read_spec_file(_spec_file(folder))
        run_update(
            folder,
            template=template,
            force=force,
            dry_run=dry_run,
            json_output=json_output,
            command=command,
            raw=edit(raw),
        )


@contextmanager
def _holding(project: Path, *, dry_run: bool) -> Iterator[None]:
    """Hold the project's lock from before wfpgen.toml is read until the update is written.

    Without it, two runs read the same wfpgen.toml and the second one's write
    drops the first one's callout although both report success.
    """
    if dry_run:
        yield
        return
    from wfpgen.lifecycle.transaction import held_folder

    with held_folder(project):
        yield


def _spec_file(project: Path) -> Path:
    from wfpgen.lifecycle.answers import ANSWERS_FILE
    from wfpgen.lifecycle.update import NotAProjectError, spec_file

    try:
        return spec_file(project)
    except NotAProjectError:
        raise SpecError(
            [Problem("--project", f"{project} is not a wfpgen project (no {ANSWERS_FILE})")]
        ) from None


def _callout_entry(raw: dict[str, Any], value: str | None, *, interactive: bool) -> dict[str, Any]:
    """The callout from the argument, with what is missing asked for in a terminal."""
    from wfpgen.cli.asking import ask_callout
    from wfpgen.core.catalog import load_catalog
    from wfpgen.core.resolve import random_guid
    from wfpgen.core.spec import parse_callout_option

    parsed = parse_callout_option(value) if value is not None and ":" in value else None
    if parsed is not None:
        return parsed
    if not interactive:
        raise SpecError(
            [Problem("callout", "expected NAME:LAYER or NAME:LAYER:FLAG,FLAG", code="E113")]
        )
    return ask_callout(raw, load_catalog(), random_guid, name=value)
