"""Specs that together cover every layer family, every settable flag and every minimum Windows.

Each entry is a raw spec (as read from TOML). GUIDs are left out: tests fill them
with a counting factory, so the generated projects are deterministic.
"""

from typing import Any


def _callout(name: str, layer: str, *flags: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, "layer": layer, "flags": list(flags), **extra}


def _spec(min_os: str, *callouts: dict[str, Any], **driver: Any) -> dict[str, Any]:
    architectures = (
        ["x64"]
        if min_os in ("win7", "win8", "win8.1", "win10", "win10-1511", "win10-1607", "win10-1703")
        else ["x64", "ARM64"]
    )
    return {
        "driver": {"name": "Matrix", "min_os": min_os, "architectures": architectures, **driver},
        "callouts": list(callouts),
    }


MATRIX: dict[str, dict[str, Any]] = {
    "ippacket-win7": _spec(
        "win7",
        _callout("InV4", "INBOUND_IPPACKET_V4"),
        _callout("OutV6", "OUTBOUND_IPPACKET_V6", action="inspection"),
        _callout("InDiscardV4", "INBOUND_IPPACKET_V4_DISCARD"),  # inspection by default
        _callout("ConnectRedirectV6", "ALE_CONNECT_REDIRECT_V6"),  # no redirect handle on Windows 7
        start_type="system",
    ),
    "forward-win8": _spec(
        "win8",
        _callout("ForwardV4", "IPFORWARD_V4", "ALLOW_OFFLOAD"),
        _callout("ForwardDiscardV6", "IPFORWARD_V6_DISCARD", action="unknown"),
        _callout("ConnectRedirectV4", "ALE_CONNECT_REDIRECT_V4"),  # first Windows with the handle
        start_type="boot",
    ),
    "transport-win8.1": _spec(
        "win8.1",
        _callout("TransportInV4", "INBOUND_TRANSPORT_V4", "ALLOW_RSC"),
        _callout("TransportOutV6", "OUTBOUND_TRANSPORT_V6", "CONDITIONAL_ON_FLOW"),
        _callout("TransportInDiscardV6", "INBOUND_TRANSPORT_V6_DISCARD"),
    ),
    "stream-win10": _spec(
        "win10",
        _callout("StreamV4", "STREAM_V4", "CONDITIONAL_ON_FLOW"),  # not with mid-stream: it warns
        _callout("StreamV6", "STREAM_V6", "ALLOW_MID_STREAM_INSPECTION", action="inspection"),
    ),
    "stream-packet-win10-1511": _spec(
        "win10-1511",
        _callout("StreamPacketV4", "STREAM_PACKET_V4", flow_context=True, action="inspection"),
        _callout("StreamPacketV6", "STREAM_PACKET_V6", "ALLOW_RSC"),
    ),
    "datagram-win10-1607": _spec(
        "win10-1607",
        _callout("DatagramV4", "DATAGRAM_DATA_V4", "CONDITIONAL_ON_FLOW"),
        _callout("DatagramDiscardV6", "DATAGRAM_DATA_V6_DISCARD", action="inspection"),
    ),
    "icmp-win10-1703": _spec(
        "win10-1703",
        _callout("IcmpInV4", "INBOUND_ICMP_ERROR_V4"),
        _callout("IcmpOutV6", "OUTBOUND_ICMP_ERROR_V6", action="unknown"),
        _callout("IcmpInDiscardV6", "INBOUND_ICMP_ERROR_V6_DISCARD", action="inspection"),
    ),
    "ale-resource-listen-win10-1709": _spec(
        "win10-1709",
        _callout("AssignV4", "ALE_RESOURCE_ASSIGNMENT_V4", "ALLOW_RECLASSIFY"),
        _callout("ReleaseV6", "ALE_RESOURCE_RELEASE_V6"),
        _callout("ListenV4", "ALE_AUTH_LISTEN_V4"),
        _callout("ListenDiscardV6", "ALE_AUTH_LISTEN_V6_DISCARD", action="inspection"),
    ),
    "ale-connect-accept-win10-1803": _spec(
        "win10-1803",
        _callout("ConnectV4", "ALE_AUTH_CONNECT_V4", "ALLOW_RECLASSIFY"),
        _callout("AcceptV6", "ALE_AUTH_RECV_ACCEPT_V6", "ENABLE_COMMIT_ADD_NOTIFY"),
        _callout("ConnectDiscardV6", "ALE_AUTH_CONNECT_V6_DISCARD", action="inspection"),
    ),
    "ale-flow-closure-win10-1809": _spec(
        "win10-1809",
        _callout("FlowV4", "ALE_FLOW_ESTABLISHED_V4", action="inspection"),
        _callout("FlowDiscardV6", "ALE_FLOW_ESTABLISHED_V6_DISCARD", action="inspection"),
        _callout("ClosureV4", "ALE_ENDPOINT_CLOSURE_V4", flow_context=True, action="inspection"),
        _callout("ClosureV6", "ALE_ENDPOINT_CLOSURE_V6", flow_context=True, action="inspection"),
    ),
    "redirect-win10-1903": _spec(
        "win10-1903",
        _callout("ConnectRedirectV4", "ALE_CONNECT_REDIRECT_V4", "ALLOW_RECLASSIFY"),
        _callout("BindRedirectV6", "ALE_BIND_REDIRECT_V6"),
    ),
    "name-resolution-win10-2004": _spec(
        "win10-2004",
        _callout("NameCacheV4", "NAME_RESOLUTION_CACHE_V4", action="inspection"),
        _callout("NameCacheV6", "NAME_RESOLUTION_CACHE_V6"),
        _callout("UdpInV4", "INBOUND_TRANSPORT_V4", "ALLOW_URO"),
    ),
    "mac-frame-win10-20h2": _spec(
        "win10-20h2",
        _callout("EthernetIn", "INBOUND_MAC_FRAME_ETHERNET", "ALLOW_L2_BATCH_CLASSIFY"),
        _callout("EthernetOut", "OUTBOUND_MAC_FRAME_ETHERNET", action="inspection"),
        _callout("NativeIn", "INBOUND_MAC_FRAME_NATIVE"),
        _callout("NativeOut", "OUTBOUND_MAC_FRAME_NATIVE", "ALLOW_L2_BATCH_CLASSIFY"),
    ),
    "vswitch-win10-21h1": _spec(
        "win10-21h1",
        _callout("IngressEthernet", "INGRESS_VSWITCH_ETHERNET"),
        _callout("EgressEthernet", "EGRESS_VSWITCH_ETHERNET", action="inspection"),
        _callout("IngressTransportV4", "INGRESS_VSWITCH_TRANSPORT_V4"),
        _callout("EgressTransportV6", "EGRESS_VSWITCH_TRANSPORT_V6", action="unknown"),
    ),
    "uso-win10-21h2": _spec(
        "win10-21h2",
        _callout("UdpOutV4", "OUTBOUND_TRANSPORT_V4", "ALLOW_USO"),
        _callout("DatagramV6", "DATAGRAM_DATA_V6", "ALLOW_USO", "ALLOW_URO", action="inspection"),
    ),
    "flows-no-filters-win11": _spec(
        "win11",
        _callout("StreamV4", "STREAM_V4", "CONDITIONAL_ON_FLOW"),
        _callout("DatagramV6", "DATAGRAM_DATA_V6", flow_context=True, action="unknown"),
        _callout("BindRedirectV4", "ALE_BIND_REDIRECT_V4"),
        _callout("ConnectRedirectV6", "ALE_CONNECT_REDIRECT_V6"),
        filters="none",
        start_type="auto",
    ),
    # Ask callouts on the oldest Windows, without filters of the driver's own
    # and without connection events: questions are the only events.
    "ask-no-filters-win7": {
        **_spec(
            "win7",
            _callout("ConnectV6", "ALE_AUTH_CONNECT_V6", behavior="ask"),
            _callout("AcceptV4", "ALE_AUTH_RECV_ACCEPT_V4", behavior="ask", action="unknown"),
            filters="none",
        ),
        "channel": {"enabled": True, "events": False, "app": False},
    },
    "connection-policy-win11-22h2": _spec(
        "win11-22h2",
        _callout("PolicyV4", "OUTBOUND_NETWORK_CONNECTION_POLICY_V4", action="inspection"),
        _callout("PolicyV6", "OUTBOUND_NETWORK_CONNECTION_POLICY_V6", action="inspection"),
    ),
    "reinject-win7": _spec(
        "win7",
        _callout("DatagramV4", "DATAGRAM_DATA_V4", behavior="reinject"),
        _callout("DatagramV6", "DATAGRAM_DATA_V6", behavior="reinject", action="unknown"),
        _callout("InPacketV6", "INBOUND_IPPACKET_V6", behavior="reinject"),
        _callout("InTransportV4", "INBOUND_TRANSPORT_V4", behavior="reinject"),
        _callout("OutTransportV6", "OUTBOUND_TRANSPORT_V6", behavior="reinject"),
    ),
    "ask-events-off-win10-1607": {
        **_spec(
            "win10-1607",
            _callout("ConnectV6", "ALE_AUTH_CONNECT_V6", behavior="ask"),
            _callout("AcceptV4", "ALE_AUTH_RECV_ACCEPT_V4", behavior="ask"),
            _callout("ConnectV4", "ALE_AUTH_CONNECT_V4"),
            filters="none",
        ),
        "channel": {"enabled": True, "events": False, "app": False, "ask_timeout": 2},
    },
    "channel-win8": {
        **_spec(
            "win8",
            _callout("ConnectV4", "ALE_AUTH_CONNECT_V4"),
            _callout("StreamV6", "STREAM_V6", action="inspection"),
            _callout("ListenV4", "ALE_AUTH_LISTEN_V4"),
        ),
        "channel": {"enabled": True, "ring": 16},
    },
    "same-layer-win11": {
        # Three callouts at one layer: each callout's scenarios must see only its own filter.
        **_spec(
            "win11",
            _callout("First", "ALE_AUTH_CONNECT_V4"),
            _callout("Second", "ALE_AUTH_CONNECT_V4", action="inspection"),
            _callout("Asker", "ALE_AUTH_CONNECT_V4", behavior="ask"),
            _callout("StreamA", "STREAM_V6"),
            _callout("StreamB", "STREAM_V6", action="inspection"),
        ),
        "channel": {"enabled": True},
    },
}
