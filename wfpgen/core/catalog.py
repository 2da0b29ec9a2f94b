"""The WFP catalog: Windows versions, callout API versions, callout flags and layers.

The data lives in ``wfpgen/data/catalog.json``, built by ``tools/build_catalog.py``
from the WDK's own headers. This module only loads it into frozen values and
answers look-ups; it knows nothing about specs, files or terminals.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from wfpgen.core.catalog_data import catalog_data, kernel_usable

FlowCapability = Literal["yes", "no", "assoc-target"]
# filter: the callout permits or blocks; discard: it observes traffic already
# dropped; informational: it is told about an event that cannot be refused.
LayerPurpose = Literal["filter", "discard", "informational"]


@dataclass(frozen=True)
class WindowsVersion:
    """A minimum Windows version a driver can target."""

    id: str
    title: str
    ntddi: str
    ntddi_value: int
    target_version: str
    kmdf_inbox: str


@dataclass(frozen=True)
class ApiVersion:
    """One version of the callout registration API (FWPS_CALLOUTn and friends)."""

    version: int
    min_ntddi: str
    ntddi_value: int
    callout_struct: str
    register_fn: str
    classify_fn_type: str
    notify_fn_type: str
    filter_struct: str
    classify_context: bool


@dataclass(frozen=True)
class CalloutFlag:
    """An FWP_CALLOUT_FLAG_* value."""

    name: str
    value: int
    min_ntddi: str
    ntddi_value: int
    min_api: int
    applies_to: str
    user_settable: bool
    summary: str

    @property
    def c_name(self) -> str:
        """The C macro name."""
        return f"FWP_CALLOUT_FLAG_{self.name}"


@dataclass(frozen=True)
class LayerField:
    """A member of a layer's FWPS_FIELDS enum."""

    name: str
    min_ntddi: str
    ntddi_value: int


@dataclass(frozen=True)
class Layer:
    """A filtering layer, as the run-time (FWPS) and management (FWPM) APIs name it."""

    name: str
    fwps_id: int
    has_fwpm_guid: bool
    family: str
    discard: bool
    base: str
    min_ntddi: str
    ntddi_value: int
    kernel_callout: str
    flow: FlowCapability
    fields_enum: str | None
    layer_data: str
    group: str
    purpose: LayerPurpose
    summary: str
    fields: tuple[LayerField, ...]

    @property
    def usable(self) -> bool:
        """Whether a third-party kernel callout can be registered at this layer."""
        return kernel_usable(self.kernel_callout, self.has_fwpm_guid)

    def field_constant(self, field: str) -> str:
        """The FWPS_FIELD_* constant that indexes ``field`` at this layer."""
        prefix = self.fields_enum or self.base
        if self.group == "connection_policy":
            # The enum type says NETWORK_POLICY, its members NETWORK_CONNECTION_POLICY.
            prefix = self.base
        return f"FWPS_FIELD_{prefix}_{field}"


@dataclass(frozen=True)
class Catalog:
    """Everything wfpgen knows about the WFP callout API."""

    ntddi: dict[str, int]
    windows: tuple[WindowsVersion, ...]
    api_versions: tuple[ApiVersion, ...]
    flags: tuple[CalloutFlag, ...]
    layers: tuple[Layer, ...]

    def find_windows(self, os_id: str) -> WindowsVersion | None:
        """The Windows version with this id (case-insensitive), if any."""
        wanted = os_id.strip().lower()
        return next((w for w in self.windows if w.id == wanted), None)

    def find_layer(self, name: str) -> Layer | None:
        """The layer called ``name``, with or without an FWPS_/FWPM_LAYER_ prefix."""
        wanted = normalize_layer_name(name)
        return next((layer for layer in self.layers if layer.name == wanted), None)

    def find_flag(self, name: str) -> CalloutFlag | None:
        """The callout flag called ``name``, with or without FWP_CALLOUT_FLAG_."""
        wanted = normalize_flag_name(name)
        return next((flag for flag in self.flags if flag.name == wanted), None)

    def api_for(self, windows: WindowsVersion) -> ApiVersion:
        """The newest callout API version a driver for ``windows`` may import."""
        usable = [a for a in self.api_versions if a.ntddi_value <= windows.ntddi_value]
        return max(usable, key=lambda a: a.version)

    def kernel_layers(self) -> tuple[Layer, ...]:
        """The layers a kernel callout can use."""
        return tuple(layer for layer in self.layers if layer.usable)

    def suggest_layers(self, name: str) -> list[str]:
        """Up to three kernel layer names that look like ``name``.

        The same suggestions everywhere a layer is named (spec files,
        ``--callout``, ``add callout``, the interview, ``wfpgen layers``): names
        spelled like it, else names whose parts its words begin or nearly spell
        (``auth conect v4``: ALE_AUTH_CONNECT_V4; discard layers only when
        ``discard`` is one of the words).
        """
        names = [layer.name for layer in self.kernel_layers()]
        import difflib  # only when a name was mistyped

        wanted = normalize_layer_name(name)
        close = difflib.get_close_matches(wanted, names, n=3, cutoff=0.75)
        if close:
            return close
        words = name_words(wanted)
        if "DISCARD" not in words:
            names = [n for n in names if not n.endswith("_DISCARD")]
        hits = word_matches(words, names) or word_matches(words, names, fuzzy=True)
        return hits if len(hits) <= 3 else []

    def suggest_flags(self, name: str) -> list[str]:
        """Up to three settable flag names that look like ``name``, as for layers."""
        names = [f.name for f in self.flags if f.user_settable]
        import difflib  # only when a name was mistyped

        wanted = normalize_flag_name(name)
        close = difflib.get_close_matches(wanted, names, n=3, cutoff=0.8)
        if close:
            return close
        words = name_words(wanted)
        hits = word_matches(words, names) or word_matches(words, names, fuzzy=True)
        return hits if len(hits) <= 3 else []

    def suggest_windows(self, os_id: str) -> list[str]:
        """Up to three Windows ids that look like ``os_id``."""
        ids = [w.id for w in self.windows]
        import difflib  # only when a name was mistyped

        return difflib.get_close_matches(os_id.strip().lower(), ids, n=3, cutoff=0.5)


def name_words(name: str) -> list[str]:
    """The words of a name as typed: split at spaces, ``_`` and ``-``, upper-cased."""
    return [w for w in re.split(r"[\s_\-]+", name.upper()) if w]


def word_matches(words: Sequence[str], names: Iterable[str], *, fuzzy: bool = False) -> list[str]:
    """The names in which every word starts some ``_``-separated part (``auth conn v4``).

    ``fuzzy`` also lets a word of four or more letters stand for a part it
    nearly spells (``conect`` for CONNECT), for did-you-mean suggestions.
    """
    if not words:
        return []

    def fits(word: str, part: str) -> bool:
        if part.startswith(word):
            return True
        if not fuzzy or len(word) < 4:
            return False
        import difflib  # only when a name was mistyped

        return difflib.SequenceMatcher(None, word, part).ratio() >= 0.8

    return [
        name
        for name in names
        if all(any(fits(word, part) for part in name.split("_")) for word in words)
    ]


def normalize_layer_name(name: str) -> str:
    """Upper-case a layer name and drop an FWPS_LAYER_ / FWPM_LAYER_ prefix."""
    upper = name.strip().upper()
    for prefix in ("FWPS_LAYER_", "FWPM_LAYER_"):
        if upper.startswith(prefix):
            return upper.removeprefix(prefix)
    return upper


def normalize_flag_name(name: str) -> str:
    """Upper-case a flag name and drop an FWP_CALLOUT_FLAG_ prefix."""
    return name.strip().upper().removeprefix("FWP_CALLOUT_FLAG_")


@cache
def load_catalog() -> Catalog:
    """Load the catalog shipped with the package (once per process)."""
    return _catalog_from_json(catalog_data())


def _catalog_from_json(data: dict[str, Any]) -> Catalog:
    ntddi = {name: int(value, 16) for name, value in data["ntddi"].items()}
    windows = tuple(
        WindowsVersion(
            id=w["id"],
            title=w["title"],
            ntddi=w["ntddi"],
            ntddi_value=ntddi[w["ntddi"]],
            target_version=w["target_version"],
            kmdf_inbox=w["kmdf_inbox"],
        )
        for w in data["os"]
    )
    apis = tuple(ApiVersion(ntddi_value=ntddi[a["min_ntddi"]], **a) for a in data["api_versions"])
    flags = tuple(CalloutFlag(ntddi_value=ntddi[f["min_ntddi"]], **f) for f in data["flags"])
    layers = tuple(_layer_from_json(row, ntddi) for row in data["layers"])
    return Catalog(ntddi=ntddi, windows=windows, api_versions=apis, flags=flags, layers=layers)


def _layer_from_json(row: dict[str, Any], ntddi: dict[str, int]) -> Layer:
    flow = row["flow_capable"]
    fields = tuple(
        LayerField(name=f["name"], min_ntddi=f["min_ntddi"], ntddi_value=ntddi[f["min_ntddi"]])
        for f in row["fields"]
    )
    min_ntddi = row["min_ntddi"].split()[0]
    return Layer(
        name=row["name"],
        fwps_id=row["fwps_id"],
        has_fwpm_guid=row["has_fwpm_guid"],
        family=row["family"],
        discard=row["discard"],
        base=row["base"],
        min_ntddi=min_ntddi,
        ntddi_value=ntddi[min_ntddi],
        kernel_callout=row["kernel_callout"],
        flow="assoc-target" if flow == "assoc-target" else ("yes" if flow else "no"),
        fields_enum=row["fields_enum"],
        layer_data=row["layer_data"],
        group=row["group"],
        purpose=row["purpose"],
        summary=row["summary"],
        fields=fields,
    )
