"""Everything wfpgen shows in a terminal: the only package that styles text.

Messages go to stderr and results to stdout. Problems are printed one per line
and never wrapped, so scripts can read them line by line. The interview (its
questions, choices and summary) also talks on stderr, so that stdout carries
only the result, and ``--json`` output stays machine-readable even after
questions were asked. The tables of ``wfpgen layers`` and ``wfpgen flags``
are in :mod:`wfpgen.ui.tables`.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Collection, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from rich.console import Console, ConsoleDimensions
from rich.markup import escape
from rich.text import Text
from rich.theme import Theme
from rich.tree import Tree

from wfpgen.core.catalog import CalloutFlag, WindowsVersion
from wfpgen.core.spec import ProjectSpec
from wfpgen.errors import SHOWN_PROBLEMS, Problem

# Rich's tables, columns and prompts load in the functions that use them, so
# that `wfpgen new --no-input` does not pay for widgets it never shows.

_THEME = Theme(
    {
        "error": "bold red",
        "warning": "yellow",
        "note": "cyan",
        "path": "bold",
        "question": "bold",
        "heading": "bold underline",
        "choice": "cyan",
        "dim": "dim",
    }
)
# Into a pipe or a file, lines are laid out this wide and never wrapped, so that
# commands and paths stay whole for ``grep``, ``tail`` and CI logs.
_PIPE_WIDTH = 10_000


class _Console(Console):
    """A Rich console that wraps lines only on a real terminal.

    Rich decides colour by itself (``NO_COLOR``, ``FORCE_COLOR``, ``TTY_COMPATIBLE``
    and whether the stream is a terminal); this class decides layout by whether the
    stream really is a terminal, so ``FORCE_COLOR=1 wfpgen ... | tee log`` gets
    colours but still one line per message. ``COLUMNS`` wins when set.
    """

    @property
    def plain_layout(self) -> bool:
        """True when the stream is not a terminal (a pipe, a file, a test's capture)."""
        isatty = getattr(self.file, "isatty", None)
        try:
            return not (isatty is not None and isatty())
        except ValueError:  # a closed stream
            return True

    @property
    def size(self) -> ConsoleDimensions:
        """The terminal's size, or an unlimited width into a pipe."""
        if self.plain_layout and self._width is None and "COLUMNS" not in self._environ:
            return ConsoleDimensions(_PIPE_WIDTH, 25)
        return super().size

    @size.setter
    def size(self, new_size: tuple[int, int]) -> None:
        width, height = new_size
        self._width = width
        self._height = height

    @property
    def soft_wrap(self) -> bool:
        """Never break a printed line into a pipe."""
        return self.plain_layout or self._soft_wrap

    @soft_wrap.setter
    def soft_wrap(self, value: bool) -> None:
        self._soft_wrap = value


console = _Console(theme=_THEME, highlight=False, emoji=False)
err_console = _Console(theme=_THEME, stderr=True, highlight=False, emoji=False)


def one_line(text: str) -> str:
    """``text`` with line breaks and other control characters escaped, so it stays one line."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


def error(message: str, hint: str = "") -> None:
    """Report an error (and how to fix it) on stderr."""
    suffix = f"; {hint}" if hint else ""
    text = escape(one_line(message + suffix))
    err_console.print(f"[error]error:[/] {text}", soft_wrap=True)


def problems(items: Sequence[Problem], limit: int = SHOWN_PROBLEMS) -> None:
    """Report spec problems, one line each: the first ``limit``, then how many more."""
    for item in items[:limit]:
        err_console.print(f"[error]error:[/] {escape(one_line(str(item)))}", soft_wrap=True)
    if len(items) > limit:
        more = len(items) - limit
        err_console.print(
            f"[error]error:[/] ... and {more} more problem{'s' if more != 1 else ''}; fix these first",
            soft_wrap=True,
        )


def warnings(items: Iterable[Problem | str]) -> None:
    """Report warnings, one line each."""
    for item in items:
        err_console.print(f"[warning]warning:[/] {escape(one_line(str(item)))}", soft_wrap=True)


def notes(items: Sequence[str]) -> None:
    """Report what wfpgen decided on the user's behalf."""
    for item in items:
        err_console.print(f"[note]note:[/] {escape(one_line(item))}", soft_wrap=True)


def interrupted(*, after_prompt: bool, written: Sequence[Path] = ()) -> None:
    """Report Ctrl-C, a signal or end of input; after a prompt, start a fresh line first.

    ``written`` names the folders already changed when it came, if any.
    """
    if after_prompt:
        err_console.print()
    if written:
        error(f"interrupted after {', '.join(map(str, written))} was written in full")
    else:
        error("interrupted; nothing was written")


def cancelled() -> None:
    """Report that the user declined the summary."""
    err_console.print("[warning]cancelled;[/] nothing was written", soft_wrap=True)


def print_json(data: Any) -> None:
    r"""Write ``data`` to stdout as JSON, unstyled and unwrapped, for scripts.

    Non-ASCII text is written as is when stdout takes UTF-8, else as \uXXXX escapes,
    so the document stays valid JSON under any ``PYTHONIOENCODING``.
    """
    encoding = (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "")
    text = json.dumps(data, indent=2, ensure_ascii=not encoding.startswith("utf"))
    console.out(text, highlight=False)


def success(message: str) -> None:
    """Report a result on stdout."""
    console.print(escape(message), soft_wrap=True)


# --- the interview --------------------------------------------------------


def ask(question: str, default: str | None = None) -> str:
    """Ask one question on the terminal; an empty answer gives ``default``."""
    from rich.prompt import Prompt

    prompt = Text(question, style="question")
    if default is None:
        return str(Prompt.ask(prompt, console=err_console))
    return str(Prompt.ask(prompt, console=err_console, default=default, show_default=True))


def reject(reason: str) -> None:
    """Say why an answer was not accepted, before the question is asked again."""
    err_console.print(f"[error]invalid answer:[/] {escape(reason)}", soft_wrap=True)


def heading(text: str) -> None:
    """Start a section of the interview."""
    err_console.print()
    err_console.print(f"[heading]{escape(text)}[/]")


def intro() -> None:
    """Explain how the interview works."""
    err_console.print(
        "wfpgen asks for the driver, then for its callouts one by one. "
        "Press Enter to take the value in (parentheses), type ? where offered "
        "to list the choices, Ctrl-C to quit without writing anything."
    )


def show_windows(choices: Sequence[WindowsVersion]) -> None:
    """List the minimum Windows versions wfpgen knows."""
    from rich.table import Table

    table = Table.grid(padding=(0, 2))
    for windows in choices:
        table.add_row(f"[choice]{escape(windows.id)}[/]", escape(windows.title))
    err_console.print(table)


def show_layer_names(names: Sequence[str]) -> None:
    """List layer names compactly, in columns."""
    from rich.columns import Columns

    err_console.print(
        Columns([f"[choice]{escape(n)}[/]" for n in names], column_first=True, padding=(0, 2))
    )
    err_console.print(
        "[dim]Any case; FWPS_LAYER_/FWPM_LAYER_ prefix optional; words such as "
        "'auth connect v4' work. `wfpgen layers` describes each one.[/]"
    )


def show_flag_choices(flags: Sequence[CalloutFlag]) -> None:
    """List the flags that fit the chosen layer, numbered."""
    from rich.table import Table

    table = Table.grid(padding=(0, 2))
    for number, flag in enumerate(flags, start=1):
        table.add_row(str(number), f"[choice]{escape(flag.name)}[/]", escape(flag.summary))
    err_console.print(table)


def show_actions(actions: Mapping[str, str]) -> None:
    """List the filter actions and what each means."""
    from rich.table import Table

    table = Table.grid(padding=(0, 2))
    for action, meaning in actions.items():
        table.add_row(f"[choice]{escape(action)}[/]", escape(meaning))
    err_console.print(table)


def show_behaviors(behaviors: Mapping[str, str]) -> None:
    """List the behaviors a callout's layer allows and what each does."""
    show_actions(behaviors)


def show_summary(
    spec: ProjectSpec, target: Path, windows_title: str, added: Collection[str] = ()
) -> None:
    """Show what is about to be generated, before the user confirms.

    ``added`` names the callouts wfpgen added on its own (flow establishers).
    """
    from rich.table import Table

    driver = spec.driver
    heading("Summary")
    facts = Table.grid(padding=(0, 2))
    facts.add_row("Driver", f"[choice]{escape(driver.name)}[/]")
    facts.add_row("Minimum Windows", f"{escape(windows_title)} ({escape(driver.min_os)})")
    facts.add_row("KMDF", escape(driver.kmdf_version or ""))
    # An unresolved spec leaves architectures to the minimum Windows.
    architectures = ", ".join(driver.architectures or ()) or "default for the minimum Windows"
    facts.add_row("Architectures", escape(architectures))
    facts.add_row("Folder", f"[path]{escape(str(target))}[/]")
    template = spec.template
    if template.source:
        ref = f" at {template.checkout}" if template.checkout else ""
        facts.add_row("Template", escape(f"{template.source}{ref}"))
    for key, value in template.variables.items():
        facts.add_row(
            f"  {escape(key)}", escape(json.dumps(value) if not isinstance(value, str) else value)
        )
    channel = spec.channel
    if channel.enabled:
        carries = [
            w for w, on in (("events", channel.events), ("companion program", channel.app)) if on
        ]
        facts.add_row("Control channel", escape(", ".join(["on", *carries])))
    err_console.print(facts)
    tree = Tree("Callouts")
    for callout in spec.callouts:
        extra = " [note](added by wfpgen)[/]" if callout.name in added else ""
        branch = tree.add(
            f"[choice]{escape(callout.name)}[/] at {escape(callout.layer)}, "
            f"{escape(callout.action or '')}{extra}"
        )
        branch.add(f"flags: {escape(', '.join(callout.flags) or 'none')}")
        if callout.behavior != "decide":
            branch.add(f"behavior: {escape(callout.behavior)}")
        branch.add(f"GUID: {escape(callout.guid or '')}")
    err_console.print(tree)


# --- results --------------------------------------------------------------


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


def _shell_word(text: str) -> str:
    """``text`` quoted for a POSIX shell when it needs it (spaces, quotes, ...)."""
    import shlex

    return shlex.quote(text)


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
    console.print(
        "  4. Commit it all, .wfpgen/ included: it records what was generated, so that "
        "`wfpgen update` can merge later changes into your edits."
    )
    if "tests/CMakeLists.txt" in files:
        # The command stands alone on its line, so that it can be copied whole.
        console.print("  5. Run its tests without Windows (CMake and a C compiler):")
        console.print(
            f"     cd {escape(_shell_word(str(root)))} && "
            "cmake -S tests -B build && cmake --build build && ctest --test-dir build",
            soft_wrap=True,
        )


def show_update_plan(
    rows: Sequence[tuple[str, str, str]], *, unchanged: int, dry_run: bool, written: bool
) -> None:
    """One line per file an update touches: action, path and why; then a count."""
    for action, path, reason in rows:
        suffix = f"  ({reason})" if reason else ""
        console.out(f"{action:<11} {path}{suffix}", highlight=False)
    if dry_run:
        summary = f"dry run: {len(rows)} files would change, {unchanged} stay; nothing was written"
    elif written:
        summary = f"{len(rows)} files changed, {unchanged} unchanged"
    else:
        summary = "already up to date; nothing was written"
    err_console.print(escape(summary), soft_wrap=True)


def show_diff(text: str) -> None:
    """A unified diff on stdout, as is."""
    if text:
        console.out(text.rstrip("\n"), highlight=False)


def conflicts(items: Sequence[tuple[str, str]], *, written: bool) -> None:
    """The files an update left in conflict, one per line, and what to do."""
    for path, reason in items:
        err_console.print(f"[error]conflict:[/] {escape(path)}: {escape(reason)}", soft_wrap=True)
    count = len(items)
    files = "file" if count == 1 else "files"
    if written:
        error(
            f"the update left conflicts in {count} {files}",
            "resolve the <<<<<<< markers (or decide about the files listed), then commit",
        )
    else:
        error(f"an update would leave conflicts in {count} {files}")


def show_check(project: str, reasons: Sequence[str], changed: Sequence[str]) -> None:
    """Whether an update would change the project, and why."""
    if not changed:
        console.out(f"{project}: up to date", highlight=False)
        return
    console.out(f"{project}: out of date; `wfpgen update` would change {len(changed)} files:")
    for reason in reasons:
        console.out(f"  reason: {reason}", highlight=False)
    for path in changed:
        console.out(f"  {path}", highlight=False)


def show_template_case(
    case: str,
    *,
    ok: bool,
    sources: int,
    failure: str,
    diagnostics: Sequence[str],
    phases: Sequence[tuple[str, bool, bool, str]] = (),
) -> None:
    """One line per matrix spec of ``wfpgen template test``, then what went wrong.

    ``phases`` are (name, ok, skipped, detail) of building and running the tests.
    """
    ran = [name for name, _ok, skipped, _detail in phases if not skipped]
    tests = f", tests {' and '.join(ran)} ok" if ran and ok else ""
    if ok:
        console.print(f"[note]ok[/]    {escape(case)} ({sources} .c files{tests})", soft_wrap=True)
    else:
        console.print(f"[error]FAIL[/]  {escape(case)}", soft_wrap=True)
    if failure:
        console.print(f"      {escape(failure)}", soft_wrap=True)
    for name, phase_ok, skipped, detail in phases:
        if not phase_ok and not skipped:
            console.print(f"      tests {escape(name)} failed: {escape(detail)}", soft_wrap=True)
    for line in diagnostics[:20]:
        console.print(f"      {escape(line)}", soft_wrap=True)
    if len(diagnostics) > 20:
        console.print(f"      ... {len(diagnostics) - 20} more", soft_wrap=True)


def show_trusted(config: str, saved: Sequence[str], environment: Sequence[str]) -> None:
    """The trusted template sources of ``wfpgen trust --list``, by where they come from."""
    if not saved and not environment:
        console.print("No template source is trusted.", soft_wrap=True)
    for entry in saved:
        console.print(f"{escape(entry)}  [dim]({escape(config)})[/]", soft_wrap=True)
    for entry in environment:
        console.print(f"{escape(entry)}  [dim](WFPGEN_TRUST)[/]", soft_wrap=True)
