"""What the generated project's user-mode simulation needs to know about each layer.

The simulation (``tests/sim`` of a generated project) classifies sample traffic
at the layers of the driver's callouts. For that it needs every data field of
each layer with its value type, and which part of the sample traffic fills it.
The catalog names the fields; their types follow the data-field reference on
Microsoft Learn (learn.microsoft.com/windows-hardware/drivers/network/
data-field-identifiers). Fields whose values the simulation does not model
(security descriptors, tokens, SIDs, strings of the virtual switch) are passed
as ``FWP_EMPTY``, which is what a layer does with a field it cannot fill in.
"""

import uuid
from typing import Any

from wfpgen.core.catalog import Catalog, Layer, LayerField, WindowsVersion
from wfpgen.core.reserved import windows_names

# Field name -> (FWP data type, source in the sample traffic). An address type
# is decided per family (see _field_type).
_FIELD_TYPES: dict[str, tuple[str, str]] = {
    "IP_PROTOCOL": ("FWP_UINT8", "protocol"),
    "EMBEDDED_PROTOCOL": ("FWP_UINT8", "protocol"),
    "IP_LOCAL_PORT": ("FWP_UINT16", "local_port"),
    "IP_REMOTE_PORT": ("FWP_UINT16", "remote_port"),
    "EMBEDDED_LOCAL_PORT": ("FWP_UINT16", "local_port"),
    "EMBEDDED_REMOTE_PORT": ("FWP_UINT16", "remote_port"),
    "ICMP_TYPE": ("FWP_UINT16", "icmp_type"),
    "ICMP_CODE": ("FWP_UINT16", "icmp_code"),
    "ORIGINAL_ICMP_TYPE": ("FWP_UINT16", "icmp_type"),
    "DIRECTION": ("FWP_UINT32", "direction"),
    "FLAGS": ("FWP_UINT32", "flags"),
    "ALE_APP_ID": ("FWP_BYTE_BLOB_TYPE", "app_id"),
    "ALE_ORIGINAL_APP_ID": ("FWP_BYTE_BLOB_TYPE", "app_id"),
    "ETHER_TYPE": ("FWP_UINT16", "ether_type"),
    "VLAN_ID": ("FWP_UINT16", "vlan_id"),
    "MAC_LOCAL_ADDRESS": ("FWP_BYTE_ARRAY6_TYPE", "local_mac"),
    "MAC_REMOTE_ADDRESS": ("FWP_BYTE_ARRAY6_TYPE", "remote_mac"),
    "INTERFACE_MAC_ADDRESS": ("FWP_BYTE_ARRAY6_TYPE", "local_mac"),
    "ALE_PROMISCUOUS_MODE": ("FWP_UINT8", "zero"),
    "NDIS_PORT": ("FWP_UINT32", "zero"),
    "NDIS_MEDIA_TYPE": ("FWP_UINT32", "zero"),
    "NDIS_PHYSICAL_MEDIA_TYPE": ("FWP_UINT32", "zero"),
    "NAP_CONTEXT": ("FWP_UINT32", "zero"),
    "REAUTHORIZE_REASON": ("FWP_UINT32", "zero"),
    "SIO_FIREWALL_SOCKET_PROPERTY": ("FWP_UINT32", "zero"),
    "SIO_FIREWALL_SYSTEM_PORT": ("FWP_UINT32", "zero"),
    "INTERFACE_QUARANTINE_EPOCH": ("FWP_UINT64", "zero"),
    "VSWITCH_NETWORK_TYPE": ("FWP_UINT8", "zero"),
    "VSWITCH_SOURCE_INTERFACE_TYPE": ("FWP_UINT8", "zero"),
    "VSWITCH_DESTINATION_INTERFACE_TYPE": ("FWP_UINT8", "zero"),
}
# Interface LUIDs are 64-bit values.
_LUID_FIELDS = frozenset(
    {
        "IP_LOCAL_INTERFACE",
        "IP_ARRIVAL_INTERFACE",
        "IP_NEXTHOP_INTERFACE",
        "IP_FORWARD_INTERFACE",
        "IP_PHYSICAL_ARRIVAL_INTERFACE",
        "IP_PHYSICAL_NEXTHOP_INTERFACE",
        "INTERFACE",
    }
)
_UINT32_SUFFIXES = ("_INDEX", "_TYPE", "_PROFILE_ID", "FLAGS", "COMPARTMENT_ID")
# Source and destination of a packet are the remote and local ends when it
# comes in, and the other way round when it goes out.
_OUTBOUND_MARKS = ("OUTBOUND", "EGRESS", "CONNECT", "_SEND")


def _outbound(layer: Layer) -> bool:
    return any(mark in layer.name for mark in _OUTBOUND_MARKS)


def _field_type(layer: Layer, name: str) -> tuple[str, str]:
    if name in _FIELD_TYPES:
        return _FIELD_TYPES[name]
    if name in _LUID_FIELDS:
        return ("FWP_UINT64", "interface_luid")
    if name.endswith("_ADDRESS_TYPE"):
        return ("FWP_UINT8", "zero")
    if name.endswith("_ADDRESS") and name.startswith(("IP_", "EMBEDDED_")):
        ends = {"LOCAL": "local", "REMOTE": "remote"}
        if "SOURCE" in name:
            ends["SOURCE"] = "local" if _outbound(layer) else "remote"
        if "DESTINATION" in name:
            ends["DESTINATION"] = "remote" if _outbound(layer) else "local"
        end = next(v for k, v in ends.items() if k in name)
        if layer.family == "v6":
            return ("FWP_BYTE_ARRAY16_TYPE", f"{end}_address")
        return ("FWP_UINT32", f"{end}_address")
    if name.endswith("_ADDRESS") and name.startswith("MAC_"):
        end = "local" if "LOCAL" in name else "remote"
        if "SOURCE" in name:
            end = "local" if _outbound(layer) else "remote"
        if "DESTINATION" in name:
            end = "remote" if _outbound(layer) else "local"
        return ("FWP_BYTE_ARRAY6_TYPE", f"{end}_mac")
    if name.endswith(("_PORT",)) and "SOURCE" in name:
        return ("FWP_UINT16", "local_port" if _outbound(layer) else "remote_port")
    if name.endswith(("_PORT",)) and "DESTINATION" in name:
        return ("FWP_UINT16", "remote_port" if _outbound(layer) else "local_port")
    if name.endswith("INTERFACE_INDEX"):
        return ("FWP_UINT32", "interface_index")
    if name.endswith(_UINT32_SUFFIXES):
        return ("FWP_UINT32", "zero")
    return ("FWP_EMPTY", "zero")


# Sources whose values the sample traffic gives only once per layer: a second
# field of the same source (SUB_INTERFACE_INDEX after INTERFACE_INDEX, the
# LUIDs of an IPFORWARD layer, ...) gets a value of its own ("distinct"), so
# that a classify reading the wrong index reads a different value.
_SHARED_SOURCES = frozenset({"app_id"})
# Fields whose sample value is 0 in real traffic and stays so.
_ZERO_FIELDS = frozenset({"FLAGS"})
# Headers declare no field older than Windows 7, the oldest minimum.
_OLDEST_GUARD = "WIN7"


# Fields that repeat another field's value in real traffic (the embedded
# header of an ICMP error, the interface's own MAC address, ...): the fields
# they repeat keep the sample traffic's value.
_SECONDARY_PREFIXES = ("EMBEDDED_", "INTERFACE_MAC_", "SUB_", "ALE_ORIGINAL_", "ORIGINAL_")


def _sources(layer: Layer, names: list[str]) -> list[tuple[str, str]]:
    """Type and sample-traffic source of each field, every value distinct within the layer."""
    types = [_field_type(layer, name) for name in names]
    order = sorted(range(len(names)), key=lambda i: names[i].startswith(_SECONDARY_PREFIXES))
    seen: set[str] = set()
    result: dict[int, tuple[str, str]] = {}
    for i in order:
        kind, source = types[i]
        repeated = source in seen and source not in _SHARED_SOURCES
        if kind != "FWP_EMPTY" and names[i] not in _ZERO_FIELDS and (source == "zero" or repeated):
            source = "distinct"
        seen.add(source)
        result[i] = (kind, source)
    return [result[i] for i in range(len(names))]


def field_sources(layer: Layer, fields: list[LayerField]) -> list[str]:
    """The sample-traffic source of each of ``fields`` (the fields a Windows has at ``layer``)."""
    return [source for _, source in _sources(layer, [f.name for f in fields])]


def _layer_data(layer: Layer) -> str:
    """What classifyFn receives as layerData at ``layer``."""
    if layer.layer_data == "FWPS_STREAM_CALLOUT_IO_PACKET0":
        return "stream"
    if layer.layer_data == "FWPS_CONNECT_REQUEST0":
        return "connect_request"
    if layer.layer_data == "FWPS_BIND_REQUEST0":
        return "bind_request"
    return "nbl" if layer.layer_data.startswith("NBL") else "none"


def layer_key_initializer(layer: Layer) -> str:
    """The layer's management key as a C GUID initializer, for user-mode code.

    mingw-w64's fwpmu.h declares no FWPM_LAYER_* keys, so the companion program
    spells the values out (those of the WDK's fwpmk.h, the same as fwpmu.h's);
    the simulation uses the same values, so the two agree.
    """
    keys = {name: guid for guid, name in windows_names().guids.items()}
    value = uuid.UUID(keys[f"FWPM_LAYER_{layer.name}"])
    fields = value.fields
    node = ", ".join(f"0x{b:02x}" for b in value.bytes[8:])
    return f"{{ 0x{fields[0]:08x}, 0x{fields[1]:04x}, 0x{fields[2]:04x}, {{ {node} }} }}"


def _layer_context(layer: Layer, catalog: Catalog, windows: WindowsVersion) -> dict[str, Any]:
    prefix = layer.field_constant("")[: -len("_")]
    oldest = catalog.ntddi[_OLDEST_GUARD]
    # The fields this Windows fills in: those of its version of the header.
    present = [f for f in layer.fields if f.ntddi_value <= windows.ntddi_value]
    sources = _sources(layer, [f.name for f in present])
    fields = []
    for field, (kind, source) in zip(present, sources, strict=True):
        fields.append(
            {
                "name": field.name,
                "constant": layer.field_constant(field.name),
                "type": kind,
                "source": source,
            }
        )
    # The enum as fwpsk.h declares it: fields newer than Windows 7 only when
    # NTDDI_VERSION says the driver is built for a Windows that has them.
    enum = [
        {
            "constant": layer.field_constant(field.name),
            "guard": f"NTDDI_{field.min_ntddi}" if field.ntddi_value > oldest else "",
        }
        for field in layer.fields
    ]
    return {
        "name": layer.name,
        "fwps_layer": f"FWPS_LAYER_{layer.name}",
        "fwpm_layer": f"FWPM_LAYER_{layer.name}",
        "fwpm_layer_initializer": layer_key_initializer(layer),
        "fwps_id": str(layer.fwps_id),
        "family": layer.family,
        "group": layer.group,
        "outbound": _outbound(layer),
        "has_flows": layer.flow == "yes",
        "layer_data": _layer_data(layer),
        "fields_type": f"FWPS_FIELDS_{layer.fields_enum or layer.base}",
        "field_max": f"{prefix}_MAX",
        "fields": fields,
        "enum": enum,
    }


def simulated_layers(
    layer_names: list[str], catalog: Catalog, windows: WindowsVersion
) -> list[dict[str, Any]]:
    """The layers the simulation serves, in run-time id order, each with the fields ``windows`` fills in.

    ``layer_names`` are the callouts' layers; the ALE_FLOW_ESTABLISHED layer of
    each family is added when a callout keeps flow contexts (the caller passes it).
    """
    layers = {}
    for name in layer_names:
        layer = catalog.find_layer(name)
        assert layer is not None, f"unknown layer {name}"
        layers[layer.name] = layer
    result = []
    declared: set[str] = set()
    for layer in sorted(layers.values(), key=lambda x: x.fwps_id):
        context = _layer_context(layer, catalog, windows)
        # Layers that share a field set (a layer and its discard layer) share its enum.
        context["declare_fields"] = bool(layer.fields) and context["fields_type"] not in declared
        declared.add(context["fields_type"])
        result.append(context)
    return result
