"""``wfpgen trust``: trust a team's template source once, instead of ``--trust`` every time."""

from typing import Annotated

import typer

from wfpgen.cli.options import JsonOption
from wfpgen.cli.reporting import reported_errors

# The commands this module declares (see wfpgen.cli.app).
commands = typer.Typer(rich_markup_mode="rich")


@commands.command()
def trust(
    source: Annotated[
        str | None,
        typer.Argument(
            help="A template source or prefix: a git URL (gh:org/repo, https://...), "
            "or a folder or zip path.",
            show_default=False,
        ),
    ] = None,
    refs: Annotated[
        str | None,
        typer.Option("--refs", help="Trust only refs matching this pattern (e.g. 'v*')."),
    ] = None,
    remove: Annotated[
        bool, typer.Option("--remove", help="Stop trusting SOURCE (as it was added).")
    ] = False,
    list_: Annotated[
        bool, typer.Option("--list", help="List the trusted sources, and where each comes from.")
    ] = False,
    json_output: JsonOption = False,
) -> None:
    """Trust a template source once: its hooks and Jinja extensions run without --trust.

    The entry goes into your configuration file (the only file wfpgen writes
    there), never into a project: a project can name its template but not
    trust it. A source trusts every template below it (gh:contoso trusts all
    of contoso's repositories); --refs limits it to matching refs. In CI, set
    WFPGEN_TRUST (entries separated by ';', each SOURCE or SOURCE@@REFS).

    [bold]Examples[/]

      wfpgen trust gh:contoso/wfp-templates --refs 'v*'

      wfpgen trust --list

      wfpgen trust gh:contoso/wfp-templates --remove
    """
    with reported_errors(json_output=json_output, command="trust"):
        import os

        from wfpgen import ui
        from wfpgen.cli.reporting import print_result
        from wfpgen.errors import Problem, SpecError
        from wfpgen.paths import config_file
        from wfpgen.templating.trust import (
            TrustEntry,
            environment_entries,
            save_entries,
            saved_entries,
        )

        if list_ or source is None:
            saved = [str(e) for e in saved_entries()]
            from_env = [str(e) for e in environment_entries(os.environ)]
            if json_output:
                print_result("trust", config=str(config_file()), saved=saved, environment=from_env)
            else:
                ui.show_trusted(str(config_file()), saved, from_env)
            return
        if not source.strip() or source.strip().startswith("-"):
            raise SpecError([Problem("SOURCE", f"{source!r} is not a template source")])
        entry = TrustEntry.parse(source + (f"@@{refs}" if refs else ""))
        entries = saved_entries()
        if remove:
            if entry not in entries:
                raise SpecError(
                    [Problem("SOURCE", f"{entry} is not trusted; see wfpgen trust --list")]
                )
            entries.remove(entry)
        elif entry not in entries:
            entries.append(entry)
        path = save_entries(entries)
        if json_output:
            print_result("trust", config=str(path), saved=[str(e) for e in entries])
        else:
            verb = "no longer trusted" if remove else "trusted"
            ui.success(f"{entry} {verb} (in {path})")
