"""What validation knows: limits, patterns and the WFP facts other modules ask about.

The rules (``structure``, ``platform``, ``names``, ``warnings``) and the rest of the
spec core (``resolve``, ``context``, ``reference``, ``schema``) share these.
"""

import re
import uuid
from collections.abc import Sequence

from wfpgen.core.catalog import CalloutFlag, Catalog, Layer, WindowsVersion
from wfpgen.core.spec import ACTIONS, ARCHITECTURES, BEHAVIORS

MAX_DRIVER_NAME = 32  # KMDF stores the driver name in a 32-character buffer
MAX_CALLOUT_NAME = 48
MAX_TEXT = 200

# C11 keywords that can pass as identifiers here (the rest start with "_").
C_KEYWORDS = frozenset(
    [
        "auto",
        "break",
        "case",
        "char",
        "const",
        "continue",
        "default",
        "do",
        "double",
        "else",
        "enum",
        "extern",
        "float",
        "for",
        "goto",
        "if",
        "inline",
        "int",
        "long",
        "register",
        "restrict",
        "return",
        "short",
        "signed",
        "sizeof",
        "static",
        "struct",
        "switch",
        "typedef",
        "union",
        "unsigned",
        "void",
        "volatile",
        "while",
    ]
)
IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_BARE_GUID = r"[0-9A-Fa-f]{8}-([0-9A-Fa-f]{4}-){3}[0-9A-Fa-f]{12}"
GUID_TEXT = re.compile(rf"\{{{_BARE_GUID}\}}|{_BARE_GUID}")
# ASCII digits only: \d also matches other scripts' digits, which the .rc and
# .vcxproj cannot carry.
VERSION = re.compile(r"[0-9]+(\.[0-9]+){0,3}", re.ASCII)
# Tokens StampInf replaces in the INF ($ARCH$, $KMDFVERSION$, ...): a text
# holding one is rewritten on its way in. (% for INF string substitutions is
# refused on its own, as a character.)
INF_TOKEN = re.compile(r"\$[^$]*\$")
KMDF_VERSIONS = tuple(f"1.{minor}" for minor in range(9, 34, 2))
KMDF_WITHOUT_HEADERS = "1.29"  # in Windows 10 1903, but no WDK ever shipped its headers
ARM64_MIN_OS = "win10-1709"  # the first Windows 10 release for ARM64 PCs

# Layers at which a flow context can be associated from ALE_FLOW_ESTABLISHED.
FLOW_TARGET_GROUPS = frozenset(
    {"stream", "stream_packet", "datagram_data", "transport", "ale_endpoint_closure"}
)
PACKET_GROUPS = frozenset(
    {
        "ip_packet",
        "ip_forward",
        "transport",
        "stream",
        "stream_packet",
        "datagram_data",
        "icmp_error",
        "ale_recv_accept",
        "ale_connect",
        "ale_flow_established",
        "mac_frame",
        "vswitch",
    }
)
TCP_ONLY_GROUPS = frozenset({"stream", "stream_packet"})
TCP_FREE_GROUPS = frozenset({"datagram_data", "icmp_error"})

# Where a callout may do more than decide inline (docs/behaviors.md).
# ask pends the classify with FwpsPendOperation0 at the two layers where Microsoft
# Learn, "Processing Classify Callouts Asynchronously", says how the decision comes
# back after FwpsCompleteOperation0: ALE_AUTH_CONNECT (a reauthorization classify)
# and ALE_AUTH_RECV_ACCEPT (the cloned packet is reinjected or dropped). The
# FwpsPendOperation0 page also lists ALE_RESOURCE_ASSIGNMENT and ALE_AUTH_LISTEN,
# but neither page says how a verdict reaches the operation there, so wfpgen does
# not generate it (nor the simulation model it).
ASK_GROUPS = frozenset({"ale_connect", "ale_recv_accept"})
# reinject clones, absorbs and injects packets at the layers with an injection
# function for their data ("Asynchronous Packet Classify" on the same page;
# FwpsInjectTransportSendAsync0/ReceiveAsync0, FwpsInjectNetworkSendAsync0/
# ReceiveAsync0). The stream layers inject with FwpsStreamInjectAsync0 and the
# MAC layers with their own functions: not generated.
REINJECT_GROUPS = frozenset({"transport", "datagram_data", "ip_packet"})

# What a layer that is not for permitting or blocking is for (catalog Layer.purpose).
PURPOSE_NOTE = {
    "discard": "sees traffic that was already dropped",
    "informational": "reports an event that cannot be permitted or blocked",
}

# The spec keys of the objects a driver with filters = "dynamic" adds itself.
ADDED_OBJECTS = frozenset({"provider.guid", "sublayer.guid"})


def default_action(layer: Layer) -> str:
    """The filter action a callout at ``layer`` gets unless the spec names one."""
    return "terminating" if layer.purpose == "filter" else "inspection"


def behaviors_at(layer: Layer) -> tuple[str, ...]:
    """The behaviours a callout at ``layer`` may have: decide everywhere, ask and reinject at some.

    Discard layers see traffic that was already dropped: nothing to pend or reinject.
    """
    allowed = ["decide"]
    if not layer.discard and layer.group in ASK_GROUPS:
        allowed.append("ask")
    if not layer.discard and layer.group in REINJECT_GROUPS:
        allowed.append("reinject")
    return tuple(allowed)


def canonical_behavior(text: str) -> str | None:
    """``decide``/``ask``/``reinject`` in any case, else None."""
    word = text.strip().lower()
    return word if word in BEHAVIORS else None


def canonical_guid(text: str) -> str:
    """Lower-case, brace-less form of a GUID that matched ``GUID_TEXT``."""
    return str(uuid.UUID(text.strip().strip("{}")))


def canonical_action(text: str) -> str | None:
    """``terminating``/``inspection``/``unknown`` for any accepted spelling, else None."""
    word = text.strip().lower().removeprefix("fwp_action_").removeprefix("callout_")
    return word if word in ACTIONS else None


def canonical_architecture(text: str) -> str | None:
    """The MSBuild spelling of an architecture name, else None."""
    aliases = {"amd64": "x64", "x86_64": "x64", "aarch64": "ARM64", "win32": "x86"}
    lowered = text.strip().lower()
    lowered = aliases.get(lowered, lowered).lower()
    return next((a for a in ARCHITECTURES if a.lower() == lowered), None)


def is_flow_target(layer: Layer) -> bool:
    """Whether flow contexts can be associated with a callout at ``layer``."""
    return layer.group in FLOW_TARGET_GROUPS


def is_flow_associator(layer: Layer) -> bool:
    """Whether a callout at ``layer`` is where the driver associates flow contexts.

    Only ALE_FLOW_ESTABLISHED_V4/V6. Their _DISCARD twins report flows the filter
    engine refused (DOCS:network/management-filtering-layer-identifiers-), so a
    context attached there belongs to a flow that never carries data; and one
    association per flow is all FwpsFlowAssociateContext0 accepts (it returns
    STATUS_OBJECT_NAME_EXISTS for a second, DDI:fwpsk/nf-fwpsk-fwpsflowassociatecontext0).
    context.py, resolve.py and reference.py all ask this one question.
    """
    return layer.group == "ale_flow_established" and not layer.discard


def usable_flags(catalog: Catalog, layer: Layer, windows: WindowsVersion) -> list[CalloutFlag]:
    """The flags a callout at ``layer`` may set when the driver targets ``windows``."""
    return [
        flag
        for flag in catalog.flags
        if flag.user_settable
        and flag.ntddi_value <= windows.ntddi_value
        and not flag_misfit(flag, layer)
    ]


def default_architectures(catalog: Catalog, windows: WindowsVersion) -> tuple[str, ...]:
    """The platforms a driver for ``windows`` is built for unless the spec says otherwise."""
    arm64 = catalog.find_windows(ARM64_MIN_OS)
    if arm64 is not None and windows.ntddi_value >= arm64.ntddi_value:
        return ("x64", "ARM64")
    return ("x64",)


def default_kmdf(windows: WindowsVersion) -> str:
    """The KMDF version a driver for ``windows`` gets unless the spec says otherwise."""
    if windows.kmdf_inbox == KMDF_WITHOUT_HEADERS:
        return "1.27"
    return windows.kmdf_inbox


def oldest_windows_for(catalog: Catalog, ntddi_value: int) -> WindowsVersion | None:
    """The oldest Windows version whose NTDDI value reaches ``ntddi_value``."""
    return next((w for w in catalog.windows if w.ntddi_value >= ntddi_value), None)


def flag_misfit(flag: CalloutFlag, layer: Layer) -> str:
    """Why ``flag`` makes no sense at ``layer``, or an empty string."""
    group = layer.group
    inbound = not layer.name.startswith(("OUTBOUND_", "EGRESS_")) and group != "ale_connect"
    outbound = not layer.name.startswith(("INBOUND_", "INGRESS_")) and group != "ale_recv_accept"
    rules = {
        "flow": (
            is_flow_target(layer),
            "only matters where flow contexts are associated (STREAM, STREAM_PACKET, DATAGRAM_DATA, transport, ALE_ENDPOINT_CLOSURE)",
        ),
        "stream": (group == "stream", "only matters at the STREAM layers"),
        "l2": (group == "mac_frame", "only matters at the MAC_FRAME layers"),
        "ale": (group.startswith("ale_"), "only matters at ALE layers"),
        "inbound_tcp": (
            group in PACKET_GROUPS and inbound and group not in TCP_FREE_GROUPS,
            "only concerns inbound TCP packets",
        ),
        "inbound_udp": (
            group in PACKET_GROUPS and inbound and group not in TCP_ONLY_GROUPS,
            "only concerns inbound UDP packets",
        ),
        "outbound_udp": (
            group in PACKET_GROUPS and outbound and group not in TCP_ONLY_GROUPS,
            "only concerns outbound UDP packets",
        ),
    }
    fits, reason = rules.get(flag.applies_to, (True, ""))
    return "" if fits else f"{reason}, not {layer.name}"


def needs(catalog: Catalog, ntddi_value: int) -> str:
    """The oldest ``min_os`` that reaches ``ntddi_value``, as a phrase for a message."""
    windows = oldest_windows_for(catalog, ntddi_value)
    return f"min_os {windows.id} or later" if windows else "a newer Windows than wfpgen knows"


def unknown(
    what: str, value: str, close: list[str], choices: Sequence[str] = (), *, listed_by: str = ""
) -> str:
    """An unknown name: the close matches, else the choices or the command that lists them."""
    if close:
        return f"unknown {what} '{value}'; did you mean {' or '.join(close)}?"
    if listed_by:
        return f"unknown {what} '{value}'; run `{listed_by}` to list them"
    return f"unknown {what} '{value}'; use one of: {', '.join(choices)}"


def kmdf_minor(version: str) -> int:
    """The minor number of a KMDF version such as ``1.23``."""
    return int(version.split(".")[1])
