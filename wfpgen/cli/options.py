"""Options that several commands share, declared once."""

from typing import Annotated

import typer

from wfpgen.cli.completion import complete_min_os

JsonOption = Annotated[
    bool,
    typer.Option("--json", help="Print machine-readable JSON on stdout; messages stay on stderr."),
]
MinOsOption = Annotated[
    str | None,
    typer.Option(
        "--min-os",
        help="Minimum Windows: win7, win8, win8.1, win10, win10-1511 ... win10-21h2, win11, win11-22h2.",
        autocompletion=complete_min_os,
    ),
]
TemplateOption = Annotated[
    str | None,
    typer.Option(
        "--template",
        help="Template: a folder, a .zip (path or URL), a git repository (https://..., git+..., "
        "file://..., gh:OWNER/REPO, gl:..., bb:...) or 'builtin'. Default: the one wfpgen.toml "
        "records, else the built-in template.",
    ),
]
CheckoutOption = Annotated[
    str | None,
    typer.Option("--checkout", help="Git branch, tag or commit of the --template repository."),
]
DirectoryOption = Annotated[
    str | None,
    typer.Option(
        "--directory", help="Folder inside the template source that holds cookiecutter.json."
    ),
]
SetOption = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        help="KEY=VALUE for a variable the template declares; repeat for more.",
        metavar="KEY=VALUE",
    ),
]
TrustOption = Annotated[
    bool,
    typer.Option(
        "--trust",
        help="Let a template from outside wfpgen run code: its hooks and Jinja extensions.",
    ),
]
