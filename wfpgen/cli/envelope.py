"""The JSON every ``--json`` command prints, and the JSON Schema of each command's output.

Every document is one object, the envelope, whatever the command and whether
it succeeded:

- ``wfpgen``: the version that wrote it; ``command``: the command, such as
  ``new`` or ``add callout``;
- ``ok``: false only when the command failed (the exit status is neither 0 nor
  6: "out of date" is an answer, not a failure); ``exit_code``: the process's
  exit status, always;
- ``project``: the project folder, for the commands that have one;
- ``warnings`` and ``problems`` (objects with ``code``, ``field`` and ``message``) and
  ``notes`` (strings), always present, often empty;
- on failure, ``error`` (one line) and ``hint`` (what to do, may be empty);
- the command's own fields (on failure, only those it got to).

The schemas are built here and shipped in ``wfpgen/data/output-schemas/``
(``tools/build_output_schemas.py`` writes them; a test keeps both equal), and
``wfpgen schema --output COMMAND`` prints them.
"""

import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, is_dataclass
from pathlib import Path
from typing import Any

from wfpgen import __version__

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_DIR = Path(__file__).resolve().parents[1] / "data" / "output-schemas"
ID_PREFIX = "urn:wfpgen:schema:output:"

NOT_FAILURES = (0, 6)
"""Exit statuses whose ``ok`` is true: success, and "out of date" (check)."""

COMMANDS = (
    "new",
    "validate",
    "layers",
    "flags",
    "update",
    "check",
    "add callout",
    "remove callout",
    "add channel",
    "remove channel",
    "template export",
    "template test",
    "trust",
    "explain",
)
"""The commands that take ``--json``, as ``command`` names them."""


def envelope(
    command: str,
    *,
    exit_code: int = 0,
    project: Path | str | None = None,
    warnings: Iterable[Any] = (),
    problems: Iterable[Any] = (),
    notes: Iterable[str] = (),
    **fields: Any,
) -> dict[str, Any]:
    """The JSON document of ``command``: the common keys, then the command's ``fields``."""
    data: dict[str, Any] = {
        "wfpgen": __version__,
        "command": command,
        "ok": int(exit_code) in NOT_FAILURES,
        "exit_code": int(exit_code),
    }
    if project is not None:
        data["project"] = str(project)
    data.update(fields)
    data["warnings"] = [_problem(w) for w in warnings]
    data["problems"] = [_problem(p) for p in problems]
    data["notes"] = [str(n) for n in notes]
    return data


def _problem(item: Any) -> dict[str, Any]:
    """A warning or problem as an object; a bare string has no field."""
    if is_dataclass(item) and not isinstance(item, type):
        return asdict(item)
    if isinstance(item, Mapping):
        return dict(item)
    return {"code": "", "field": "", "message": str(item)}


def schema_name(command: str) -> str:
    """The file and ``--output`` name of a command's schema: ``add callout`` -> ``add-callout``."""
    return "-".join(command.split())


def find_command(name: str) -> str | None:
    """The command ``name`` (``add-callout``, ``add callout``, any case) means, if any."""
    wanted = schema_name(name.strip().lower())
    return next((c for c in COMMANDS if schema_name(c) == wanted), None)


def load_output_schema(command: str) -> dict[str, Any]:
    """The shipped schema of ``command``'s output."""
    path = SCHEMA_DIR / f"{schema_name(command)}.json"
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


# --- the schemas ------------------------------------------------------------

_STRING = {"type": "string"}
_BOOLEAN = {"type": "boolean"}
_STRINGS = {"type": "array", "items": _STRING}


def _described(description: str, schema: Mapping[str, Any]) -> dict[str, Any]:
    return {"description": description, **schema}


_PROBLEM = {
    "type": "object",
    "description": "Something about the input: the key, option or file it concerns, and what "
    "to do. More keys may be added in later versions.",
    "properties": {
        "code": _described(
            "The rule's stable code, such as E211 (`wfpgen explain CODE`); empty for a "
            "command-line value that is not part of a spec.",
            {"type": "string", "pattern": "^([EW][0-9]{3})?$"},
        ),
        "field": _described("The spec key, option or file concerned.", _STRING),
        "message": _described("What is wrong and how to fix it.", _STRING),
    },
    "required": ["code", "field", "message"],
}

_ENVELOPE_PROPERTIES: dict[str, Any] = {
    "wfpgen": _described("The version of wfpgen that wrote this.", _STRING),
    "command": _described("The command that wrote this, such as `new` or `add callout`.", _STRING),
    "ok": _described(
        "False only when the command failed: the exit status is neither 0 nor 6.", _BOOLEAN
    ),
    "exit_code": _described(
        "The process's exit status (see the exit status table).",
        {"type": "integer", "minimum": 0, "maximum": 255},
    ),
    "project": _described("The project folder.", _STRING),
    "warnings": _described(
        "What wfpgen accepted but you may not want; also printed on stderr.",
        {"type": "array", "items": {"$ref": "#/$defs/problem"}},
    ),
    "problems": _described(
        "What is wrong with the input (exit status 2): at most 50, see `problem_count`.",
        {"type": "array", "items": {"$ref": "#/$defs/problem"}},
    ),
    "notes": _described("What wfpgen decided on your behalf, one sentence each.", _STRINGS),
    "error": _described("On failure: what went wrong, in one line.", _STRING),
    "hint": _described("On failure: what to do about it; may be empty.", _STRING),
    "problem_count": _described(
        "On failure with problems: how many there were in all.",
        {"type": "integer", "minimum": 0},
    ),
}

_FILE_CHANGE = {
    "type": "object",
    "properties": {
        "path": _described("The file, relative to the project, with / separators.", _STRING),
        "action": _described(
            "What the update does to it.",
            {
                "enum": [
                    "created",
                    "updated",
                    "merged",
                    "deleted",
                    "kept",
                    "conflicted",
                    "unchanged",
                ]
            },
        ),
        "reason": _described("Why, when it is not obvious; may be empty.", _STRING),
    },
    "required": ["path", "action", "reason"],
    "additionalProperties": False,
}

_SPEC = _described(
    "The project's spec as written to wfpgen.toml: every default filled in, GUIDs included "
    "(see `wfpgen schema`).",
    {"type": "object"},
)

_UPDATE_FIELDS: dict[str, Any] = {
    "dry_run": _described("--dry-run was given: nothing was written.", _BOOLEAN),
    "written": _described("The project was changed on disk.", _BOOLEAN),
    "files": _described(
        "Every generated file, with what the update does to it.",
        {"type": "array", "items": _FILE_CHANGE},
    ),
    "conflicts": _described("The files left with conflicts (exit status 5).", _STRINGS),
    "spec": _SPEC,
    "diff": _described("With --dry-run: the unified diff of the changes.", _STRING),
}
_UPDATE_REQUIRED = ("project", "dry_run", "written", "files", "conflicts")

_LAYER_ROW: dict[str, Any] = {
    "name": _described(
        "The layer, as spec files write it (FWPS_LAYER_ without the prefix).", _STRING
    ),
    "family": _described("IP family: v4, v6 or none.", _STRING),
    "flow_contexts": _described(
        "A callout here can keep per-flow contexts (and set CONDITIONAL_ON_FLOW).", _BOOLEAN
    ),
    "associates_flow_contexts": _described(
        "Flow contexts for callouts at other layers are associated here (ALE_FLOW_ESTABLISHED).",
        _BOOLEAN,
    ),
    "layer_data": _described("What classifyFn's layerData points to.", _STRING),
    "since": _described("The oldest Windows (a min_os id) that has the layer.", _STRING),
    "summary": _described("What the layer sees.", _STRING),
}

_LAYER_DETAIL: dict[str, Any] = {
    **_LAYER_ROW,
    "fwps_constant": _described("The run-time layer identifier.", _STRING),
    "fwpm_constant": _described("The filter layer key.", _STRING),
    "discard": _described("A discard layer: traffic here was already dropped.", _BOOLEAN),
    "purpose": _described(
        "What callouts do here.", {"enum": ["filter", "discard", "informational"]}
    ),
    "flags": _described("The callout flags that fit this layer.", _STRINGS),
    "behaviors": _described(
        "The callout behaviors allowed here (a spec's behavior key): decide always, ask at "
        "ALE_AUTH_CONNECT/RECV_ACCEPT, reinject at the transport, DATAGRAM_DATA and IP packet "
        "layers.",
        {"type": "array", "items": {"enum": ["decide", "ask", "reinject"]}},
    ),
    "fields": _described(
        "The FWPS_FIELD_* indices of incomingValues, in order.",
        {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"name": _STRING, "constant": _STRING, "since": _STRING},
                "required": ["name", "constant", "since"],
                "additionalProperties": False,
            },
        },
    ),
}

_FLAG_ROW: dict[str, Any] = {
    "name": _described("The flag, as spec files write it (no FWP_CALLOUT_FLAG_ prefix).", _STRING),
    "constant": _described("The C constant.", _STRING),
    "value": _described("Its value, in hexadecimal.", _STRING),
    "since": _described("The oldest Windows (a min_os id) that has it.", _STRING),
    "applies_to": _described("Where it has an effect.", _STRING),
    "settable": _described("A driver may set it (false: reserved for the system).", _BOOLEAN),
    "summary": _described("What it does.", _STRING),
}

_CASE: dict[str, Any] = {
    "case": _described("The matrix spec's name.", _STRING),
    "ok": _described("It rendered, every .c file compiled, and every phase passed.", _BOOLEAN),
    "sources": _described("How many .c files were compiled.", {"type": "integer"}),
    "errors": _described("How many compiler errors there were.", {"type": "integer"}),
    "failure": _described("Why it failed before compiling; empty when it did not.", _STRING),
    "diagnostics": _described("The compiler's messages.", _STRINGS),
    "phases": _described(
        "Each phase in order: compile, then the generated tests' configure, build and run.",
        {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "phase": _described("compile, configure, build or run.", _STRING),
                    "ok": _described("The phase passed (or was skipped).", _BOOLEAN),
                    "skipped": _described(
                        "The phase did not run (no CMake, --no-build).", _BOOLEAN
                    ),
                    "detail": _described("Why it failed or was skipped.", _STRING),
                },
                "required": ["phase", "ok", "skipped"],
                "additionalProperties": False,
            },
        },
    ),
}


_RULE = {
    "code": _described("The stable code: E1xx-E3xx an error, W4xx a warning.", _STRING),
    "severity": _described("What a problem of this rule does.", {"enum": ["error", "warning"]}),
    "summary": _described("What the rule finds, in one line.", _STRING),
    "explanation": _described("Why it matters.", _STRING),
    "fix": _described("What to do about it.", _STRING),
    "source": _described("Where the facts it rests on are documented.", _STRING),
    "checked_in": _described("The wfpgen module that finds it.", _STRING),
}


def _object(properties: Mapping[str, Any], required: Iterable[str] = ()) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": dict(properties),
        "required": list(required),
        "additionalProperties": False,
    }


# command -> (description, its own fields, the fields it always has when ok)
_COMMAND_FIELDS: dict[str, tuple[str, dict[str, Any], tuple[str, ...]]] = {
    "new": (
        "`wfpgen new --json`: the generated (or, with --dry-run, planned) project.",
        {
            "dry_run": _described("--dry-run was given: nothing was written.", _BOOLEAN),
            "written": _described("The project was written to disk.", _BOOLEAN),
            "files": _described("The project's files, relative, with / separators.", _STRINGS),
            "record": _described(
                "The files of .wfpgen/, the record `wfpgen update` merges against.", _STRINGS
            ),
            "spec": _SPEC,
        },
        ("project", "dry_run", "written", "files", "record", "spec"),
    ),
    "validate": (
        "`wfpgen validate --json`: whether a spec file is valid.",
        {
            "file": _described("The spec file checked.", _STRING),
        },
        ("file",),
    ),
    "layers": (
        "`wfpgen layers --json`: the table (`layers`), or one layer (`layer`) when NAME is one.",
        {
            "layers": _described(
                "The layers that match, when NAME is not a layer.",
                {"type": "array", "items": _object(_LAYER_ROW, _LAYER_ROW)},
            ),
            "layer": _described(
                "The layer NAME names, with its fields.", _object(_LAYER_DETAIL, _LAYER_DETAIL)
            ),
        },
        (),
    ),
    "flags": (
        "`wfpgen flags --json`: the callout flags.",
        {
            "flags": _described(
                "The flags that match the options.",
                {"type": "array", "items": _object(_FLAG_ROW, _FLAG_ROW)},
            ),
        },
        ("flags",),
    ),
    "update": (
        "`wfpgen update --json`: what the update did (or, with --dry-run, would do) to each file.",
        _UPDATE_FIELDS,
        _UPDATE_REQUIRED,
    ),
    "add callout": (
        "`wfpgen add callout --json`: the update that added the callout.",
        _UPDATE_FIELDS,
        _UPDATE_REQUIRED,
    ),
    "remove callout": (
        "`wfpgen remove callout --json`: the update that removed the callout.",
        _UPDATE_FIELDS,
        _UPDATE_REQUIRED,
    ),
    "add channel": (
        "`wfpgen add channel --json`: the update that turned the control channel on "
        "(or changed its options).",
        _UPDATE_FIELDS,
        _UPDATE_REQUIRED,
    ),
    "remove channel": (
        "`wfpgen remove channel --json`: the update that removed the control channel.",
        _UPDATE_FIELDS,
        _UPDATE_REQUIRED,
    ),
    "check": (
        "`wfpgen check --json`: whether `wfpgen update` would change the project "
        "(exit status 6, with ok true, when it would).",
        {
            "up_to_date": _described("`wfpgen update` would change nothing.", _BOOLEAN),
            "reasons": _described("Why it would change files.", _STRINGS),
            "release": _described(
                "A later release tag of the template the project is pinned to; null when none.",
                {"type": ["string", "null"]},
            ),
            "changed": _described("The files it would change.", _STRINGS),
        },
        ("project", "up_to_date", "reasons", "release", "changed"),
    ),
    "template export": (
        "`wfpgen template export --json`: the exported template.",
        {
            "directory": _described("The folder the template was written to.", _STRING),
            "files": _described("Its files, relative, with / separators.", _STRINGS),
        },
        ("directory", "files"),
    ),
    "template test": (
        "`wfpgen template test --json`: one entry per matrix spec.",
        {
            "cases": _described(
                "Each matrix spec, rendered and compiled.",
                {"type": "array", "items": _object(_CASE, _CASE)},
            ),
        },
        ("cases",),
    ),
    "explain": (
        "`wfpgen explain --json`: the rule CODE names, or every rule.",
        {
            "rules": _described(
                "The rule asked for, or every rule by code when no CODE was given.",
                {"type": "array", "items": _object(_RULE, _RULE)},
            ),
        },
        ("rules",),
    ),
    "trust": (
        "`wfpgen trust --json`: the trusted template sources after the change (or, with "
        "--list, as they are).",
        {
            "config": _described("The configuration file that holds them.", _STRING),
            "saved": _described(
                "The sources trusted in that file (SOURCE or SOURCE@@REFS).", _STRINGS
            ),
            "environment": _described("With --list: the sources WFPGEN_TRUST trusts.", _STRINGS),
        },
        ("config", "saved"),
    ),
}


def build_output_schema(command: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of ``wfpgen COMMAND --json``'s output.

    A document either succeeded (``ok`` true, exit status 0 or 6: the command's
    fields are all there) or failed (``ok`` false: ``error`` and ``hint`` are
    there, and the command's fields only as far as it got).
    """
    description, fields, required = _COMMAND_FIELDS[command]
    properties = {
        **_ENVELOPE_PROPERTIES,
        "command": _described(_ENVELOPE_PROPERTIES["command"]["description"], {"const": command}),
        **fields,
    }
    return {
        "$schema": SCHEMA_DIALECT,
        "$id": f"{ID_PREFIX}{schema_name(command)}",
        "title": f"wfpgen {command} --json",
        "description": description,
        "type": "object",
        "properties": properties,
        "required": ["wfpgen", "command", "ok", "exit_code", "warnings", "problems", "notes"],
        "additionalProperties": False,
        "if": {"properties": {"ok": {"const": True}}},
        "then": {
            "properties": {"exit_code": {"enum": list(NOT_FAILURES)}},
            "required": list(required),
        },
        "else": {
            "properties": {"exit_code": {"not": {"enum": list(NOT_FAILURES)}}},
            "required": ["error", "hint"],
        },
        "$defs": {"problem": _PROBLEM},
    }
