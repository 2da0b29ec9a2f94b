"""The tables of ``wfpgen layers`` and ``wfpgen flags``: catalog rows laid out for a terminal.

Into a terminal they fit its width; into a pipe they are laid out wide and
never wrapped, without colour, so ``grep`` and CI logs see whole rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.markup import escape

from wfpgen.ui import _THEME, console

if TYPE_CHECKING:
    from wfpgen.core.reference import FlagRow, LayerDetail, LayerRow

_TABLE_WIDTH = 200


def _width() -> int:
    """The width tables are laid out for: the terminal's, or wide when stdout is a pipe."""
    return _TABLE_WIDTH if console.plain_layout else console.width


def _emit(*renderables: Any) -> None:
    """Print to stdout; into a pipe, unwrapped and without trailing blanks, for ``grep``."""
    if not console.plain_layout:
        for renderable in renderables:
            console.print(renderable)
        return
    wide = Console(theme=_THEME, highlight=False, emoji=False, width=_TABLE_WIDTH, no_color=True)
    with wide.capture() as captured:
        for renderable in renderables:
            wide.print(renderable)
    text = "\n".join(line.rstrip() for line in captured.get().splitlines())
    console.out(text, highlight=False)


def show_layers(rows: Sequence[LayerRow], caption: str) -> None:
    """The table of ``wfpgen layers``; narrow terminals get fewer columns."""
    from rich import box
    from rich.table import Table

    width = _width()
    table = Table(box=box.SIMPLE_HEAD, caption=caption, caption_justify="left", pad_edge=False)
    table.add_column("layer", no_wrap=True, style="choice")
    table.add_column("family")
    table.add_column("flow contexts")
    table.add_column("layerData", overflow="fold")
    columns = ["name", "family", "flow_contexts", "layer_data"]
    if width >= 100:
        table.add_column("since", no_wrap=True)
        columns.append("since")
    if width >= 140:
        table.add_column("what it sees")
        columns.append("summary")
    for row in rows:
        table.add_row(*(escape(str(getattr(row, column))) for column in columns))
    _emit(table)


def show_layer_detail(detail: LayerDetail) -> None:
    """What ``wfpgen layers NAME`` shows."""
    from rich import box
    from rich.table import Table

    from wfpgen.core.reference import BEHAVIORS_TEXT, FLOW_CONTEXTS_TEXT, PURPOSE_TEXT

    row = detail.layer
    facts = Table.grid(padding=(0, 2))
    facts.add_row("run-time id", escape(detail.fwps_constant))
    facts.add_row("filter layer key", escape(detail.fwpm_constant))
    facts.add_row("family", escape(row.family))
    facts.add_row("since", escape(row.since))
    facts.add_row(
        "flow contexts",
        f"{escape(row.flow_contexts)}: {escape(FLOW_CONTEXTS_TEXT[row.flow_contexts])}",
    )
    facts.add_row("layerData", escape(row.layer_data))
    facts.add_row("purpose", f"{escape(detail.purpose)}: {escape(PURPOSE_TEXT[detail.purpose])}")
    facts.add_row("flags", escape(", ".join(detail.flags) or "-"))
    behaviors = [f"{b}: {BEHAVIORS_TEXT[b]}" for b in detail.behaviors]
    facts.add_row("behaviors", escape("\n".join(behaviors)))
    table = Table(
        box=box.SIMPLE_HEAD,
        title=f"Fields ({len(detail.fields)})",
        title_justify="left",
        pad_edge=False,
    )
    table.add_column("#", justify="right")
    table.add_column("FWPS_FIELD_* index", no_wrap=True, style="choice")
    table.add_column("since", no_wrap=True)
    for number, field in enumerate(detail.fields):
        table.add_row(str(number), escape(field.constant), escape(field.since))
    _emit(f"[heading]{escape(row.name)}[/]", escape(row.summary), facts, "", table)


def show_flags(rows: Sequence[FlagRow], caption: str) -> None:
    """The list of ``wfpgen flags``: one line of facts per flag, then its meaning."""
    from rich.padding import Padding

    lines: list[Any] = []
    for row in rows:
        reserved = " [warning](reserved)[/]" if not row.settable else ""
        lines.append(
            f"[choice]{escape(row.name)}[/]{reserved}  {escape(row.value)}  "
            f"since {escape(row.since)}  applies to {escape(row.applies_to)}"
        )
        lines.append(Padding(escape(row.summary), (0, 0, 1, 4), expand=False))
    lines.append(f"[dim]{escape(caption)}[/]")
    _emit(*lines)


# --- updates ----------------------------------------------------------------
