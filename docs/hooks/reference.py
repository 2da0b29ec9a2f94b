"""MkDocs hook: the reference parts of the docs, generated from wfpgen itself so they never drift.

A page asks for a generated part with an HTML comment on a line of its own:

- ``<!-- wfpgen: spec-reference -->``: every spec key, from the JSON Schema
  that ``wfpgen schema`` prints (wfpgen.core.schema, built from the same key
  tables that reject unknown keys);
- ``<!-- wfpgen: json-envelope -->`` and ``<!-- wfpgen: json-commands -->``:
  the common keys of every ``--json`` document, and each command's own keys,
  from the shipped output schemas (``wfpgen schema --output COMMAND``);
- ``<!-- wfpgen: screenshot ARGS -->``: what ``wfpgen ARGS`` shows in a
  terminal 100 columns wide, run at build time in a pseudo-terminal and drawn
  as SVG by Rich (where there is no pseudo-terminal, through a pipe).

Other modules can import :func:`render` (tests/test_docs.py does).
"""

import io
import json
import os
import re
import shlex
import subprocess
import sys
from collections.abc import Mapping
from typing import Any

from wfpgen.cli.envelope import COMMANDS, load_output_schema, schema_name
from wfpgen.core.catalog import load_catalog
from wfpgen.core.schema import build_schema

_MARKER = re.compile(r"^<!-- wfpgen: ([a-z-]+)(?: (.+?))? -->$", re.MULTILINE)
_LONG_ENUM = 20  # longer lists of names are pointed to, not printed

# The spec's patterns in words (others are shown as they are).
_PATTERN_WORDS = {
    "^[A-Za-z][A-Za-z0-9_]*$": "a C identifier (a letter, then letters, digits and _)",
    r"^[\x20\x21\x23\x24\x26-\x5B\x5D-\x7E]*$": 'printable ASCII text without `"`, `%` and `\\`',
    r"^\d+(\.\d+){0,3}$": "1 to 4 numbers separated by dots",
    "^[0-9a-f]{7,64}$": "a git commit id (lower-case hex)",
}


def on_page_markdown(markdown: str, **_: Any) -> str:
    """MkDocs event: replace each marker with its generated Markdown."""
    return _MARKER.sub(lambda m: render(m.group(1), m.group(2) or ""), markdown)


def render(part: str, argument: str = "") -> str:
    """The Markdown of one generated part."""
    if part == "screenshot":
        return screenshot(shlex.split(argument))
    if part == "spec-reference":
        return spec_reference()
    if part == "json-envelope":
        return json_envelope()
    if part == "json-commands":
        return json_commands()
    raise ValueError(f"unknown generated part {part!r}")


# --- the spec ---------------------------------------------------------------

_TABLE_TITLES = {
    "driver": "`[driver]`: the driver",
    "provider": "`[provider]`: the WFP provider the driver registers",
    "sublayer": "`[sublayer]`: the WFP sublayer its filters go in",
    "callouts": "`[[callouts]]`: one table per callout (at least one)",
    "template": "`[template]`: where the template comes from",
    "wfpgen": "`[wfpgen]`: written by wfpgen",
}

_POINTERS = {
    "layer": "a kernel layer: `wfpgen layers` lists them",
    "flags": "callout flags: `wfpgen flags` lists them",
}


def spec_reference() -> str:
    """One section per spec table, one row per key."""
    schema = build_schema(load_catalog())
    out: list[str] = []
    for table, node in schema["properties"].items():
        body = node.get("items", node)  # [[callouts]] is an array of tables
        required = set(body.get("required", ()))
        out += [f"### {_TABLE_TITLES.get(table, f'`[{table}]`')}", ""]
        out += ["| key | value | default | what it is |", "|---|---|---|---|"]
        for key, prop in body["properties"].items():
            name = f"`{key}`" + (" (required)" if key in required else "")
            default = f"`{_toml(prop['default'])}`" if "default" in prop else ""
            value = _POINTERS.get(key) or _value(prop)
            what = prop.get("description", "the wfpgen version that wrote the file")
            out.append(f"| {name} | {_cell(value)} | {default} | {_cell(what)} |")
        out.append("")
    return "\n".join(out)


def _value(prop: Mapping[str, Any]) -> str:
    """What a key takes, in words."""
    if "anyOf" in prop:  # names wfpgen reads in any spelling: the enum says which
        enum = next(o["enum"] for o in prop["anyOf"] if "enum" in o)
        return _names(enum) + ", in any case"
    if "enum" in prop:
        return _names(prop["enum"])
    kind = prop.get("type")
    if kind == "array":
        return f"a list of {_value(prop['items'])}"
    if kind == "integer":
        return f"an integer from {prop.get('minimum', '')} to {prop.get('maximum', '')}"
    if kind == "string":
        if prop.get("pattern", "").startswith(r"^\{?[0-9A-Fa-f]{8}"):
            return "a GUID, with or without braces (generated when missing)"
        limit = f", at most {prop['maxLength']} characters" if "maxLength" in prop else ""
        pattern = prop.get("pattern")
        if pattern is None:
            return f"a string{limit}"
        if pattern in _PATTERN_WORDS:
            return f"{_PATTERN_WORDS[pattern]}{limit}"
        return f"a string matching `{pattern}`{limit}"
    if kind == "object":
        return "a table"
    return f"a {kind}" if kind else "any value"


def _names(values: list[Any]) -> str:
    if len(values) > _LONG_ENUM:
        return f"one of {len(values)} names: {', '.join(f'`{v}`' for v in values[:4])}, ..."
    return "one of " + ", ".join(f"`{_toml(v)}`" for v in values)


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value)
    return str(value)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


# --- --json output ----------------------------------------------------------


def _type(prop: Mapping[str, Any]) -> str:
    if "const" in prop:
        return f"`{json.dumps(prop['const'])}`"
    if "enum" in prop:
        return " \\| ".join(f"`{json.dumps(v)}`" for v in prop["enum"])
    kind = prop.get("type", "")
    if isinstance(kind, list):
        return " or ".join(kind)
    if kind == "array":
        items = prop.get("items", {})
        if "$ref" in items:
            return "list of `{field, message}`"
        if items.get("type") == "object":
            keys = ", ".join(items.get("properties", {}))
            return f"list of `{{{keys}}}`"
        return f"list of {items.get('type', 'values')}s"
    if kind == "object" and prop.get("properties"):
        return f"object: `{{{', '.join(prop['properties'])}}}`"
    return kind


def json_envelope() -> str:
    """The keys every document has (or has on failure)."""
    schema = load_output_schema("new")
    always = set(schema["required"])
    out = ["| key | type | when | what it is |", "|---|---|---|---|"]
    envelope = ["wfpgen", "command", "ok", "exit_code", "project"]
    envelope += ["warnings", "problems", "notes", "error", "hint", "problem_count"]
    for key in envelope:
        prop = schema["properties"][key]
        when = "always" if key in always else ("on failure" if key != "project" else "")
        if key == "project":
            when = "commands with a project"
        kind = "string" if key == "command" else _type(prop)
        out.append(f"| `{key}` | {kind} | {when} | {_cell(prop['description'])} |")
    return "\n".join(out) + "\n"


def json_commands() -> str:
    """One section per command: its own keys."""
    base = set(load_output_schema("new")["properties"]) - {
        "dry_run",
        "written",
        "files",
        "record",
        "spec",
    }
    out: list[str] = []
    for command in COMMANDS:
        schema = load_output_schema(command)
        required = set(schema["then"]["required"])
        out += [f"### `wfpgen {command} --json`", "", _cell(schema["description"]), ""]
        out += [
            f"Schema: `wfpgen schema --output {schema_name(command)}` (`{schema['$id']}`).",
            "",
        ]
        out += ["| key | type | always on success | what it is |", "|---|---|---|---|"]
        for key, prop in schema["properties"].items():
            if key in base and key != "project":
                continue
            if key == "project" and "project" not in required:
                continue
            mark = "yes" if key in required else ""
            out.append(f"| `{key}` | {_type(prop)} | {mark} | {_cell(prop['description'])} |")
        out.append("")
    return "\n".join(out)


# --- terminal screenshots ---------------------------------------------------

_COLUMNS = 100


def screenshot(args: list[str]) -> str:
    """``wfpgen ARGS`` as a terminal shows it, as an SVG in a raw HTML block."""
    from rich.console import Console
    from rich.text import Text

    output = _in_terminal(args) if _has_pty() else _in_pipe(args)
    console = Console(
        record=True,
        width=_COLUMNS,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
    )
    console.print(Text.from_ansi(output.rstrip("\n")), soft_wrap=True)
    svg = console.export_svg(title=shlex.join(["wfpgen", *args]))
    svg = "\n".join(line for line in svg.splitlines() if line.strip())  # one raw HTML block
    return f'<div class="screenshot">\n{svg}\n</div>\n'


def _has_pty() -> bool:
    return sys.platform != "win32"


def _environment() -> dict[str, str]:
    drop = {"NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "CI", "COLUMNS", "LINES"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    return {**env, "COLUMNS": str(_COLUMNS), "LINES": "50", "TERM": "xterm-256color"}


def _in_terminal(args: list[str]) -> str:
    """Run wfpgen in a pseudo-terminal of ``_COLUMNS`` columns; return what it wrote."""
    import fcntl
    import pty
    import struct
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 50, _COLUMNS, 0, 0))
    process = subprocess.Popen(
        [sys.executable, "-m", "wfpgen", *args],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=_environment(),
        close_fds=True,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the process closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    process.wait(timeout=60)
    return b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n")


def _in_pipe(args: list[str]) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "wfpgen", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**_environment(), "FORCE_COLOR": "1"},
        timeout=60,
        check=False,
    )
    return done.stdout + done.stderr
