"""The JSON Schema of a spec file, for editors (``wfpgen schema``).

Properties come from the key tables in ``spec.py`` (the same tables that make
unknown keys an error), with their descriptions; the allowed values come from
the catalog and the validators. A key added to a table without a type here
fails ``build_schema``, so the schema cannot fall behind the spec.
"""

from collections.abc import Mapping
from typing import Any

from wfpgen.core.catalog import Catalog
from wfpgen.core.spec import (
    ACTIONS,
    ARCHITECTURES,
    BEHAVIORS,
    CALLOUT_KEYS,
    CHANNEL_KEYS,
    DRIVER_KEYS,
    FILTER_MODES,
    PROVIDER_KEYS,
    START_TYPES,
    SUBLAYER_KEYS,
    TEMPLATE_KEYS,
    TOP_KEYS,
    DriverSpec,
)
from wfpgen.core.validation import (
    KMDF_VERSIONS,
    KMDF_WITHOUT_HEADERS,
    MAX_CALLOUT_NAME,
    MAX_DRIVER_NAME,
    MAX_TEXT,
)

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_ID = "urn:wfpgen:schema:spec"

_IDENTIFIER = "^[A-Za-z][A-Za-z0-9_]*$"
_GUID = r"^\{?[0-9A-Fa-f]{8}-([0-9A-Fa-f]{4}-){3}[0-9A-Fa-f]{12}\}?$"
# Printable ASCII without ", % and \: INF and C strings carry the text as is.
_TEXT = r"^[\x20\x21\x23\x24\x26-\x5B\x5D-\x7E]*$"
_VERSION = r"^\d+(\.\d+){0,3}$"


def build_schema(catalog: Catalog) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a wfpgen spec file.

    Names wfpgen reads in any case (layers, flags, Windows ids, actions,
    architectures) are an ``anyOf``: an enum of the canonical spellings, which
    editors offer as completions, or a case-insensitive pattern accepting
    exactly the other spellings wfpgen accepts (optional C prefixes included).
    """
    layers = [layer.name for layer in catalog.kernel_layers()]
    flags = [flag.name for flag in catalog.flags if flag.user_settable]
    text = {"type": "string", "pattern": _TEXT, "maxLength": MAX_TEXT}
    guid = {"type": "string", "pattern": _GUID}
    driver_types: dict[str, dict[str, Any]] = {
        "name": {"type": "string", "pattern": _IDENTIFIER, "maxLength": MAX_DRIVER_NAME},
        "description": text,
        "company": text,
        "version": {"type": "string", "pattern": _VERSION},
        "min_os": _names([w.id for w in catalog.windows]),
        "kmdf_version": {"enum": [v for v in KMDF_VERSIONS if v != KMDF_WITHOUT_HEADERS]},
        "architectures": {
            "type": "array",
            "items": _names(list(ARCHITECTURES), aliases=_ARCHITECTURE_ALIASES),
            "minItems": 1,
            "uniqueItems": True,
        },
        "filters": {"enum": list(FILTER_MODES)},
        "start_type": {"enum": list(START_TYPES)},
        "tests": {"type": "boolean"},
    }
    callout_types: dict[str, dict[str, Any]] = {
        "name": {"type": "string", "pattern": _IDENTIFIER, "maxLength": MAX_CALLOUT_NAME},
        "layer": _names(layers, prefixes=("FWPS_LAYER_", "FWPM_LAYER_")),
        "flags": {
            "type": "array",
            "items": _names(flags, prefixes=("FWP_CALLOUT_FLAG_",)),
            "uniqueItems": True,
        },
        "guid": guid,
        "action": _names(
            list(ACTIONS), prefixes=("FWP_ACTION_", "FWP_ACTION_CALLOUT_", "CALLOUT_")
        ),
        "flow_context": {"type": "boolean"},
        "description": text,
        "behavior": {"enum": list(BEHAVIORS)},
    }
    defaults = DriverSpec()
    driver_defaults = {
        "name": defaults.name,
        "version": defaults.version,
        "min_os": defaults.min_os,
        "filters": defaults.filters,
        "start_type": defaults.start_type,
        "tests": defaults.tests,
    }
    top_types: dict[str, dict[str, Any]] = {
        "driver": _table(DRIVER_KEYS, driver_types, defaults=driver_defaults),
        "provider": _table(PROVIDER_KEYS, {"guid": guid, "name": text}),
        "sublayer": _table(
            SUBLAYER_KEYS,
            {
                "guid": guid,
                "name": text,
                "weight": {"type": "integer", "minimum": 0, "maximum": 0xFFFF},
            },
            defaults={"weight": 0},
        ),
        "callouts": {
            "type": "array",
            "minItems": 1,
            "items": _table(
                CALLOUT_KEYS,
                callout_types,
                required=("name", "layer"),
                defaults={"flow_context": False, "behavior": "decide"},
            ),
        },
        "channel": _table(
            CHANNEL_KEYS,
            {
                "enabled": {"type": "boolean"},
                "events": {"type": "boolean"},
                "app": {"type": "boolean"},
                "ring": {"type": "integer", "minimum": 16, "maximum": 65536},
                "ask_timeout": {"type": "integer", "minimum": 1, "maximum": 300},
            },
            defaults={"enabled": False, "events": True, "app": True, "ring": 256, "ask_timeout": 5},
        ),
        "template": _table(
            TEMPLATE_KEYS,
            {
                "source": {"type": "string", "minLength": 1},
                "checkout": {"type": "string", "minLength": 1},
                "commit": {"type": "string", "pattern": "^[0-9a-f]{7,64}$"},
                "directory": {"type": "string", "minLength": 1},
                # The template declares its variables; wfpgen checks the keys against it.
                "variables": {"type": "object"},
            },
        ),
        "wfpgen": {
            "type": "object",
            "properties": {"version": {"type": "string"}},
            "additionalProperties": False,
        },
    }
    schema = _table(TOP_KEYS, top_types)
    return {
        "$schema": SCHEMA_DIALECT,
        "$id": SCHEMA_ID,
        "title": "wfpgen spec",
        "description": "A WFP callout driver project for `wfpgen new --config`.",
        **schema,
    }


_ARCHITECTURE_ALIASES = ("amd64", "x86_64", "aarch64", "win32")  # validate.canonical_architecture


def _names(
    canonical: list[str], *, prefixes: tuple[str, ...] = (), aliases: tuple[str, ...] = ()
) -> dict[str, Any]:
    """Canonical names as an enum, or any spelling wfpgen accepts as a pattern."""
    words = "|".join(_any_case(name) for name in [*canonical, *aliases])
    prefix = f"(?:{'|'.join(_any_case(p) for p in prefixes)})?" if prefixes else ""
    return {
        "anyOf": [
            {"enum": canonical},
            {"type": "string", "pattern": f"^{prefix}(?:{words})$"},
        ]
    }


_ECMA_SYNTAX = frozenset("^$\\.*+?()[]{}|/")
"""The characters an ECMA-262 pattern must escape; escaping any other is an error there."""


def _any_case(word: str) -> str:
    r"""A regular expression matching ``word`` in any letter case (ECMA 262 has no (?i)).

    Other characters are escaped only when ECMA-262 needs it: with the ``u``
    flag that editors and validators use, an identity escape such as ``\-`` (which
    Python's ``re.escape`` writes) is a syntax error.
    """
    return "".join(
        f"[{ch.upper()}{ch.lower()}]" if ch.isalpha() else (f"\\{ch}" if ch in _ECMA_SYNTAX else ch)
        for ch in word
    )


def _table(
    keys: Mapping[str, str],
    types: Mapping[str, Mapping[str, Any]],
    *,
    required: tuple[str, ...] = (),
    defaults: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """An object schema with exactly ``keys``, typed by ``types``.

    Raises:
        KeyError: a key has no type, or a type has no key.
    """
    untyped = set(keys) ^ set(types)
    if untyped:
        raise KeyError(f"schema types and spec keys differ: {sorted(untyped)}")
    properties = {}
    for key, description in keys.items():
        prop: dict[str, Any] = {"description": description, **types[key]}
        if defaults and key in defaults:
            prop["default"] = defaults[key]
        properties[key] = prop
    table: dict[str, Any] = {
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }
    if required:
        table["required"] = list(required)
    return table
