"""The JSON envelope and the published schemas (``wfpgen schema [--output COMMAND]``).

Every ``--json`` document of the suite is validated against its schema by
``run_cli`` and ``tests.test_property.wfpgen`` (tests/jsonout.py); these tests
check the schemas themselves.
"""

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer

from tests.conftest import RunCli
from tools.build_output_schemas import rendered
from wfpgen.cli.app import app
from wfpgen.cli.envelope import COMMANDS, SCHEMA_DIR, load_output_schema, schema_name
from wfpgen.core.catalog import load_catalog
from wfpgen.core.schema import build_schema
from wfpgen.lifecycle.file_plan import Action

# ECMA-262 (with the u flag, as JSON Schema tools compile patterns): after a
# backslash only these may follow; an identity escape of anything else (\-) is an error.
_ECMA_ESCAPES = set("^$\\.*+?()[]{}|/" + "dDwWsSbBnrtfv0123456789xuck")


def _patterns(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["pattern"]] if isinstance(node.get("pattern"), str) else []
        return found + [p for value in node.values() for p in _patterns(value)]
    if isinstance(node, list):
        return [p for value in node for p in _patterns(value)]
    return []


def _all_schemas() -> dict[str, dict[str, Any]]:
    schemas = {"spec": build_schema(load_catalog())}
    schemas.update({schema_name(c): load_output_schema(c) for c in COMMANDS})
    return schemas


def test_the_shipped_schemas_are_the_built_ones() -> None:
    """tools/build_output_schemas.py was run after the last change to a command's JSON."""
    shipped = sorted(p.name for p in SCHEMA_DIR.glob("*.json"))
    assert shipped == sorted(f"{schema_name(c)}.json" for c in COMMANDS)
    for command in COMMANDS:
        path = SCHEMA_DIR / f"{schema_name(command)}.json"
        assert path.read_text(encoding="utf-8") == rendered(command), (
            f"{path.name} is stale: run python tools/build_output_schemas.py"
        )


def test_every_json_command_has_a_schema() -> None:
    """The commands with a --json option are exactly the ones with an output schema."""
    found: list[str] = []

    # Typer vendors Click: groups are matched by shape, as wfpgen.cli.guard does.
    def walk(command: Any, path: tuple[str, ...]) -> None:
        if hasattr(command, "list_commands"):
            for name in command.list_commands(None):
                sub = command.get_command(None, name)
                if sub is not None:
                    walk(sub, (*path, name))
        elif any("--json" in getattr(p, "opts", ()) for p in command.params):
            found.append(" ".join(path))

    walk(typer.main.get_command(app), ())
    assert sorted(found) == sorted(COMMANDS)


@pytest.mark.parametrize("name", ["spec", *(schema_name(c) for c in COMMANDS)])
def test_schemas_carry_id_and_dialect_and_ecma_patterns(name: str) -> None:
    schema = _all_schemas()[name]
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].startswith("urn:wfpgen:schema:")
    for pattern in _patterns(schema):
        escapes = re.findall(r"\\(.)", pattern)
        assert set(escapes) <= _ECMA_ESCAPES, (pattern, set(escapes) - _ECMA_ESCAPES)


@pytest.mark.slow
def test_check_jsonschema_accepts_every_schema_wfpgen_prints(tmp_path: Path) -> None:
    """What editors and CI tools do with them: check-jsonschema --check-metaschema."""
    files = []
    for name in ["", *(schema_name(c) for c in COMMANDS)]:
        args = ["schema", "--output", name] if name else ["schema"]
        done = subprocess.run(
            [sys.executable, "-m", "wfpgen", *args],
            capture_output=True,
            text=True,
            check=True,
        )
        path = tmp_path / f"{name or 'spec'}.schema.json"
        path.write_text(done.stdout, encoding="utf-8")
        files.append(str(path))
    checked = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--check-metaschema", *files],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_schema_output_prints_the_shipped_schema(run_cli: RunCli) -> None:
    for spelling in ("add-callout", "add callout", "ADD-CALLOUT"):
        result = run_cli("schema", "--output", spelling)
        assert result.exit_code == 0, result.stderr
        assert json.loads(result.stdout) == load_output_schema("add callout")
    unknown = run_cli("schema", "--output", "diff")
    assert unknown.exit_code == 2
    assert unknown.stderr.startswith("error: --output: no command 'diff' has --json; use new,")


def test_update_actions_are_the_schema_enum() -> None:
    files = load_output_schema("update")["properties"]["files"]["items"]
    assert files["properties"]["action"]["enum"] == [a.value for a in Action]


def test_flow_contexts_are_booleans(run_cli: RunCli) -> None:
    rows = {
        row["name"]: row
        for row in json.loads(run_cli("layers", "--json", "--min-os", "win7").stdout)["layers"]
    }
    assert rows["STREAM_V4"]["flow_contexts"] is True
    assert rows["STREAM_V4"]["associates_flow_contexts"] is False
    assert rows["ALE_FLOW_ESTABLISHED_V4"]["associates_flow_contexts"] is True
    assert rows["INBOUND_IPPACKET_V4"]["flow_contexts"] is False


def test_the_envelope_of_a_usage_error_names_the_command() -> None:
    from tests.test_property import wfpgen

    code, stdout, _ = wfpgen("add", "callout", "--json", "--bogus")
    assert code == 2
    report = json.loads(stdout)
    assert report["command"] == "add callout"
    assert report["ok"] is False and report["warnings"] == [] and report["notes"] == []
    assert report["hint"] == "see `wfpgen add callout --help`"


def test_a_layer_that_is_not_for_callouts_warns_in_json(run_cli: RunCli) -> None:
    unusable = next(layer for layer in load_catalog().layers if not layer.usable)
    result = run_cli("layers", "--json", unusable.name)
    if result.exit_code != 0:  # user-mode layers are not listed at all
        pytest.skip(f"{unusable.name} is not shown")
    report = json.loads(result.stdout)
    assert report["warnings"] == [
        {
            "code": "",
            "field": unusable.name,
            "message": "kernel callouts cannot be registered at this layer",
        }
    ]
