"""The catalog file as plain data, for answers that need no catalog objects (TAB completion).

``wfpgen.catalog`` turns ``data/catalog.json`` into frozen objects, which costs
more than a keypress should: completion of a layer name or a Windows id reads
the few fields it shows straight from the parsed file. The rule for which
layers a kernel callout can use lives here, and ``catalog.Layer.usable`` uses
it too.
"""

import json
from functools import cache
from pathlib import Path
from typing import Any

CATALOG_FILE = Path(__file__).parent / "data" / "catalog.json"


@cache
def catalog_data() -> dict[str, Any]:
    """The parsed catalog file (once per process)."""
    data: dict[str, Any] = json.loads(CATALOG_FILE.read_text(encoding="utf-8"))
    return data


def kernel_usable(kernel_callout: str, has_fwpm_guid: bool) -> bool:
    """Whether a third-party kernel callout can be registered at a layer."""
    return kernel_callout == "yes" and has_fwpm_guid


def kernel_layer_summaries() -> list[tuple[str, str]]:
    """(name, summary) of the layers a kernel callout can use, in catalog order."""
    return [
        (row["name"], row["summary"])
        for row in catalog_data()["layers"]
        if kernel_usable(row["kernel_callout"], row["has_fwpm_guid"])
    ]


def windows_titles() -> list[tuple[str, str]]:
    """(id, title) of the Windows versions, oldest first."""
    return [(row["id"], row["title"]) for row in catalog_data()["os"]]
