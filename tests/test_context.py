"""Names and version-dependent choices the templates receive."""

from collections.abc import Callable
from typing import Any

import pytest

from wfpgen.core.catalog import load_catalog
from wfpgen.core.context import build_context
from wfpgen.core.names import upper_snake
from wfpgen.core.project import plan_project
from wfpgen.core.spec import apply_options

CATALOG = load_catalog()


def context_for(raw: dict[str, Any], guids: Callable[[], str]) -> dict[str, Any]:
    plan = plan_project(apply_options(raw, from_file=True), CATALOG, guids)
    return build_context(plan.resolution.spec, CATALOG, version="0.0.0")


@pytest.mark.parametrize(
    ("min_os", "api", "pool", "ndis", "kmdf", "target"),
    [
        ("win7", "1", "ExAllocatePoolZero", "NDIS620", "1.9", "Windows7"),
        ("win8", "2", "ExAllocatePoolZero", "NDIS630", "1.11", "Windows8"),
        ("win10-1709", "3", "ExAllocatePoolZero", "NDIS630", "1.23", "Windows10"),
        ("win10-1903", "3", "ExAllocatePoolZero", "NDIS630", "1.27", "Windows10"),
        ("win10-2004", "3", "ExAllocatePool2", "NDIS630", "1.31", "Windows10"),
        ("win11", "3", "ExAllocatePool2", "NDIS630", "1.33", "Windows10"),
    ],
)
def test_version_dependent_choices(
    min_os: str,
    api: int,
    pool: str,
    ndis: str,
    kmdf: str,
    target: str,
    fixed_guids: Callable[[], str],
) -> None:
    raw = {
        "driver": {"min_os": min_os, "architectures": ["x64"]},
        "callouts": [{"name": "C", "layer": "ALE_AUTH_CONNECT_V4"}],
    }
    driver = context_for(raw, fixed_guids)["driver"]
    assert (driver["api_version"], driver["pool_api"], driver["ndis_define"]) == (api, pool, ndis)
    assert (driver["kmdf_version"], driver["target_version"]) == (kmdf, target)


@pytest.mark.parametrize("min_os", ["win10-2004", "win10-20h2", "win10-21h1", "win10-21h2"])
def test_windows_10_servicing_releases_build_for_2004(
    min_os: str, fixed_guids: Callable[[], str]
) -> None:
    """20H2..21H2 are enablement packages on the 2004 core: NTDDI_WIN10_VB, KMDF 1.31."""
    raw = {
        "driver": {"min_os": min_os, "architectures": ["x64"]},
        "callouts": [{"name": "C", "layer": "ALE_AUTH_CONNECT_V4"}],
    }
    driver = context_for(raw, fixed_guids)["driver"]
    assert (driver["ntddi_name"], driver["nt_target_version"]) == ("NTDDI_WIN10_VB", "0x0A000008")
    assert driver["kmdf_version"] == "1.31"


def test_windows_11_builds_for_cobalt(fixed_guids: Callable[[], str]) -> None:
    raw = {
        "driver": {"min_os": "win11", "architectures": ["x64"]},
        "callouts": [{"name": "C", "layer": "ALE_AUTH_CONNECT_V4"}],
    }
    driver = context_for(raw, fixed_guids)["driver"]
    assert (driver["ntddi_name"], driver["nt_target_version"]) == ("NTDDI_WIN10_CO", "0x0A00000B")


def test_flow_contexts_get_an_associating_callout(fixed_guids: Callable[[], str]) -> None:
    raw = {
        "callouts": [
            {"name": "S4", "layer": "STREAM_V4", "flags": ["CONDITIONAL_ON_FLOW"]},
            {"name": "D4", "layer": "DATAGRAM_DATA_V4", "flow_context": True},
            {"name": "S6", "layer": "STREAM_V6"},
        ]
    }
    callouts = context_for(raw, fixed_guids)["callouts"]
    assert list(callouts) == ["S4", "D4", "S6", "FlowEstablishedV4"]
    assert callouts["FlowEstablishedV4"]["flow_targets"] == ["S4", "D4"]
    assert callouts["FlowEstablishedV4"]["filter_action"] == "FWP_ACTION_CALLOUT_INSPECTION"
    assert callouts["S4"]["flow_delete_fn"] == "S4FlowDelete"
    assert callouts["S6"]["flow_delete_fn"] == ""


def test_a_discard_flow_callout_never_associates_flow_contexts(
    fixed_guids: Callable[[], str],
) -> None:
    """Dropped flows get no context: wfpgen still adds the ALE_FLOW_ESTABLISHED_V6 callout."""
    raw = {
        "callouts": [
            # Not "Dropped": reinject.c's ReinjectDropped takes that name.
            {"name": "DropsV6", "layer": "ALE_FLOW_ESTABLISHED_V6_DISCARD", "action": "inspection"},
            {"name": "S6", "layer": "STREAM_V6", "flags": ["CONDITIONAL_ON_FLOW"]},
        ]
    }
    callouts = context_for(raw, fixed_guids)["callouts"]
    assert list(callouts) == ["DropsV6", "S6", "FlowEstablishedV6"]
    assert callouts["DropsV6"]["flow_targets"] == []
    assert callouts["FlowEstablishedV6"]["flow_targets"] == ["S6"]


def test_an_added_callout_takes_a_name_free_in_every_spelling(
    fixed_guids: Callable[[], str],
) -> None:
    raw = {
        "callouts": [
            {"name": "Flow_Established_V4", "layer": "STREAM_V4", "flags": ["CONDITIONAL_ON_FLOW"]},
        ]
    }
    assert list(context_for(raw, fixed_guids)["callouts"]) == [
        "Flow_Established_V4",
        "FlowEstablishedV4_2",
    ]


def test_classify_reads_the_layers_own_fields(fixed_guids: Callable[[], str]) -> None:
    raw = {
        "callouts": [
            {"name": "R", "layer": "ALE_CONNECT_REDIRECT_V6"},
            {"name": "M", "layer": "INBOUND_MAC_FRAME_NATIVE"},
        ]
    }
    callouts = context_for(raw, fixed_guids)["callouts"]
    redirect = {f["name"]: (f["index"], f["kind"]) for f in callouts["R"]["fields"]}
    assert redirect["IP_REMOTE_PORT"] == (
        "FWPS_FIELD_ALE_CONNECT_REDIRECT_V6_IP_REMOTE_PORT",
        "port",
    )
    assert redirect["IP_REMOTE_ADDRESS"][1] == "address"
    assert callouts["R"]["layer_data"] == "connect_request"
    assert [f["name"] for f in callouts["M"]["fields"]] == ["INTERFACE_INDEX"]


def test_pool_tags_come_from_the_driver_name(fixed_guids: Callable[[], str]) -> None:
    raw = {"driver": {"name": "Contoso"}, "callouts": [{"name": "C", "layer": "STREAM_V4"}]}
    driver = context_for(raw, fixed_guids)["driver"]
    assert (driver["filter_tag"], driver["filter_tag_text"]) == ("'FnoC'", "ConF")
    assert (driver["flow_tag"], driver["flow_tag_text"]) == ("'WnoC'", "ConW")


@pytest.mark.parametrize(
    ("name", "upper"),
    [
        ("ConnectV4", "CONNECT_V4"),
        ("WfpCallout", "WFP_CALLOUT"),
        ("HTTPFilter", "HTTP_FILTER"),
        ("stream_v6", "STREAM_V6"),
        ("A", "A"),
    ],
)
def test_upper_snake(name: str, upper: str) -> None:
    assert upper_snake(name) == upper


@pytest.mark.parametrize(
    ("layer", "purpose", "action"),
    [
        ("ALE_AUTH_CONNECT_V4", "filter", "FWP_ACTION_CALLOUT_TERMINATING"),
        ("INBOUND_TRANSPORT_V6_DISCARD", "discard", "FWP_ACTION_CALLOUT_INSPECTION"),
        ("ALE_RESOURCE_RELEASE_V4", "informational", "FWP_ACTION_CALLOUT_INSPECTION"),
        ("ALE_ENDPOINT_CLOSURE_V6", "informational", "FWP_ACTION_CALLOUT_INSPECTION"),
    ],
)
def test_layers_with_nothing_to_decide_default_to_inspection(
    layer: str, purpose: str, action: str, fixed_guids: Callable[[], str]
) -> None:
    raw = {"driver": {"min_os": "win10-2004"}, "callouts": [{"name": "C", "layer": layer}]}
    callout = context_for(raw, fixed_guids)["callouts"]["C"]
    assert (callout["purpose"], callout["filter_action"]) == (purpose, action)


def test_an_explicit_action_is_kept_at_a_discard_layer(fixed_guids: Callable[[], str]) -> None:
    raw = {
        "driver": {"min_os": "win10-2004"},
        "callouts": [{"name": "C", "layer": "IPFORWARD_V4_DISCARD", "action": "unknown"}],
    }
    assert context_for(raw, fixed_guids)["callouts"]["C"]["filter_action"] == (
        "FWP_ACTION_CALLOUT_UNKNOWN"
    )


@pytest.mark.parametrize(
    ("min_os", "layer", "handle"),
    [
        ("win7", "ALE_CONNECT_REDIRECT_V4", False),  # no redirect handles before Windows 8
        ("win8", "ALE_CONNECT_REDIRECT_V6", True),
        ("win11", "ALE_BIND_REDIRECT_V4", False),  # the handle marks connect redirects only
    ],
)
def test_redirect_handle_for_connect_redirects_from_windows_8(
    min_os: str, layer: str, handle: bool, fixed_guids: Callable[[], str]
) -> None:
    raw = {"driver": {"min_os": min_os}, "callouts": [{"name": "C", "layer": layer}]}
    assert context_for(raw, fixed_guids)["driver"]["redirect_handle"] is handle


@pytest.mark.parametrize(
    ("layer", "offered"),
    [
        ("ALE_AUTH_CONNECT_V4", "terminating"),
        ("IPFORWARD_V4_DISCARD", "inspection"),
        ("ALE_ENDPOINT_CLOSURE_V6", "inspection"),
    ],
)
def test_the_interview_offers_the_layers_default_action(layer: str, offered: str) -> None:
    from wfpgen.interview import default_action

    found = CATALOG.find_layer(layer)
    assert found is not None
    assert default_action(found) == offered


@pytest.mark.parametrize(("min_os", "count"), [("win7", 32), ("win8", 34), ("win10-1709", 37)])
def test_the_simulation_has_the_fields_of_the_minimum_windows(
    fixed_guids: Callable[[], str], min_os: str, count: int
) -> None:
    raw = {
        "driver": {"min_os": min_os},
        "callouts": [{"name": "C", "layer": "ALE_AUTH_CONNECT_V4"}],
    }
    tests = context_for(raw, fixed_guids)["tests"]
    (layer,) = tests["layers"]
    windows = CATALOG.find_windows(min_os)
    assert windows is not None
    assert tests["windows_ntddi"] == f"0x{windows.ntddi_value:08X}"
    # The fields this Windows fills in; the enum keeps every field, newer ones
    # guarded by NTDDI_VERSION as in fwpsk.h.
    assert len(layer["fields"]) == count
    catalog_layer = CATALOG.find_layer("ALE_AUTH_CONNECT_V4")
    assert catalog_layer is not None
    assert len(layer["enum"]) == len(catalog_layer.fields)
    assert layer["enum"][0]["guard"] == ""
    assert layer["enum"][-1]["guard"] == f"NTDDI_{catalog_layer.fields[-1].min_ntddi}"


def test_every_sample_value_is_distinct_within_a_layer(fixed_guids: Callable[[], str]) -> None:
    raw = {
        "callouts": [
            {"name": "F", "layer": "IPFORWARD_V4"},
            {"name": "I", "layer": "INBOUND_ICMP_ERROR_V6"},
            {"name": "E", "layer": "INBOUND_MAC_FRAME_ETHERNET"},
        ]
    }
    context = context_for(raw, fixed_guids)
    for layer in context["tests"]["layers"]:
        given = [f["source"] for f in layer["fields"] if f["type"] != "FWP_EMPTY"]
        named = [s for s in given if s not in ("distinct", "zero", "app_id")]
        assert len(named) == len(set(named)), layer["name"]
    # What classify reads keeps the sample traffic's own values where it can.
    sources = {f["name"]: f["source"] for f in context["callouts"]["E"]["fields"]}
    assert sources["MAC_LOCAL_ADDRESS"] == "local_mac"
    assert sources["MAC_REMOTE_ADDRESS"] == "remote_mac"
