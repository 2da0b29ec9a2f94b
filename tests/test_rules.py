"""The table of validation rules: every rule is documented, triggered by a spec, and listed."""

import json
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import RunCli
from wfpgen.core.catalog import load_catalog
from wfpgen.core.project import plan_project
from wfpgen.core.reserved import windows_names
from wfpgen.core.spec import parse_callout_option
from wfpgen.core.validation import RULES, closest_codes, markdown_list
from wfpgen.core.validation.registry import CODE, declare
from wfpgen.errors import SpecError
from wfpgen.lifecycle.answers import read_spec_file
from wfpgen.templating.config import TemplateVariable, parse_set_options, variable_values
from wfpgen.templating.fetching import check_commit, check_ref
from wfpgen.templating.sources import TemplateRequest, open_template

ROOT = Path(__file__).resolve().parent.parent
CATALOG = load_catalog()
GUID = "0d9c4b2e-1a2b-4c3d-8e9f-0a1b2c3d4e5f"
WINDOWS_SUBLAYER = next(g for g, n in windows_names().guids.items() if "SUBLAYER" in n)


def spec(driver: Mapping[str, Any] | None = None, **changes: Any) -> dict[str, Any]:
    """A valid spec with ``driver`` keys and callout keys (``changes``) changed."""
    tables = {
        k: v for k, v in changes.items() if k in ("provider", "sublayer", "callouts", "channel")
    }
    callout = {"name": "Connect", "layer": "ALE_AUTH_CONNECT_V4"}
    callout |= {k: v for k, v in changes.items() if k not in tables}
    return {
        "driver": {"name": "Contoso", "min_os": "win10-1709", **(driver or {})},
        "callouts": [callout],
        **tables,
    }


def callouts(*names: str) -> dict[str, Any]:
    """A valid spec with callouts of these names."""
    return spec(callouts=[{"name": n, "layer": "ALE_AUTH_CONNECT_V4"} for n in names])


def open_request(tmp_path: Path, **request: Any) -> None:
    """Open the template ``request`` names (a folder in ``tmp_path`` unless it says otherwise)."""
    with open_template(TemplateRequest(**{"source": str(tmp_path), **request})):
        pass


ON = {"enabled": True}
OWNER = TemplateVariable("owner", "netsec", "Owner")
MODE = TemplateVariable("mode", "fast", "Mode", choices=("fast", "safe"))
MISSING_FILE = ("file", "")
Trigger = dict[str, Any] | bytes | tuple[str, str] | Callable[[Path], object]
# code -> what triggers it (and nothing else): a raw spec, the bytes of a spec
# file, a --callout value, a missing file, or a call that checks template options.
TRIGGERS: dict[str, Trigger] = {
    "E101": MISSING_FILE,
    "E102": b'[driver]\nname = "\xff"\n',
    "E103": b"[driver]\nname = Contoso\n",
    "E104": b"#" * (1 << 20) + b"\n",
    "E110": spec({"colour": "blue"}),
    "E111": spec({"kmdf_version": 1.23}),
    "E112": spec(callouts=[{"name": "Connect"}]),
    "E113": ("--callout", "JustAName"),
    "E120": spec({"version": "1.2.3.4.5"}),
    "E121": spec({"filters": "static"}),
    "E122": spec({"start_type": "manual"}),
    "E123": spec(sublayer={"weight": 70000}),
    "E124": spec(callouts=[]),
    "E125": spec(action="block"),
    "E126": spec({"architectures": []}),
    "E127": spec({"architectures": ["mips"]}),
    "E128": spec({"architectures": ["x64", "amd64"]}),
    "E130": spec({"description": 'say "hi"'}),
    "E131": spec({"description": "for $ARCH$"}),
    "E132": spec({"description": "x" * 201}),
    "E140": lambda _: variable_values([OWNER], {"ownr": "x"}),
    "E141": lambda _: variable_values([MODE], {}, {"mode": "slow"}),
    "E142": lambda _: parse_set_options(["owner"]),
    "E143": lambda tmp: open_request(tmp, directory="../elsewhere"),
    "E144": lambda tmp: open_request(tmp, source=None, checkout="main"),
    "E145": lambda _: check_ref("-upload-pack=x", "--checkout"),
    "E146": lambda _: check_commit("main", "template.commit"),
    "E150": spec(channel={"enabled": True, "ring": 8}),
    "E151": spec(channel={"enabled": True, "ask_timeout": 0}),
    "E152": spec(behavior="asks"),
    "E153": spec(behavior="ask"),
    "E201": spec({"min_os": "win12"}),
    "E202": spec({"kmdf_version": "1.24"}),
    "E203": spec({"kmdf_version": "1.29"}),
    "E204": spec({"kmdf_version": "1.33"}),
    "E205": spec({"min_os": "win8", "architectures": ["ARM64"]}),
    "E206": spec({"min_os": "win11", "architectures": ["x86"]}),
    "E210": spec(layer=""),
    "E211": spec(layer="STREM_V4"),
    "E212": spec(layer="IKEEXT_V4"),
    "E213": spec(layer="INBOUND_TRANSPORT_FAST"),
    "E214": spec({"min_os": "win7"}, layer="INBOUND_MAC_FRAME_ETHERNET"),
    "E220": spec(flags=["ALLOW_RECLASIFY"]),
    "E221": spec(flags=["ALLOW_RECLASSIFY", "FWP_CALLOUT_FLAG_ALLOW_RECLASSIFY"]),
    "E222": spec(flags=["RESERVED1"]),
    "E223": spec(layer="DATAGRAM_DATA_V4", flags=["ALLOW_URO"]),
    "E224": spec(flags=["ALLOW_MID_STREAM_INSPECTION"]),
    "E230": spec(flow_context=True),
    "E231": spec(layer="ALE_AUTH_LISTEN_V4", behavior="ask", channel=ON),
    "E232": spec(layer="STREAM_V4", behavior="reinject"),
    "E233": spec(layer="INBOUND_TRANSPORT_V4", behavior="reinject", action="inspection"),
    "E234": spec(
        {"min_os": "win10-2004"},
        layer="INBOUND_IPPACKET_V4",
        behavior="reinject",
        flags=["ALLOW_URO"],
    ),
    "E301": spec({"name": ""}),
    "E302": spec({"name": "my-driver"}),
    "E303": spec({"name": "int"}),
    "E304": spec({"name": "D" * 33}),
    "E305": spec({"name": "CON"}),
    "E306": spec({"name": "tcpip"}),
    "E310": spec(name="Count"),
    "E311": callouts("CalloutA", "AValues"),
    "E312": callouts("Connect", "connect"),
    "E313": callouts("Connect", "Connect_"),
    "E320": spec(provider={"guid": "{" + GUID}),
    "E321": spec(provider={"guid": "0d9c4b2e-1234"}),
    "E322": spec(guid="00000000-0000-0000-0000-000000000000"),
    "E323": spec(provider={"guid": GUID}, sublayer={"guid": GUID.upper()}),
    "E324": spec(sublayer={"guid": WINDOWS_SUBLAYER}),
    "W401": spec(layer="ALE_AUTH_CONNECT_V4_DISCARD", action="terminating"),
    "W402": spec(layer="STREAM_V4", flags=["CONDITIONAL_ON_FLOW", "ALLOW_MID_STREAM_INSPECTION"]),
    "W403": spec({"filters": "none"}, layer="STREAM_V4", flow_context=True),
    "W404": spec({"min_os": "win11-22h2"}, layer="OUTBOUND_NETWORK_CONNECTION_POLICY_V4"),
    "W405": spec(guid=WINDOWS_SUBLAYER),
    "W406": spec(provider={"guid": "76b743d4-1249-4614-a632-6f9c4d08d25a"}),
    "W407": spec({"min_os": "win10-2004"}, layer="DATAGRAM_DATA_V4", flags=["ALLOW_USO"]),
    "W408": spec(channel={"events": True}),
}


def codes_found(trigger: Trigger, tmp_path: Path) -> list[str]:
    """The codes of every problem (or, for a valid spec, warning) ``trigger`` gets."""
    try:
        if callable(trigger):
            trigger(tmp_path)
            return []
        if isinstance(trigger, tuple):
            kind, value = trigger
            if kind == "--callout":
                parse_callout_option(value)
                return []
            read_spec_file(tmp_path / "missing.toml")
            return []
        if isinstance(trigger, bytes):
            path = tmp_path / "spec.toml"
            path.write_bytes(trigger)
            trigger = read_spec_file(path)
        plan = plan_project(trigger, CATALOG)
    except SpecError as err:
        return [p.code for p in err.problems]
    return [w.code for w in plan.warnings]


@pytest.mark.parametrize("code", sorted(RULES))
def test_every_rule_is_documented_and_triggered_alone(code: str, tmp_path: Path) -> None:
    rule = RULES[code]
    assert rule.code == code and CODE.fullmatch(code)
    assert rule.severity == ("warning" if code.startswith("W4") else "error")
    for text in (rule.summary, rule.explanation, rule.fix, rule.source):
        assert text.strip() and "\n" not in text, (code, text)
    assert not rule.summary.endswith("."), rule.summary
    assert code in TRIGGERS, f"add a spec that triggers {code} to TRIGGERS"
    found = codes_found(TRIGGERS[code], tmp_path)
    assert found and set(found) == {code}, found


def test_every_trigger_belongs_to_a_rule() -> None:
    assert set(TRIGGERS) <= set(RULES)


def test_codes_follow_the_scheme_and_cannot_be_registered_twice() -> None:
    assert all(re.fullmatch(r"E[1-3]\d\d|W4\d\d", code) for code in RULES)
    with pytest.raises(ValueError, match="registered twice"):
        declare("E101", "x", explanation="x", fix="x", source="x", checked_in="x")
    with pytest.raises(ValueError, match="scheme"):
        declare("W101", "x", explanation="x", fix="x", source="x", checked_in="x")


def test_every_code_in_the_source_is_registered() -> None:
    """Codes written as literals where problems are found (the parser, the file reader)."""
    used: set[str] = set()
    for path in (ROOT / "wfpgen").rglob("*.py"):
        used |= set(re.findall(r"""["']([EW]\d{3})["']""", path.read_text(encoding="utf-8")))
    assert used and used <= set(RULES), used - set(RULES)


def test_the_docs_list_every_code() -> None:
    page = (ROOT / "docs" / "rule-codes.md").read_text(encoding="utf-8")
    block = page.split("<!-- codes:start -->\n", 1)[1].split("<!-- codes:end -->", 1)[0]
    assert block == f"\n{markdown_list()}\n", "run: python tools/rule_codes.py"
    assert all(f"`{code}`" in block for code in RULES)


def test_closest_codes() -> None:
    assert closest_codes("E215") == ["E214", "E213", "E212"]
    assert closest_codes("w1")[0] == "W401"
    assert closest_codes("e2111")[0] == "E211"


def test_explain_prints_the_rule(run_cli: RunCli) -> None:
    result = run_cli("explain", "e211")
    assert result.exit_code == 0, result.stderr
    rule = RULES["E211"]
    assert result.stdout.startswith(f"E211 (error): {rule.summary}\n\n")
    flat = " ".join(result.stdout.split())
    assert rule.explanation in flat
    assert f"Fix: {rule.fix}" in flat and f"Source: {rule.source}" in flat


def test_explain_json(run_cli: RunCli) -> None:
    result = run_cli("explain", "W407", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["ok"] is True and data["command"] == "explain"
    (rule,) = data["rules"]
    assert rule["code"] == "W407" and rule["severity"] == "warning"
    assert rule["fix"] == RULES["W407"].fix
    listed = json.loads(run_cli("explain", "--json").stdout)["rules"]
    assert [r["code"] for r in listed] == sorted(RULES)


def test_explain_without_a_code_lists_them_all(run_cli: RunCli) -> None:
    result = run_cli("explain")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines] == sorted(RULES)
    assert lines[0] == f"E101  error    {RULES['E101'].summary}"


def test_explain_an_unknown_code_names_the_closest(run_cli: RunCli) -> None:
    result = run_cli("explain", "E215")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "error: CODE: no rule has code 'E215'; did you mean E214, E213 or E212?\n"
    )


def test_validate_json_gives_every_problem_its_code(run_cli: RunCli, tmp_path: Path) -> None:
    path = tmp_path / "spec.toml"
    path.write_text(
        '[driver]\nname = "int"\ncolour = 1\n[[callouts]]\nname = "A"\nlayer = "NOPE"\n'
        'flags = ["ALLOW_RECLASSIFY", "ALLOW_RECLASSIFY"]\n',
        encoding="utf-8",
    )
    result = run_cli("validate", "--json", path)
    assert result.exit_code == 2
    problems = json.loads(result.stdout)["problems"]
    assert [p["code"] for p in problems] == ["E110", "E303", "E211", "E221"]
    lines = result.stderr.splitlines()
    assert [line.split()[1] for line in lines] == ["E110", "E303", "E211", "E221"]
    assert lines[2] == (
        "error: E211 callouts[0].layer: unknown layer 'NOPE'; run `wfpgen layers` to list them"
    )


def test_warnings_carry_their_code(run_cli: RunCli, tmp_path: Path) -> None:
    path = tmp_path / "spec.toml"
    path.write_text(
        '[provider]\nguid = "76b743d4-1249-4614-a632-6f9c4d08d25a"\n'
        '[[callouts]]\nname = "A"\nlayer = "ALE_AUTH_CONNECT_V4"\n',
        encoding="utf-8",
    )
    result = run_cli("validate", "--json", path)
    assert result.exit_code == 0
    assert [w["code"] for w in json.loads(result.stdout)["warnings"]] == ["W406"]
    assert result.stderr.startswith("warning: W406 provider.guid: 76b743d4-")
