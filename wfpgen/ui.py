"""Everything wfpgen shows in a terminal: the only module that styles text.

Messages go to stderr and results to stdout. Problems are printed one per line
and never wrapped, so scripts can read them line by line.
"""

from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.theme import Theme
from rich.tree import Tree

from wfpgen.errors import Problem

_THEME = Theme({"error": "bold red", "warning": "yellow", "note": "cyan", "path": "bold"})
console = Console(theme=_THEME, highlight=False, emoji=False)
err_console = Console(theme=_THEME, stderr=True, highlight=False, emoji=False)


def error(message: str, hint: str = "") -> None:
    """Report an error (and how to fix it) on stderr."""
    suffix = f"; {hint}" if hint else ""
    err_console.print(f"[error]error:[/] {escape(message)}{escape(suffix)}", soft_wrap=True)


def problems(items: Sequence[Problem]) -> None:
    """Report spec problems, one line each."""
    for item in items:
        err_console.print(f"[error]error:[/] {escape(str(item))}", soft_wrap=True)


def warnings(items: Sequence[Problem]) -> None:
    """Report warnings, one line each."""
    for item in items:
        err_console.print(f"[warning]warning:[/] {escape(str(item))}", soft_wrap=True)


def notes(items: Sequence[str]) -> None:
    """Report what wfpgen decided on the user's behalf."""
    for item in items:
        err_console.print(f"[note]note:[/] {escape(item)}", soft_wrap=True)


def file_tree(root: Path, files: Sequence[str]) -> Tree:
    """A Rich tree of ``files`` (relative POSIX paths) under ``root``."""
    tree = Tree(f"[path]{escape(str(root))}[/]")
    branches: dict[tuple[str, ...], Tree] = {(): tree}
    for name in files:
        parts = tuple(name.split("/"))
        for depth in range(1, len(parts)):
            key = parts[:depth]
            if key not in branches:
                branches[key] = branches[key[:-1]].add(f"{escape(parts[depth - 1])}/")
        branches[parts[:-1]].add(escape(parts[-1]))
    return tree


def show_dry_run(root: Path, files: Sequence[str]) -> None:
    """Show the files a run would write."""
    console.print(f"Would write {len(files)} files (dry run, nothing written):")
    console.print(file_tree(root, files))


def show_generated(root: Path, files: Sequence[str], solution: str) -> None:
    """Show the written project and what to do next."""
    console.print(f"Generated {len(files)} files:")
    console.print(file_tree(root, files))
    console.print("\nNext steps:")
    console.print(
        f"  1. Open [path]{escape(str(root / solution))}[/] in Visual Studio 2022 with the WDK."
    )
    console.print("  2. Build the Debug configuration (it is test-signed).")
    console.print(
        f"  3. Follow [path]{escape(str(root / 'README.md'))}[/] to install and start the driver."
    )
