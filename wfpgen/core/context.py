"""Derive the template context from a resolved spec.

Every name, version-dependent API choice and per-layer field list the template
needs is computed here, in Python, so templates only lay out what they are
given. ``templates/wfp-callout/CONTEXT.md`` documents each key.
"""

import uuid
from typing import Any

from wfpgen.core.catalog import Catalog, Layer, WindowsVersion
from wfpgen.core.names import upper_snake
from wfpgen.core.simulation import field_sources, layer_key_initializer, simulated_layers
from wfpgen.core.spec import CalloutSpec, ProjectSpec
from wfpgen.core.validation import is_flow_associator, is_flow_target

# Fields classify reads when the layer has them, and how each is read.
_FIELD_KINDS = {
    "ALE_APP_ID": "app_id",
    "IP_PROTOCOL": "protocol",
    "EMBEDDED_PROTOCOL": "protocol",
    "IP_LOCAL_ADDRESS": "address",
    "IP_REMOTE_ADDRESS": "address",
    "IP_SOURCE_ADDRESS": "address",
    "IP_DESTINATION_ADDRESS": "address",
    "EMBEDDED_REMOTE_ADDRESS": "address",
    "IP_LOCAL_PORT": "port",
    "IP_REMOTE_PORT": "port",
    "IP_SOURCE_PORT": "port",
    "IP_DESTINATION_PORT": "port",
    "EMBEDDED_LOCAL_PORT": "port",
    "EMBEDDED_REMOTE_PORT": "port",
    "DIRECTION": "direction",
    "ICMP_TYPE": "uint16",
    "ICMP_CODE": "uint16",
    "MAC_LOCAL_ADDRESS": "mac_address",
    "MAC_REMOTE_ADDRESS": "mac_address",
    "MAC_SOURCE_ADDRESS": "mac_address",
    "MAC_DESTINATION_ADDRESS": "mac_address",
    "ETHER_TYPE": "uint16",
    "VLAN_ID": "uint16",
}
_INTERFACE_FIELD = "INTERFACE_INDEX"  # read only where nothing better identifies traffic

_LAYER_DATA = {
    "NBL": "nbl",
    "NBL(chain if L2 batch)": "nbl",
    "NBL|NULL": "nbl_or_null",
    "NBL(non-TCP)|NULL(TCP)": "nbl_or_null",
    "FWPS_STREAM_CALLOUT_IO_PACKET0": "stream",
    "FWPS_CONNECT_REQUEST0": "connect_request",
    "FWPS_BIND_REQUEST0": "bind_request",
}
# Flows whose contexts a flow-context callout can use: a stream callout only ever
# sees TCP, a datagram callout everything but TCP.
_FLOW_PROTOCOL = {"stream": "tcp", "stream_packet": "tcp", "datagram_data": "not_tcp"}
_INF_ARCH = {"x64": "amd64", "ARM64": "arm64", "x86": "x86"}
# C++ projects call 32-bit x86 "Win32"; solutions call it "x86".
_PROJECT_PLATFORM = {"x64": "x64", "ARM64": "ARM64", "x86": "Win32"}
_POOL2_SINCE = "WIN10_VB"  # ExAllocatePool2 is exported from Windows 10 2004 on
# INF DIRID 13 (run from the driver store) only for packages that install as
# primitive drivers, through pnputil/DiInstallDriver: Windows 10 1903 and later
# (DOCS:develop/creating-a-primitive-driver). Older minimums copy the binary to
# DIRID 12 and install through setupapi's InstallHinfSection, which does not
# import the package into the driver store.
_DRIVER_STORE_SINCE = "WIN10_19H1"
# Connection redirect state (FwpsRedirectHandleCreate0, FwpsQueryConnectionRedirectState0)
# exists from Windows 8 (fwpsk.h guards both with NTDDI_WIN8).
_REDIRECT_HANDLE_SINCE = "WIN8"
# Service start types: INF StartType value and its SERVICE_* name
# (DOCS:install/inf-addservice-directive).
_START_TYPES = {
    "boot": ("0", "SERVICE_BOOT_START"),
    "system": ("1", "SERVICE_SYSTEM_START"),
    "auto": ("2", "SERVICE_AUTO_START"),
    "demand": ("3", "SERVICE_DEMAND_START"),
}
# fwpsk.h declares FwpsCalloutRegister3 from NTDDI_WIN10_RS2 but FWPS_CALLOUT3 only
# from RS3, so no WFP source compiles at exactly RS2. A 1703 driver uses callout
# API 2 anyway, so it is built against the RS1 headers, which run on 1703 too.
_BUILD_NTDDI = {"WIN10_RS2": "WIN10_RS1"}
_WFPGEN_NAMESPACE = uuid.UUID("8c1d2f4e-57a3-4b69-9e0d-6f3a2b1c4d5e")
CONTEXT_KEYS = ("project_slug", "driver", "provider", "sublayer", "callouts", "channel", "tests")
"""The top-level keys wfpgen provides; any other key a template declares is its own."""


def build_context(spec: ProjectSpec, catalog: Catalog, *, version: str) -> dict[str, Any]:
    """The cookiecutter context for a resolved spec (``cookiecutter.*`` in templates)."""
    driver = spec.driver
    windows = catalog.find_windows(driver.min_os)
    assert windows is not None and driver.kmdf_version, "build_context needs a resolved spec"
    assert spec.provider.guid and spec.sublayer.guid, "build_context needs a resolved spec"
    api = catalog.api_for(windows)
    build_ntddi = _BUILD_NTDDI.get(windows.ntddi, windows.ntddi)
    kmdf_major, kmdf_minor = driver.kmdf_version.split(".")
    version_parts = [*driver.version.split("."), "0", "0", "0"][:4]
    identity = uuid.uuid5(_WFPGEN_NAMESPACE, spec.provider.guid)
    callouts = [_callout_context(i, c, spec, catalog, windows) for i, c in enumerate(spec.callouts)]
    driver_store = windows.ntddi_value >= catalog.ntddi[_DRIVER_STORE_SINCE]
    architectures = driver.architectures or ()
    toolchain = _toolchain(windows, architectures)
    return {
        "project_slug": driver.name,
        "driver": {
            "name": driver.name,
            "upper_name": upper_snake(driver.name),
            "description": driver.description,
            "company": driver.company,
            "version": ".".join(version_parts),
            "version_commas": ",".join(version_parts),
            "service_name": driver.name,
            "min_os": windows.id,
            "min_os_title": windows.title,
            "ntddi_name": f"NTDDI_{build_ntddi}",
            "nt_target_version": f"0x{catalog.ntddi[build_ntddi]:08X}",
            "target_version": windows.target_version,
            "kmdf_version": driver.kmdf_version,
            "kmdf_major": kmdf_major,
            "kmdf_minor": kmdf_minor,
            "api_version": str(api.version),
            "classify_context": api.classify_context,
            "ndis_define": "NDIS620" if windows.ntddi == "WIN7" else "NDIS630",
            "pool_api": _pool_api(catalog, windows),
            **_pool_tags(driver.name),
            "inf_dirid": "13" if driver_store else "12",
            "install_method": "pnputil" if driver_store else "setupapi",
            "start_type": driver.start_type,
            "start_type_value": _START_TYPES[driver.start_type][0],
            "start_type_name": _START_TYPES[driver.start_type][1],
            "toolchain": toolchain,
            "ci_workflow": toolchain["id"] == "current",
            "redirect_handle": any(c["layer_data"] == "connect_request" for c in callouts)
            and windows.ntddi_value >= catalog.ntddi[_REDIRECT_HANDLE_SINCE],
            "filters": driver.filters,
            "has_flow_contexts": any(c["flow_context"] for c in callouts),
            "has_ask": any(c["behavior"] == "ask" for c in callouts),
            "has_reinject": any(c["behavior"] == "reinject" for c in callouts),
            "architectures": [
                {"platform": _PROJECT_PLATFORM[a], "solution_platform": a, "inf_arch": _INF_ARCH[a]}
                for a in architectures
            ],
            "project_guid": _braced(uuid.uuid5(identity, "vcxproj")),
            "solution_guid": _braced(uuid.uuid5(identity, "sln")),
            "wfpgen_version": version,
        },
        "provider": {
            **_guid_context(spec.provider.guid, f"{driver.name}ProviderKey"),
            "name": spec.provider.name,
            "description": f"Owns the sublayer, callouts and filters of {driver.name}",
        },
        "sublayer": {
            **_guid_context(spec.sublayer.guid, f"{driver.name}SublayerKey"),
            "name": spec.sublayer.name,
            "description": f"Holds the filters of {driver.name}",
            "weight": str(spec.sublayer.weight),
        },
        "callouts": {c["name"]: c for c in callouts},
        "channel": _channel_context(spec, identity),
        "tests": _tests_context(spec, catalog, callouts),
    }


def _channel_context(spec: ProjectSpec, identity: uuid.UUID) -> dict[str, Any]:
    """What the control channel, its shared header and the companion program need."""
    channel = spec.channel
    name = spec.driver.name
    return {
        "enabled": channel.enabled,
        "events": channel.enabled and channel.events,
        "app": channel.enabled and channel.app,
        "ring": str(channel.ring),
        "ask_timeout_ms": str(channel.ask_timeout * 1000),
        # The kernel name is \\Device\\<name>; its symbolic link \\DosDevices\\Global\\<name>
        # is what user mode opens as \\\\.\\<name>.
        "device_name": name,
        "header": f"{name}_ioctl.h",
        "prefix": upper_snake(name),
        # Device types 0x8000-0xFFFF are for vendors (DOCS:kernel/defining-i-o-control-codes).
        # Unsigned: CTL_CODE shifts it 16 bits left, past the sign bit of an int.
        "device_type": f"0x{0x8000 + (uuid.uuid5(identity, 'device-type').int % 0x8000):04X}u",
        "app_name": f"{name.lower()}ctl",
        "app_project_guid": _braced(uuid.uuid5(identity, "app-vcxproj")),
    }


def _tests_context(
    spec: ProjectSpec, catalog: Catalog, callouts: list[dict[str, Any]]
) -> dict[str, Any]:
    """What tests/ (the user-mode simulation and its scenarios) needs."""
    # A flow starts with a classify at ALE_FLOW_ESTABLISHED of its family.
    families = sorted({c["family"] for c in callouts if c["flow_context"]})
    layers = [c["layer"] for c in callouts]
    layers += [f"ALE_FLOW_ESTABLISHED_{family.upper()}" for family in families]
    windows = catalog.find_windows(spec.driver.min_os)
    assert windows is not None, "build_context needs a resolved spec"
    return {
        "enabled": spec.driver.tests,
        "layers": simulated_layers(layers, catalog, windows),
        "windows_ntddi": f"0x{windows.ntddi_value:08X}",
        # Each Windows version the simulation may name in a message, oldest first.
        "windows_titles": _windows_titles(catalog),
    }


def _windows_titles(catalog: Catalog) -> list[dict[str, str]]:
    """The first Windows of each NTDDI value, for messages of the simulation."""
    titles: dict[int, str] = {}
    for w in catalog.windows:
        titles.setdefault(w.ntddi_value, w.title)
    return [{"ntddi": f"0x{value:08X}", "title": title} for value, title in sorted(titles.items())]


def _callout_context(
    index: int, callout: CalloutSpec, spec: ProjectSpec, catalog: Catalog, windows: WindowsVersion
) -> dict[str, Any]:
    layer = catalog.find_layer(callout.layer)
    assert layer is not None and callout.guid and callout.action, (
        "build_context needs a resolved spec"
    )
    fields = _fields(layer, windows)
    return {
        "index": str(index),
        "name": callout.name,
        "upper_name": upper_snake(callout.name),
        **_guid_context(callout.guid, f"{callout.name}CalloutKey"),
        "display_name": f"{spec.driver.name} {callout.name}",
        "description": callout.description,
        "layer": layer.name,
        "fwps_layer": f"FWPS_LAYER_{layer.name}",
        "fwpm_layer": f"FWPM_LAYER_{layer.name}",
        "fwpm_layer_initializer": layer_key_initializer(layer),
        "family": layer.family,
        "group": layer.group,
        "purpose": layer.purpose,
        "flow_protocol": _FLOW_PROTOCOL.get(layer.group, "") if callout.flow_context else "",
        "layer_data": _LAYER_DATA.get(layer.layer_data, "none"),
        "flags": [f"FWP_CALLOUT_FLAG_{flag}" for flag in callout.flags],
        "filter_action": f"FWP_ACTION_CALLOUT_{callout.action.upper()}",
        "classify_fn": f"{callout.name}Classify",
        "notify_fn": f"{callout.name}Notify",
        "flow_delete_fn": f"{callout.name}FlowDelete" if callout.flow_context else "",
        "flow_context": callout.flow_context,
        "behavior": callout.behavior,
        "flow_targets": _flow_targets(callout, layer, spec, catalog),
        "fields": fields,
        "event": _event_context(layer.name, fields),
    }


def _flow_targets(
    callout: CalloutSpec, layer: Layer, spec: ProjectSpec, catalog: Catalog
) -> list[str]:
    """The callouts whose flow contexts ``callout`` associates, if it is the associator.

    The first ALE_FLOW_ESTABLISHED callout of an IP family associates contexts for
    every flow-context callout of that family; a _DISCARD one never does.
    """
    if not is_flow_associator(layer):
        return []
    first = next(c for c in spec.callouts if c.layer == layer.name)
    if first is not callout:
        return []
    targets = []
    for other in spec.callouts:
        other_layer = catalog.find_layer(other.layer)
        if (
            other.flow_context
            and other_layer is not None
            and is_flow_target(other_layer)
            and other_layer.family == layer.family
        ):
            targets.append(other.name)
    return targets


def _fields(layer: Layer, windows: WindowsVersion) -> list[dict[str, str]]:
    available = [f for f in layer.fields if f.ntddi_value <= windows.ntddi_value]
    picked = [f for f in available if f.name in _FIELD_KINDS]
    kinds = {f.name: _FIELD_KINDS[f.name] for f in picked}
    if not any(kind in ("address", "mac_address") for kind in kinds.values()):
        interface = [f for f in available if f.name == _INTERFACE_FIELD]
        picked += interface
        kinds |= {f.name: "uint32" for f in interface}
    # Where the simulation's sample traffic takes each value from, so that the
    # generated scenarios can check what classify read.
    sources = dict(zip([f.name for f in available], field_sources(layer, available), strict=True))
    return [
        {
            "name": f.name,
            "member": member_name(f.name),
            "index": layer.field_constant(f.name),
            "kind": kinds[f.name],
            "source": sources[f.name],
        }
        for f in picked
    ]


# The event field (P_EVENT in include/<driver>_ioctl.h) each <CALLOUT>_VALUES
# member fills. Source and destination are local or remote by the layer's
# direction; at a layer that has both directions they are left out.
_EVENT_FIELDS = {
    "LocalAddress": "LocalAddress",
    "RemoteAddress": "RemoteAddress",
    "LocalPort": "LocalPort",
    "RemotePort": "RemotePort",
    "Protocol": "Protocol",
    "Direction": "Direction",
}
_EVENT_FIELDS_BY_DIRECTION = {
    "FWP_DIRECTION_OUTBOUND": {
        "SourceAddress": "LocalAddress",
        "DestinationAddress": "RemoteAddress",
        "SourcePort": "LocalPort",
        "DestinationPort": "RemotePort",
    },
    "FWP_DIRECTION_INBOUND": {
        "SourceAddress": "RemoteAddress",
        "DestinationAddress": "LocalAddress",
        "SourcePort": "RemotePort",
        "DestinationPort": "LocalPort",
    },
    "": {},
}


def _event_context(layer: str, fields: list[dict[str, str]]) -> dict[str, Any]:
    """How a callout fills the channel's connection event from what classify read.

    ``direction`` is the layer's fixed direction (empty where traffic goes both
    ways: the event takes the DIRECTION field or the packet-direction metadata).
    """
    if "CONNECT" in layer or layer.startswith("OUTBOUND_"):
        direction = "FWP_DIRECTION_OUTBOUND"
    elif "RECV_ACCEPT" in layer or layer.startswith("INBOUND_"):
        direction = "FWP_DIRECTION_INBOUND"
    else:
        direction = ""
    roles = _EVENT_FIELDS | _EVENT_FIELDS_BY_DIRECTION[direction]
    return {
        "direction": direction,
        "fields": [
            {"member": f["member"], "event_field": roles[f["member"]], "kind": f["kind"]}
            for f in fields
            if f["member"] in roles
        ],
    }


def member_name(field: str) -> str:
    """C struct member for a field: ``IP_REMOTE_ADDRESS`` -> ``RemoteAddress``."""
    words = field.split("_")
    if words[0] in ("IP", "ALE") and len(words) > 1:
        words = words[1:]
    return "".join(word.capitalize() for word in words)


def _toolchain(windows: WindowsVersion, architectures: tuple[str, ...]) -> dict[str, str]:
    """The Visual Studio and WDK that build the project.

    Microsoft's "Other WDK downloads" page (learn.microsoft.com/windows-hardware/
    drivers/other-wdk-downloads) supports WDK 10.0.19041 with Visual Studio 2019
    only for Windows 7, 8 and 8.1 targets, and WDK 10.0.22621 with Visual
    Studio 2022 only for 32-bit x86 Windows 10 drivers; everything else is built
    with the current WDK (10.0.26100 and later, also on nuget.org).
    """
    if windows.target_version != "Windows10":
        return {
            "id": "wdk19041",
            "visual_studio": "Visual Studio 2019",
            "wdk": "WDK 10.0.19041 (Windows 10, version 2004)",
        }
    if "x86" in architectures:
        return {
            "id": "wdk22621",
            "visual_studio": "Visual Studio 2022",
            "wdk": "WDK 10.0.22621 (Windows 11, version 22H2)",
        }
    return {
        "id": "current",
        "visual_studio": "Visual Studio 2022",
        "wdk": "the current WDK (10.0.26100 or later)",
    }


def _pool_api(catalog: Catalog, windows: WindowsVersion) -> str:
    return (
        "ExAllocatePool2"
        if windows.ntddi_value >= catalog.ntddi[_POOL2_SINCE]
        else "ExAllocatePoolZero"
    )


def _pool_tags(name: str) -> dict[str, str]:
    """One pool tag per object type, from the driver name.

    Tools show a tag's bytes in memory order, which is the reverse of how a
    multi-character constant is written in C.
    """
    stem = (name + "xxx")[:3]
    tags = {}
    for kind, suffix in (("filter", "F"), ("flow", "W")):
        text = stem + suffix
        tags[f"{kind}_tag"] = f"'{text[::-1]}'"
        tags[f"{kind}_tag_text"] = text
    return tags


def _guid_context(guid: str, symbol: str) -> dict[str, str]:
    value = uuid.UUID(guid)
    fields = value.fields
    node = value.bytes[8:]
    parts = [f"0x{fields[0]:08x}", f"0x{fields[1]:04x}", f"0x{fields[2]:04x}"]
    parts += [f"0x{b:02x}" for b in node]
    return {"guid": str(value), "define": ", ".join(parts), "symbol": symbol}


def _braced(value: uuid.UUID) -> str:
    return "{" + str(value).upper() + "}"
