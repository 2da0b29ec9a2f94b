"""What ``wfpgen layers`` and ``wfpgen flags`` show: catalog facts in words, as plain rows.

The rows are frozen values that the terminal prints as tables and ``--json``
prints as objects, so both show the same facts.
"""

from dataclasses import dataclass

from wfpgen.core.catalog import CalloutFlag, Catalog, Layer, WindowsVersion
from wfpgen.core.validation import (
    behaviors_at,
    is_flow_associator,
    is_flow_target,
    oldest_windows_for,
    usable_flags,
)

LAYER_DATA_TEXT = {
    "NBL": "NET_BUFFER_LIST",
    "NBL|NULL": "NET_BUFFER_LIST or NULL",
    "NBL(non-TCP)|NULL(TCP)": "NET_BUFFER_LIST; NULL for TCP",
    "NBL(chain if L2 batch)": "NET_BUFFER_LIST chain",
    "NULL": "NULL",
    "reserved": "none (reserved)",
    "undocumented": "undocumented",
}
"""What classifyFn's ``layerData`` points to, by the catalog's short code."""

APPLIES_TO_TEXT = {
    "any": "every layer",
    "flow": "flow-context layers",
    "stream": "STREAM",
    "l2": "MAC_FRAME",
    "ale": "ALE layers",
    "inbound_tcp": "inbound TCP",
    "inbound_udp": "inbound UDP",
    "outbound_udp": "outbound UDP",
    "none": "reserved",
}
"""Where a callout flag has an effect, by the catalog's ``applies_to`` code."""

FLOW_CONTEXT_LAYERS = "STREAM, STREAM_PACKET, DATAGRAM_DATA, transport and ALE_ENDPOINT_CLOSURE"
"""The layers where flow contexts can be associated (validate.FLOW_TARGET_GROUPS)."""

PURPOSE_TEXT = {
    "filter": "callouts permit or block here",
    "discard": "traffic already dropped; callouts observe it (inspection by default)",
    "informational": "an endpoint event that cannot be refused (inspection by default)",
}
"""What each layer purpose means for a callout, as ``wfpgen layers NAME`` says it."""

BEHAVIORS_TEXT = {
    "decide": "classify permits or blocks inline",
    "ask": "pend the connection and ask user mode (FwpsPendOperation0)",
    "reinject": "clone, absorb, inspect and inject packets back",
}
"""What each callout behavior does, as ``wfpgen layers NAME`` says it (docs/behaviors.md)."""

FLOW_CONTEXTS_TEXT = {
    "yes": "a callout here can keep per-flow contexts (and use CONDITIONAL_ON_FLOW)",
    "associates": "where flow contexts are associated with callouts at other layers",
    "no": "no flow contexts",
}


@dataclass(frozen=True)
class LayerRow:
    """One line of ``wfpgen layers``."""

    name: str
    family: str
    flow_contexts: str
    layer_data: str
    since: str
    summary: str


@dataclass(frozen=True)
class FieldRow:
    """One FWPS_FIELD_* index of a layer."""

    name: str
    constant: str
    since: str


@dataclass(frozen=True)
class LayerDetail:
    """Everything ``wfpgen layers NAME`` shows about one layer."""

    layer: LayerRow
    fwps_constant: str
    fwpm_constant: str
    discard: bool
    purpose: str
    flags: tuple[str, ...]
    behaviors: tuple[str, ...]
    fields: tuple[FieldRow, ...]


@dataclass(frozen=True)
class FlagRow:
    """One line of ``wfpgen flags``."""

    name: str
    constant: str
    value: str
    since: str
    applies_to: str
    settable: bool
    summary: str


def flow_contexts(layer: Layer) -> str:
    """``yes``, ``associates`` or ``no``: what flow contexts mean at ``layer``."""
    if is_flow_target(layer):
        return "yes"
    if is_flow_associator(layer):
        return "associates"
    return "no"


def since(catalog: Catalog, ntddi_value: int) -> str:
    """The oldest Windows id wfpgen targets that has an API introduced at ``ntddi_value``."""
    windows = oldest_windows_for(catalog, ntddi_value)
    return windows.id if windows else "newer than wfpgen knows"


def layer_row(catalog: Catalog, layer: Layer) -> LayerRow:
    """The table line for ``layer``."""
    return LayerRow(
        name=layer.name,
        family=layer.family,
        flow_contexts=flow_contexts(layer),
        layer_data=LAYER_DATA_TEXT.get(layer.layer_data, layer.layer_data),
        since=since(catalog, layer.ntddi_value),
        summary=layer.summary,
    )


def layer_rows(
    catalog: Catalog, text: str = "", windows: WindowsVersion | None = None
) -> list[LayerRow]:
    """The kernel layers, optionally those matching ``text`` or available on ``windows``.

    ``text`` is a few words in any case (``_`` separates words too). Layers
    whose name has, for every word, a part starting with it match first
    (``auth connect`` finds ALE_AUTH_CONNECT_*); when no name matches, a layer
    matches if every word occurs in its name, family, description or layerData.
    """
    words = text.upper().replace("_", " ").split()
    rows = [
        layer_row(catalog, layer)
        for layer in catalog.kernel_layers()
        if windows is None or layer.ntddi_value <= windows.ntddi_value
    ]
    by_name = [
        row
        for row in rows
        if all(any(part.startswith(word) for part in row.name.split("_")) for word in words)
    ]
    if by_name:
        return by_name
    return [
        row
        for row in rows
        if all(
            word.lower()
            in " ".join(
                [row.name.replace("_", " "), row.family, row.summary, row.layer_data]
            ).lower()
            for word in words
        )
    ]


def layer_detail(catalog: Catalog, layer: Layer) -> LayerDetail:
    """What ``wfpgen layers NAME`` shows; the flags are those usable on the newest Windows."""
    newest = catalog.windows[-1]
    return LayerDetail(
        layer=layer_row(catalog, layer),
        fwps_constant=f"FWPS_LAYER_{layer.name}",
        fwpm_constant=f"FWPM_LAYER_{layer.name}",
        discard=layer.discard,
        purpose=layer.purpose,
        flags=tuple(f.name for f in usable_flags(catalog, layer, newest)),
        behaviors=behaviors_at(layer),
        fields=tuple(
            FieldRow(
                name=field.name,
                constant=layer.field_constant(field.name),
                since=since(catalog, field.ntddi_value),
            )
            for field in layer.fields
        ),
    )


def flag_row(catalog: Catalog, flag: CalloutFlag) -> FlagRow:
    """The table line for ``flag``."""
    return FlagRow(
        name=flag.name,
        constant=flag.c_name,
        value=f"0x{flag.value:04X}",
        since=since(catalog, flag.ntddi_value),
        applies_to=APPLIES_TO_TEXT.get(flag.applies_to, flag.applies_to),
        settable=flag.user_settable,
        summary=flag.summary,
    )


def flag_rows(
    catalog: Catalog,
    *,
    layer: Layer | None = None,
    windows: WindowsVersion | None = None,
    reserved: bool = False,
) -> list[FlagRow]:
    """The callout flags, optionally only those a callout at ``layer`` on ``windows`` may set.

    Reserved flags are left out unless ``reserved`` is set (and never when
    filtering by layer, where they could not be set anyway).
    """
    if layer is not None:
        flags = usable_flags(catalog, layer, windows or catalog.windows[-1])
    else:
        flags = [
            f
            for f in catalog.flags
            if (reserved or f.user_settable)
            and (windows is None or f.ntddi_value <= windows.ntddi_value)
        ]
    return [flag_row(catalog, flag) for flag in flags]
