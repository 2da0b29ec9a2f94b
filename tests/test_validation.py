"""Every kind of bad input: exit status 2, one line naming the field and the fix, no files."""

from pathlib import Path

import pytest

from tests.conftest import RunCli

GOOD = """
[driver]
name = "Contoso"
min_os = "win10-1709"
[[callouts]]
name = "Connect"
layer = "ALE_AUTH_CONNECT_V4"
"""

CASES = [
    # (id, spec text, expected stderr line)
    (
        "unknown-layer",
        GOOD.replace('"ALE_AUTH_CONNECT_V4"', '"ALE_AUTH_CONECT_V4"'),
        "error: E211 callouts[0].layer: unknown layer 'ALE_AUTH_CONECT_V4'; did you mean ALE_AUTH_CONNECT_V4",
    ),
    (
        "user-mode-layer",
        GOOD.replace('"ALE_AUTH_CONNECT_V4"', '"FWPM_LAYER_IKEEXT_V4"'),
        "error: E212 callouts[0].layer: IKEEXT_V4 is a user-mode layer; kernel callouts cannot be registered there",
    ),
    (
        "internal-layer",
        GOOD.replace('"ALE_AUTH_CONNECT_V4"', '"INBOUND_TRANSPORT_FAST"'),
        "error: E213 callouts[0].layer: INBOUND_TRANSPORT_FAST is reserved for Windows' own use",
    ),
    (
        "layer-too-new",
        GOOD.replace('"win10-1709"', '"win7"').replace(
            '"ALE_AUTH_CONNECT_V4"', '"INBOUND_MAC_FRAME_ETHERNET"'
        ),
        "error: E214 callouts[0].layer: INBOUND_MAC_FRAME_ETHERNET needs min_os win8 or later; raise driver.min_os (now win7)",
    ),
    (
        "flag-too-new",
        GOOD.replace('"ALE_AUTH_CONNECT_V4"', '"INBOUND_TRANSPORT_V4"\nflags = ["ALLOW_URO"]'),
        "error: E223 callouts[0].flags: FWP_CALLOUT_FLAG_ALLOW_URO needs min_os win10-2004 or later",
    ),
    (
        "flag-wrong-layer",
        GOOD.replace(
            '"ALE_AUTH_CONNECT_V4"',
            '"ALE_AUTH_CONNECT_V4"\nflags = ["FWP_CALLOUT_FLAG_ALLOW_MID_STREAM_INSPECTION"]',
        ),
        "error: E224 callouts[0].flags: FWP_CALLOUT_FLAG_ALLOW_MID_STREAM_INSPECTION only matters at the STREAM layers, not ALE_AUTH_CONNECT_V4",
    ),
    (
        "conditional-on-flow-wrong-layer",
        GOOD.replace(
            '"ALE_AUTH_CONNECT_V4"', '"INBOUND_IPPACKET_V4"\nflags = ["CONDITIONAL_ON_FLOW"]'
        ),
        "error: E224 callouts[0].flags: FWP_CALLOUT_FLAG_CONDITIONAL_ON_FLOW only matters where flow contexts are associated",
    ),
    (
        "unknown-flag",
        GOOD.replace('"ALE_AUTH_CONNECT_V4"', '"ALE_AUTH_CONNECT_V4"\nflags = ["ALLOW_RECLASIFY"]'),
        "error: E220 callouts[0].flags: unknown callout flag 'ALLOW_RECLASIFY'; did you mean ALLOW_RECLASSIFY?",
    ),
    (
        "unknown-flag-far-from-any",
        GOOD.replace('"ALE_AUTH_CONNECT_V4"', '"ALE_AUTH_CONNECT_V4"\nflags = ["ZQXW"]'),
        "error: E220 callouts[0].flags: unknown callout flag 'ZQXW'; run `wfpgen flags` to list them",
    ),
    (
        "unknown-layer-far-from-any",
        GOOD.replace('"ALE_AUTH_CONNECT_V4"', '"ZQXW"'),
        "error: E211 callouts[0].layer: unknown layer 'ZQXW'; run `wfpgen layers` to list them",
    ),
    (
        "reserved-flag",
        GOOD.replace('"ALE_AUTH_CONNECT_V4"', '"ALE_AUTH_CONNECT_V4"\nflags = ["RESERVED1"]'),
        "error: E222 callouts[0].flags: FWP_CALLOUT_FLAG_RESERVED1 is reserved for the system; remove it",
    ),
    (
        "flow-context-wrong-layer",
        GOOD.replace('"ALE_AUTH_CONNECT_V4"', '"ALE_AUTH_CONNECT_V4"\nflow_context = true'),
        "error: E230 callouts[0].flow_context: flow contexts cannot be associated at ALE_AUTH_CONNECT_V4",
    ),
    (
        "malformed-guid",
        GOOD.replace("[[callouts]]", '[provider]\nguid = "0d9c4b2e-1234"\n[[callouts]]'),
        "error: E321 provider.guid: '0d9c4b2e-1234' is not a GUID; use the form",
    ),
    (
        "duplicate-guid",
        GOOD.replace(
            "[[callouts]]",
            '[provider]\nguid = "0d9c4b2e-1a2b-4c3d-8e9f-0a1b2c3d4e5f"\n[sublayer]\nguid = "{0D9C4B2E-1A2B-4C3D-8E9F-0A1B2C3D4E5F}"\n[[callouts]]',
        ),
        "error: E323 sublayer.guid: 0d9c4b2e-1a2b-4c3d-8e9f-0a1b2c3d4e5f is already used by provider.guid; every key must be unique",
    ),
    (
        "nil-guid",
        GOOD.replace(
            'layer = "ALE_AUTH_CONNECT_V4"',
            'layer = "ALE_AUTH_CONNECT_V4"\nguid = "00000000-0000-0000-0000-000000000000"',
        ),
        "error: E322 callouts[0].guid: the nil GUID is not a valid key",
    ),
    (
        "not-identifier",
        GOOD.replace('name = "Connect"', 'name = "my-connect"'),
        "error: E302 callouts[0].name: 'my-connect' is not a C identifier; use letters, digits and _, starting with a letter",
    ),
    (
        "c-keyword",
        GOOD.replace('name = "Connect"', 'name = "switch"'),
        "error: E303 callouts[0].name: 'switch' is a C keyword; choose another name",
    ),
    (
        "names-collide",
        GOOD + '[[callouts]]\nname = "connect"\nlayer = "ALE_AUTH_CONNECT_V6"\n',
        "error: E312 callouts[1].name: 'connect' is already used by callouts[0]; give each callout its own name",
    ),
    (
        "names-collide-in-c",
        GOOD + '[[callouts]]\nname = "Connect_"\nlayer = "ALE_AUTH_CONNECT_V6"\n',
        "error: E313 callouts[1].name: 'Connect_' becomes CONNECT in C, as callouts[0] does; rename one of them",
    ),
    (
        "name-reserved-in-c",
        GOOD.replace('name = "Connect"', 'name = "Count"'),
        "error: E310 callouts[0].name: 'Count' becomes CALLOUT_COUNT in C, a name the generated code defines; choose another name",
    ),
    (
        "driver-name-too-long",
        GOOD.replace('name = "Contoso"', f'name = "{"D" * 33}"'),
        "error: E304 driver.name: '" + "D" * 33 + "' has 33 characters; at most 32 are allowed",
    ),
    (
        "unknown-key",
        GOOD.replace('name = "Contoso"', 'nmae = "Contoso"'),
        "error: E110 driver.nmae: unknown key; did you mean 'name'?",
    ),
    (
        "unknown-table",
        GOOD + "[sublayr]\nweight = 1\n",
        "error: E110 sublayr: unknown key; did you mean 'sublayer'?",
    ),
    (
        "empty-callouts",
        '[driver]\nname = "Contoso"\ncallouts = []\n'.replace("callouts = []\n", "")
        + "callouts = []\n",
        None,
    ),  # replaced below: TOML puts a key after [driver] into the table
    (
        "no-callouts",
        '[driver]\nname = "Contoso"\n',
        "error: E124 callouts: no callouts; add at least one [[callouts]] table or --callout",
    ),
    (
        "unknown-min-os",
        GOOD.replace('"win10-1709"', '"win10-1710"'),
        "error: E201 driver.min_os: unknown Windows version 'win10-1710'; did you mean",
    ),
    (
        "kmdf-too-new",
        GOOD.replace('min_os = "win10-1709"', 'min_os = "win10-1709"\nkmdf_version = "1.33"'),
        "error: E204 driver.kmdf_version: KMDF 1.33 is newer than the 1.23 in Windows 10, version 1709; use 1.23 or raise driver.min_os",
    ),
    (
        "kmdf-number",
        GOOD.replace('min_os = "win10-1709"', 'min_os = "win10-1709"\nkmdf_version = 1.23'),
        'error: E111 driver.kmdf_version: expected a string, got a number; write it in quotes: "1.23"',
    ),
    (
        "arm64-on-win7",
        GOOD.replace('"win10-1709"', '"win7"\narchitectures = ["x64", "ARM64"]'),
        "error: E205 driver.architectures: ARM64 drivers need min_os win10-1709 or later (min_os is win7)",
    ),
    (
        "bad-text",
        GOOD.replace('name = "Contoso"', 'name = "Contoso"\ndescription = "50% \\"off\\""'),
        "error: E130 driver.description: contains '\"' '%'; use printable ASCII without",
    ),
    (
        "bad-action",
        GOOD.replace(
            'layer = "ALE_AUTH_CONNECT_V4"', 'layer = "ALE_AUTH_CONNECT_V4"\naction = "block"'
        ),
        "error: E125 callouts[0].action: unknown action 'block'; use one of terminating, inspection, unknown",
    ),
    (
        "bad-type",
        GOOD.replace('name = "Connect"', "name = 7"),
        "error: E111 callouts[0].name: expected a string, got an integer",
    ),
    (
        "missing-layer",
        GOOD.replace('layer = "ALE_AUTH_CONNECT_V4"', ""),
        "error: E112 callouts[0].layer: missing; filtering layer, e.g. ALE_AUTH_CONNECT_V4",
    ),
    (
        "unknown-start-type",
        GOOD.replace('min_os = "win10-1709"', 'min_os = "win10-1709"\nstart_type = "manual"'),
        "error: E122 driver.start_type: expected one of: demand, auto, system, boot",
    ),
    ("bad-toml", GOOD.replace('name = "Contoso"', "name = Contoso"), "not valid TOML"),
]
CASES = [c for c in CASES if c[2] is not None]


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "spec.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_spec_exits_2_names_the_field_and_writes_nothing(
    run_cli: RunCli, tmp_path: Path, text: str, expected: str
) -> None:
    spec = _write(tmp_path, text)
    out = tmp_path / "out"
    result = run_cli("new", "--config", spec, "--output-dir", out, "--no-input")
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert any(expected in line for line in lines), result.stderr
    assert all(line.startswith(("error:", "warning:", "note:")) for line in lines), result.stderr
    assert not out.exists()
    assert result.stdout == ""


def test_every_problem_is_reported_at_once(run_cli: RunCli, tmp_path: Path) -> None:
    text = """
[driver]
name = "1bad"
min_os = "win7"
architectures = ["ARM64"]
colour = "blue"
[[callouts]]
name = "A"
layer = "NOPE_V4"
flags = ["ALLOW_URO"]
"""
    result = run_cli("new", "--config", _write(tmp_path, text), "-o", tmp_path / "out")
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    fields = [line.split(":")[1].strip() for line in errors]
    assert fields == [
        "E110 driver.colour",
        "E302 driver.name",
        "E205 driver.architectures",
        "E211 callouts[0].layer",
        "E223 callouts[0].flags",
    ], result.stderr


def test_empty_callout_array_is_an_error(run_cli: RunCli, tmp_path: Path) -> None:
    text = 'callouts = []\n[driver]\nname = "Contoso"\n'
    result = run_cli("new", "--config", _write(tmp_path, text), "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert "error: E124 callouts: no callouts" in result.stderr


def test_malformed_callout_option(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli("new", "--callout", "JustAName", "--callout", "A:B:C:D", "-o", tmp_path)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "error: E113 --callout 'JustAName': expected NAME:LAYER or NAME:LAYER:FLAG,FLAG",
        "error: E113 --callout 'A:B:C:D': expected NAME:LAYER or NAME:LAYER:FLAG,FLAG",
    ]
    assert list(tmp_path.iterdir()) == []


def test_missing_config_file(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli("new", "--config", tmp_path / "absent.toml", "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert "absent.toml" in result.stderr


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (
            '[provider]\nguid = "76b743d4-1249-4614-a632-6f9c4d08d25a"\n',
            "warning: W406 provider.guid: 76b743d4-1249-4614-a632-6f9c4d08d25a is published in inspect",
        ),
        (
            '[sublayer]\nguid = "53504657-6d61-5f70-5375-624c61796572"\n',
            "warning: W406 sublayer.guid: 53504657-6d61-5f70-5375-624c61796572 is published in WFPSampler",
        ),
    ],
)
def test_sample_guids_warn_but_generate(
    run_cli: RunCli, tmp_path: Path, extra: str, expected: str
) -> None:
    result = run_cli("new", "--config", _write(tmp_path, GOOD + extra), "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert expected in result.stderr
    assert (tmp_path / "out" / "Contoso" / "wfpgen.toml").is_file()


def test_conditional_on_flow_without_filters_warns(run_cli: RunCli, tmp_path: Path) -> None:
    text = GOOD.replace('min_os = "win10-1709"', 'min_os = "win10-1709"\nfilters = "none"')
    text = text.replace('"ALE_AUTH_CONNECT_V4"', '"STREAM_V4"\nflags = ["CONDITIONAL_ON_FLOW"]')
    result = run_cli("new", "--config", _write(tmp_path, text), "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert (
        'warning: W403 callouts[0].flags: the driver adds no filters (driver.filters = "none"), so '
        "nothing associates flow contexts with Connect" in result.stderr
    )


def test_a_deciding_action_at_a_discard_layer_warns(run_cli: RunCli, tmp_path: Path) -> None:
    text = GOOD.replace(
        '"ALE_AUTH_CONNECT_V4"', '"ALE_AUTH_CONNECT_V4_DISCARD"\naction = "unknown"'
    )
    result = run_cli("new", "--config", _write(tmp_path, text), "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert (
        "warning: W401 callouts[0].action: ALE_AUTH_CONNECT_V4_DISCARD sees traffic that was already "
        "dropped, so a unknown filter decides nothing there" in result.stderr
    )


@pytest.mark.parametrize(
    ("flags", "warned"),
    [
        ('["CONDITIONAL_ON_FLOW", "ALLOW_MID_STREAM_INSPECTION"]', True),
        ('["ALLOW_MID_STREAM_INSPECTION"]', False),
        ('["CONDITIONAL_ON_FLOW"]', False),
    ],
)
def test_mid_stream_inspection_with_conditional_on_flow_warns(
    run_cli: RunCli, tmp_path: Path, flags: str, warned: bool
) -> None:
    text = GOOD.replace('"ALE_AUTH_CONNECT_V4"', f'"STREAM_V4"\nflags = {flags}')
    result = run_cli("new", "--config", _write(tmp_path, text), "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    message = (
        "warning: W402 callouts[0].flags: with CONDITIONAL_ON_FLOW, Connect never sees connections "
        "that were open before the driver loaded"
    )
    assert (message in result.stderr) is warned, result.stderr
    assert (tmp_path / "out" / "Contoso" / "wfpgen.toml").is_file()
