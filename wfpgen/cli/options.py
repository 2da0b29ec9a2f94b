"""Options that several commands share, declared once."""

from collections.abc import Callable
from pathlib import Path
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


def _path_parser(kind: str) -> Callable[[str | Path], Path]:
    """The parser of a path parameter; ``kind`` is what --help shows (``<file>``)."""

    def parse(text: str | Path) -> Path:
        if isinstance(text, Path):  # a default value
            return text
        # ``-o --json`` takes the next option as the folder: refuse what looks like one.
        if text.startswith("-"):
            raise typer.BadParameter(
                f"'{text}' looks like an option, not a path; "
                f"write ./{text} if you mean a file or folder of that name"
            )
        return Path(text)

    parse.__name__ = kind
    return parse


# Parsers of every path parameter (Typer's own Path type would turn "./--json" into "--json").
parse_path = _path_parser("path")
parse_file = _path_parser("file")
parse_directory = _path_parser("directory")

ConfigOption = Annotated[
    Path | None,
    typer.Option("--config", "-c", help="Spec file (TOML).", parser=parse_file),
]


ProjectOption = Annotated[
    Path | None,
    typer.Option(
        "--project", "-p", help="The project folder (default: this one).", parser=parse_directory
    ),
]


def one_project(argument: Path | None, option: Path | None) -> Path:
    """The project a command works on, named as an argument or with ``-p/--project``.

    Raises:
        typer.BadParameter: both forms name different folders (exit status 2).
    """
    if argument is not None and option is not None and argument != option:
        raise typer.BadParameter(
            f"the project is named twice ({argument} and {option}); name it once",
            param_hint="'--project'",
        )
    return argument or option or Path()
