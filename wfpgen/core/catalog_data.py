"""The catalog file as plain data, and the small index that TAB completion reads.

``wfpgen.core.catalog`` turns ``data/catalog.json`` into frozen objects, which costs
more than a keypress should. Completion of a layer name or a Windows id reads
``data/completion.tsv`` instead: one line per kernel-usable layer (``layer``,
name, summary) and per Windows version (``windows``, id, title), built from
the catalog by ``completion_index`` (``tools/build_catalog.py`` writes it, and
a test checks it matches the catalog). The rule for which layers a kernel
callout can use lives here, and ``catalog.Layer.usable`` uses it too.
"""

from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parents[1] / "data"
CATALOG_FILE = DATA / "catalog.json"
COMPLETION_FILE = DATA / "completion.tsv"


@cache
def catalog_data() -> dict[str, Any]:
    """The parsed catalog file (once per process)."""
    import json  # not needed for completion

    data: dict[str, Any] = json.loads(CATALOG_FILE.read_text(encoding="utf-8"))
    return data


def kernel_usable(kernel_callout: str, has_fwpm_guid: bool) -> bool:
    """Whether a third-party kernel callout can be registered at a layer."""
    return kernel_callout == "yes" and has_fwpm_guid


def completion_index(data: dict[str, Any]) -> str:
    """The text of ``completion.tsv`` for the parsed catalog ``data``."""
    rows = [
        ("layer", row["name"], row["summary"])
        for row in data["layers"]
        if kernel_usable(row["kernel_callout"], row["has_fwpm_guid"])
    ]
    rows += [("windows", row["id"], row["title"]) for row in data["os"]]
    for row in rows:
        if any("\t" in cell or "\n" in cell for cell in row):
            raise ValueError(f"a tab or line break in the catalog: {row}")
    return "".join("\t".join(row) + "\n" for row in rows)


@cache
def _index() -> dict[str, list[tuple[str, str]]]:
    entries: dict[str, list[tuple[str, str]]] = {"layer": [], "windows": []}
    for line in COMPLETION_FILE.read_text(encoding="utf-8").splitlines():
        kind, name, text = line.split("\t")
        entries[kind].append((name, text))
    return entries


def kernel_layer_summaries() -> list[tuple[str, str]]:
    """(name, summary) of the layers a kernel callout can use, in catalog order."""
    return _index()["layer"]


def windows_titles() -> list[tuple[str, str]]:
    """(id, title) of the Windows versions, oldest first."""
    return _index()["windows"]
