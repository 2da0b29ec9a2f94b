"""The catalog's facts hold together, and the choices derived from them are the right ones."""

import subprocess
import sys
from pathlib import Path

import pytest

from wfpgen.core.catalog import load_catalog, normalize_flag_name, normalize_layer_name

CATALOG = load_catalog()


@pytest.mark.parametrize(
    ("os_id", "api"),
    [
        ("win7", 1),
        ("win8", 2),
        ("win8.1", 2),
        ("win10", 2),
        ("win10-1703", 2),
        ("win10-1709", 3),
        ("win11", 3),
        ("win11-22h2", 3),
    ],
)
def test_callout_api_version_follows_minimum_windows(os_id: str, api: int) -> None:
    windows = CATALOG.find_windows(os_id)
    assert windows is not None
    assert CATALOG.api_for(windows).version == api


def test_every_kernel_layer_has_fields_and_a_management_guid() -> None:
    layers = CATALOG.kernel_layers()
    assert len(layers) == 80
    for layer in layers:
        assert layer.has_fwpm_guid and layer.fields, layer.name
        assert layer.family in ("v4", "v6", "l2", "any"), layer.name


def test_user_mode_and_internal_layers_are_not_usable() -> None:
    for name in ("IKEEXT_V4", "RPC_UM", "KM_AUTHORIZATION", "INBOUND_TRANSPORT_FAST"):
        layer = CATALOG.find_layer(name)
        assert layer is not None and not layer.usable


def test_field_indices_come_from_the_exact_layer() -> None:
    connect = CATALOG.find_layer("ALE_AUTH_CONNECT_V4")
    redirect = CATALOG.find_layer("ALE_CONNECT_REDIRECT_V4")
    assert connect is not None and redirect is not None
    names = [f.name for f in connect.fields]
    assert names.index("IP_REMOTE_PORT") == 7
    assert [f.name for f in redirect.fields].index("IP_REMOTE_PORT") == 8
    discard = CATALOG.find_layer("ALE_AUTH_CONNECT_V4_DISCARD")
    assert discard is not None
    assert (
        discard.field_constant("IP_REMOTE_PORT") == "FWPS_FIELD_ALE_AUTH_CONNECT_V4_IP_REMOTE_PORT"
    )
    policy = CATALOG.find_layer("OUTBOUND_NETWORK_CONNECTION_POLICY_V4")
    assert policy is not None
    assert policy.field_constant("IP_REMOTE_PORT").startswith(
        "FWPS_FIELD_OUTBOUND_NETWORK_CONNECTION_POLICY_V4_"
    )


def test_flags_have_the_header_values() -> None:
    values = {f.name: f.value for f in CATALOG.flags}
    assert values["CONDITIONAL_ON_FLOW"] == 0x1
    assert values["ALLOW_MID_STREAM_INSPECTION"] == 0x8
    assert values["ALLOW_URO"] == 0x200
    assert not next(f for f in CATALOG.flags if f.name == "RESERVED1").user_settable


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("fwps_layer_stream_v4", "STREAM_V4"),
        ("FWPM_LAYER_ALE_AUTH_CONNECT_V6", "ALE_AUTH_CONNECT_V6"),
        (" stream_v4 ", "STREAM_V4"),
    ],
)
def test_layer_names_accept_prefixes_and_any_case(given: str, expected: str) -> None:
    assert normalize_layer_name(given) == expected


def test_flag_names_accept_the_prefix() -> None:
    assert normalize_flag_name("fwp_callout_flag_allow_rsc") == "ALLOW_RSC"


def test_stub_layer_headers_follow_the_catalog() -> None:
    """The generated part of the WDK stand-in headers is in step with catalog.json."""
    root = Path(__file__).resolve().parent.parent
    run = subprocess.run(
        [sys.executable, "wfpgen/wdk_stubs/generate_layers.py", "--check"],
        cwd=root,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr


def test_the_completion_index_matches_the_catalog() -> None:
    """data/completion.tsv is what tools/build_catalog.py writes from catalog.json."""
    from wfpgen.core.catalog_data import COMPLETION_FILE, catalog_data, completion_index

    assert COMPLETION_FILE.read_text(encoding="utf-8") == completion_index(catalog_data()), (
        "rerun tools/build_catalog.py (or write completion_index(catalog_data()) "
        "to wfpgen/data/completion.tsv)"
    )
    catalog = load_catalog()
    from wfpgen.core.catalog_data import kernel_layer_summaries, windows_titles

    assert [name for name, _ in kernel_layer_summaries()] == [
        layer.name for layer in catalog.kernel_layers()
    ]
    assert [id_ for id_, _ in windows_titles()] == [w.id for w in catalog.windows]


def test_no_windows_10_release_targets_a_windows_11_or_server_ntddi() -> None:
    """Windows 10 ids never compile in guards above NTDDI_WIN10_VB (MN, FE = Server 2022,
    CO = Windows 11) nor ask for more than the KMDF 1.31 Windows 10 ships."""
    catalog = load_catalog()
    windows_10 = [w for w in catalog.windows if w.title.startswith("Windows 10")]
    assert len(windows_10) == 12
    assert all(w.ntddi_value <= catalog.ntddi["WIN10_VB"] for w in windows_10)
    assert all(tuple(map(int, w.kmdf_inbox.split("."))) <= (1, 31) for w in windows_10)
