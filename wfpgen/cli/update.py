"""``wfpgen update``, ``check`` and ``diff``: keep a generated project up to date.

Thin over :mod:`wfpgen.update` (imported inside the commands: it loads the
renderer). ``add callout`` and ``remove callout`` (:mod:`wfpgen.cli.callouts`)
end in :func:`run_update` too.
"""

from collections.abc import Mapping
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from wfpgen import __version__
from wfpgen.cli.app import app
from wfpgen.cli.options import (
    CheckoutOption,
    DirectoryOption,
    JsonOption,
    SetOption,
    TemplateOption,
    TrustOption,
)
from wfpgen.cli.reporting import reported_errors
from wfpgen.errors import ExitCode

if TYPE_CHECKING:
    from wfpgen.update import TemplateOptions, UpdateOutcome

# Everything else is imported where a command runs, so that --help and shell
# completion never load the renderer, Rich's widgets or the catalog.

ProjectArgument = Annotated[
    Path,
    typer.Argument(help="The project folder (the one holding wfpgen.toml).", file_okay=False),
]
ForceOption = Annotated[
    bool,
    typer.Option("--force", help="Update even when the git work tree has uncommitted changes."),
]
DryRunOption = Annotated[
    bool,
    typer.Option("--dry-run", help="Print the per-file plan and a unified diff; write nothing."),
]


@app.command()
def update(
    project: ProjectArgument = Path(),
    template: TemplateOption = None,
    checkout: CheckoutOption = None,
    template_directory: DirectoryOption = None,
    set_: SetOption = None,
    trust: TrustOption = False,
    force: ForceOption = False,
    dry_run: DryRunOption = False,
    json_output: JsonOption = False,
) -> None:
    """Re-render the project from its wfpgen.toml and merge the result into your files.

    Files you did not touch are updated, created or deleted; files you edited
    are merged three-way against what wfpgen generated last time (recorded in
    .wfpgen/). Where your edits and the new render change the same lines, the
    file gets conflict markers, is listed, and the exit status is 5. GUIDs
    never change. The project must have no uncommitted changes (--force
    overrides), and the update is written all at once or not at all.

    [bold]Examples[/]

      wfpgen update MyDriver --dry-run

      wfpgen update MyDriver

      wfpgen update MyDriver --checkout v2  [dim]# the team template's tag v2[/]

      wfpgen update MyDriver --template ../team-template --json
    """
    with reported_errors(json_output=json_output):
        run_update(
            project,
            template=template_options(template, checkout, template_directory, set_, trust),
            force=force,
            dry_run=dry_run,
            json_output=json_output,
        )


def template_options(
    source: str | None,
    checkout: str | None,
    directory: str | None,
    sets: list[str] | None,
    trust: bool,
) -> "TemplateOptions":
    """The template options of a command, as :mod:`wfpgen.update` takes them."""
    from wfpgen.update import TemplateOptions

    return TemplateOptions(source, checkout, directory, tuple(sets or ()), trust)


def run_update(
    project: Path,
    *,
    template: "TemplateOptions",
    force: bool,
    dry_run: bool,
    json_output: bool,
    raw: Mapping[str, Any] | None = None,
) -> None:
    """Update ``project`` (with ``raw`` as its spec when given), report, exit 5 on conflicts."""
    from wfpgen import ui
    from wfpgen.catalog import load_catalog
    from wfpgen.update import UpdateRequest, update_project

    outcome = update_project(
        UpdateRequest(
            project=project,
            version=__version__,
            template=template,
            raw=raw,
            dry_run=dry_run,
            force=force,
        ),
        load_catalog(),
    )
    ui.warnings(outcome.warnings)
    ui.notes(outcome.notes)
    if json_output:
        ui.print_json(_outcome_json(outcome, dry_run=dry_run))
    else:
        _show_outcome(outcome, dry_run=dry_run)
    if outcome.conflicts:
        ui.conflicts([(c.path, c.reason) for c in outcome.conflicts], written=outcome.written)
        raise typer.Exit(ExitCode.CONFLICTS)


def _show_outcome(outcome: "UpdateOutcome", *, dry_run: bool) -> None:
    from wfpgen import ui
    from wfpgen.drift import unified_diff
    from wfpgen.file_plan import Action

    rows = [
        (c.action.value, c.path, c.reason)
        for c in outcome.changes
        if c.action is not Action.UNCHANGED
    ]
    unchanged = len(outcome.changes) - len(rows)
    ui.show_update_plan(rows, unchanged=unchanged, dry_run=dry_run, written=outcome.written)
    if dry_run:
        ui.show_diff("".join(unified_diff(c.path, c.before, c.after) for c in outcome.changes))


def _outcome_json(outcome: "UpdateOutcome", *, dry_run: bool) -> dict[str, Any]:
    from wfpgen.drift import unified_diff
    from wfpgen.spec import spec_to_raw

    data: dict[str, Any] = {
        "ok": not outcome.conflicts,
        "exit_code": int(outcome.exit_code),
        "project": str(outcome.project),
        "dry_run": dry_run,
        "written": outcome.written,
        "files": [
            {"path": c.path, "action": c.action.value, "reason": c.reason} for c in outcome.changes
        ],
        "conflicts": [c.path for c in outcome.conflicts],
        "warnings": [asdict(w) for w in outcome.warnings],
        "notes": list(outcome.notes),
    }
    if outcome.spec is not None:
        data["spec"] = spec_to_raw(outcome.spec, version=__version__)
    if dry_run:
        data["diff"] = "".join(unified_diff(c.path, c.before, c.after) for c in outcome.changes)
    return data


@app.command()
def check(
    project: ProjectArgument = Path(),
    template: TemplateOption = None,
    checkout: CheckoutOption = None,
    template_directory: DirectoryOption = None,
    set_: SetOption = None,
    trust: TrustOption = False,
    json_output: JsonOption = False,
) -> None:
    """Exit 0 when `wfpgen update` would change nothing, 6 (with the reason) when it would.

    The project is rendered as an update would render it (its wfpgen.toml,
    this wfpgen, its template) and compared with what was generated last
    time. Your own edits do not count; `wfpgen diff` shows them.

    [bold]Examples[/]

      wfpgen check MyDriver

      wfpgen check MyDriver --json
    """
    with reported_errors(json_output=json_output):
        from wfpgen import ui
        from wfpgen.catalog import load_catalog
        from wfpgen.drift import check_project

        options = template_options(template, checkout, template_directory, set_, trust)
        outcome = check_project(project, load_catalog(), version=__version__, template=options)
        code = ExitCode.OK if outcome.up_to_date else ExitCode.OUT_OF_DATE
        if json_output:
            ui.print_json(
                {
                    "ok": outcome.up_to_date,
                    "exit_code": int(code),
                    "project": str(project),
                    "up_to_date": outcome.up_to_date,
                    "reasons": list(outcome.reasons),
                    "changed": list(outcome.changed),
                }
            )
        else:
            ui.show_check(str(project), list(outcome.reasons), list(outcome.changed))
        if code:
            raise typer.Exit(code)


@app.command()
def diff(
    project: ProjectArgument = Path(),
    exit_code: Annotated[
        bool,
        typer.Option("--exit-code", help="Exit 6 when you changed generated files, 0 when not."),
    ] = False,
) -> None:
    """Show your changes to the generated files, as a unified diff against what was generated.

    Differences in line ends alone (git's CRLF checkout on Windows) are not
    changes. Files you added are not listed: they are not generated.

    [bold]Examples[/]

      wfpgen diff MyDriver

      wfpgen diff MyDriver --exit-code  [dim]# for CI: 6 when generated files were edited[/]
    """
    with reported_errors(json_output=False):
        from wfpgen import ui
        from wfpgen.drift import unified_diff, user_edits

        edits = user_edits(project)
        ui.show_diff("".join(unified_diff(e.path, e.generated, e.current) for e in edits))
        if exit_code and edits:
            raise typer.Exit(ExitCode.OUT_OF_DATE)
