"""`wfpgen schema`: the JSON Schema of spec files agrees with the spec tables and the checks."""

import copy
import json
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import RunCli
from wfpgen.core.catalog import load_catalog
from wfpgen.core.project import plan_project
from wfpgen.core.schema import build_schema
from wfpgen.core.spec import (
    ACTIONS,
    CALLOUT_KEYS,
    DRIVER_KEYS,
    PROVIDER_KEYS,
    SUBLAYER_KEYS,
    TOP_KEYS,
    spec_to_raw,
)

GOLDEN = Path(__file__).parent / "golden"
GOLDEN_SPECS = sorted(GOLDEN.glob("*/spec.toml"))


def schema_errors(schema: dict[str, Any], value: Any, where: str = "$") -> Iterator[str]:
    """The draft 2020-12 keywords wfpgen's schema uses, checked the standard way."""
    kinds = {
        "object": dict,
        "array": list,
        "string": str,
        "boolean": bool,
        "integer": int,
    }
    if "anyOf" in schema:
        options = [list(schema_errors(option, value, where)) for option in schema["anyOf"]]
        if all(options):
            yield f"{where}: matches no anyOf option: {options}"
    kind = schema.get("type")
    if kind is not None:
        expected = kinds[kind]
        if not isinstance(value, expected) or (kind == "integer" and isinstance(value, bool)):
            yield f"{where}: not {kind}"
            return
    if "enum" in schema and value not in schema["enum"]:
        yield f"{where}: {value!r} not in enum"
    if isinstance(value, str):
        if "pattern" in schema and not re.search(schema["pattern"], value):
            yield f"{where}: {value!r} does not match {schema['pattern']}"
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            yield f"{where}: longer than {schema['maxLength']}"
    if isinstance(value, int) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            yield f"{where}: below minimum"
        if "maximum" in schema and value > schema["maximum"]:
            yield f"{where}: above maximum"
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            yield f"{where}: too few items"
        if schema.get("uniqueItems") and len({json.dumps(v) for v in value}) != len(value):
            yield f"{where}: items not unique"
        for index, item in enumerate(value):
            yield from schema_errors(schema.get("items", {}), item, f"{where}[{index}]")
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        for key in schema.get("required", []):
            if key not in value:
                yield f"{where}.{key}: required"
        for key, item in value.items():
            if key in properties:
                yield from schema_errors(properties[key], item, f"{where}.{key}")
            elif schema.get("additionalProperties") is False:
                yield f"{where}.{key}: not allowed"


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return build_schema(load_catalog())


def objects(schema: dict[str, Any]) -> Iterator[dict[str, Any]]:
    if schema.get("type") == "object":
        yield schema
    for sub in schema.get("properties", {}).values():
        yield from objects(sub)
    if "items" in schema:
        yield from objects(schema["items"])


def test_properties_are_the_spec_key_tables(schema: dict[str, Any]) -> None:
    top = schema["properties"]
    assert list(top) == list(TOP_KEYS)
    assert list(top["driver"]["properties"]) == list(DRIVER_KEYS)
    assert list(top["provider"]["properties"]) == list(PROVIDER_KEYS)
    assert list(top["sublayer"]["properties"]) == list(SUBLAYER_KEYS)
    callout = top["callouts"]["items"]
    assert list(callout["properties"]) == list(CALLOUT_KEYS)
    assert callout["required"] == ["name", "layer"]
    for key, text in DRIVER_KEYS.items():
        assert top["driver"]["properties"][key]["description"] == text


def test_every_object_forbids_unknown_keys(schema: dict[str, Any]) -> None:
    found = list(objects(schema))
    # the spec, driver, provider, sublayer, a callout, channel, template, wfpgen; and the
    # template's variables, whose keys the template declares (checked when rendering)
    assert len(found) == 9
    variables = schema["properties"]["template"]["properties"]["variables"]
    assert all(obj["additionalProperties"] is False for obj in found if obj is not variables)


def accepts(schema: dict[str, Any], value: Any) -> bool:
    return not list(schema_errors(schema, value))


def test_names_are_the_catalog_in_any_spelling_wfpgen_reads(schema: dict[str, Any]) -> None:
    catalog = load_catalog()
    driver = schema["properties"]["driver"]["properties"]
    callout = schema["properties"]["callouts"]["items"]["properties"]
    # The enums (what editors complete) are the canonical names.
    assert driver["min_os"]["anyOf"][0]["enum"] == [w.id for w in catalog.windows]
    assert callout["layer"]["anyOf"][0]["enum"] == [layer.name for layer in catalog.kernel_layers()]
    assert callout["flags"]["items"]["anyOf"][0]["enum"] == [
        f.name for f in catalog.flags if f.user_settable
    ]
    assert callout["action"]["anyOf"][0]["enum"] == list(ACTIONS)
    assert "1.29" not in driver["kmdf_version"]["enum"]
    # The patterns take other spellings exactly where wfpgen does.
    for layer in catalog.layers:
        for spelling in (
            layer.name,
            f"fwps_layer_{layer.name.lower()}",
            f"FWPM_LAYER_{layer.name}",
        ):
            assert accepts(callout["layer"], spelling) == layer.usable, spelling
            assert (catalog.find_layer(spelling) is not None) is True
    assert not accepts(callout["layer"], "ALE_AUTH_CONNECT_V4X")
    assert not accepts(callout["layer"], "FWPS_LAYER_")
    for flag in catalog.flags:
        for spelling in (flag.name.lower(), flag.c_name):
            assert accepts(callout["flags"]["items"], spelling) == flag.user_settable
    assert accepts(driver["min_os"], "WIN10-1709")
    assert not accepts(driver["min_os"], "win10-1710")
    assert accepts(callout["action"], "FWP_ACTION_CALLOUT_INSPECTION")
    assert accepts(driver["architectures"], ["amd64", "ARM64"])


@pytest.mark.parametrize("path", GOLDEN_SPECS, ids=lambda p: p.parent.name)
def test_golden_specs_conform(schema: dict[str, Any], path: Path) -> None:
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    assert list(schema_errors(schema, raw)) == []


@pytest.mark.parametrize("path", GOLDEN_SPECS, ids=lambda p: p.parent.name)
def test_written_answers_files_conform(schema: dict[str, Any], path: Path) -> None:
    catalog = load_catalog()
    plan = plan_project(tomllib.loads(path.read_text(encoding="utf-8")), catalog)
    answers = spec_to_raw(plan.resolution.spec, version="0.1.0")
    assert list(schema_errors(schema, answers)) == []


BASE = {
    "driver": {"name": "Contoso", "min_os": "win10-1709"},
    "callouts": [{"name": "Connect", "layer": "ALE_AUTH_CONNECT_V4"}],
}


def mutate(path: str, value: Any) -> dict[str, Any]:
    raw = copy.deepcopy(BASE)
    *parents, last = path.split(".")
    node: Any = raw
    for part in parents:
        node = node[int(part)] if part.isdigit() else node.setdefault(part, {})
    node[last] = value
    return raw


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("driver.colour", "blue"),
        ("driver.name", "1Contoso"),
        ("driver.name", "C" * 33),
        ("driver.min_os", "win12"),
        ("driver.kmdf_version", "1.29"),
        ("driver.version", "1.2.3.4.5"),
        ("driver.description", 'say "hi"'),
        ("driver.architectures", ["x64", "x64"]),
        ("sublayer.weight", 70000),
        ("provider.guid", "0d9c4b2e-1234"),
        ("callouts.0.layer", "IKEEXT_V4"),
        ("callouts.0.flags", ["RESERVED1"]),
        ("callouts.0.action", "block"),
        ("callouts.0.flow_context", "yes"),
        ("callouts.0.colour", "blue"),
    ],
)
def test_schema_rejects_what_wfpgen_rejects(
    schema: dict[str, Any], run_cli: RunCli, tmp_path: Path, path: str, value: Any
) -> None:
    import tomli_w

    raw = mutate(path, value)
    assert list(schema_errors(schema, raw)), "the schema accepts it"
    spec = tmp_path / "spec.toml"
    spec.write_text(tomli_w.dumps(raw), encoding="utf-8")
    assert run_cli("validate", spec).exit_code == 2, "wfpgen accepts it"


def test_schema_accepts_the_base_spec(schema: dict[str, Any]) -> None:
    assert list(schema_errors(schema, BASE)) == []


def test_schema_command_prints_it(run_cli: RunCli, schema: dict[str, Any]) -> None:
    result = run_cli("schema")
    assert result.exit_code == 0
    assert result.stderr == ""
    printed = json.loads(result.stdout)
    assert printed == schema
    assert printed["$schema"] == "https://json-schema.org/draft/2020-12/schema"
