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
