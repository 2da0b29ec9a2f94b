r"""Build ``wfpgen/data/catalog.json``, the machine-readable WFP catalog.

The catalog lists the NTDDI constants, the Windows versions a driver can target,
the callout API versions (FWPS_CALLOUT0..3), the FWP_CALLOUT_FLAG_* bits and every
built-in filtering layer with its FWPS_FIELDS_* members. Everything that the WDK
headers define is read from the headers themselves:

* ``fwpsk.h``: the FWPS_BUILTIN_LAYERS enum (run-time ids), the FWPS_FIELDS_*
  enums with their ``#if (NTDDI_VERSION >= ...)`` guards, the field aliases
  (``#define FWPS_FIELD_..._ICMP_TYPE ...``) and the guards of the callout structs,
  callback typedefs and register functions;
* ``fwpmk.h``: which layers have an FWPM_LAYER_* GUID, and under which guard;
* ``fwptypes.h``: the FWP_CALLOUT_FLAG_* values and guards;
* ``fwpstypes.h`` / ``sdkddkver.h`` (optional): FWPS_FILTERn guards and NTDDI values.

Layer properties that no header states (kernel use, flow handles, layerData type)
come from Appendix A of the fact sheet ``wfp-facts.md``; the script checks every
appendix row against the headers and stops with an error on any disagreement.
The one-line summaries are written here, in this project's own words.

Run from the repository root::

    python tools/build_catalog.py --fwpsk /tmp/wdk/ddk/km/fwpsk.h \
        --fwpmk /tmp/wdk/ddk/km/fwpmk.h \
        --facts /work/shared/reference/wfp-facts.md \
        --out wfpgen/data/catalog.json

``fwptypes.h``, ``fwpstypes.h`` and ``sdkddkver.h`` are looked up next to the km
headers (``../shared`` or ``../../sdk/shared``) unless given with ``--fwptypes``,
``--fwpstypes`` and ``--sdkddkver``. The output is deterministic: the same inputs
always give byte-identical JSON. Standard library only.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

GENERATED_FROM = "WDK 10.0.22621 fwpsk.h, fwpmk.h; wfp-facts.md"

# NTDDI constants (sdkddkver.h; NI and CU from the 22621-era header). Checked
# against sdkddkver.h and section 0 of the fact sheet when those are available.
NTDDI: dict[str, int] = {
    "WIN6": 0x06000000,
    "WIN6SP1": 0x06000100,
    "WIN7": 0x06010000,
    "WIN8": 0x06020000,
    "WINBLUE": 0x06030000,
    "WINTHRESHOLD": 0x0A000000,
    "WIN10": 0x0A000000,
    "WIN10_TH2": 0x0A000001,
    "WIN10_RS1": 0x0A000002,
    "WIN10_RS2": 0x0A000003,
    "WIN10_RS3": 0x0A000004,
    "WIN10_RS4": 0x0A000005,
    "WIN10_RS5": 0x0A000006,
    "WIN10_19H1": 0x0A000007,
    "WIN10_VB": 0x0A000008,
    "WIN10_MN": 0x0A000009,
    "WIN10_FE": 0x0A00000A,
    "WIN10_CO": 0x0A00000B,
    "WIN10_NI": 0x0A00000C,
    "WIN10_CU": 0x0A00000D,
}
NTDDI_MAX = max(NTDDI.values())


@dataclass(frozen=True)
class OsVersion:
    """A Windows release a user can name as the driver's minimum OS."""

    id: str
    title: str
    ntddi: str
    target_version: str
    kmdf_inbox: str
    # The label used in the fact sheet's KMDF version history, if it has one.
    facts_label: str | None = None


OS_VERSIONS: tuple[OsVersion, ...] = (
    OsVersion("win7", "Windows 7", "WIN7", "Windows7", "1.9"),
    OsVersion("win8", "Windows 8", "WIN8", "Windows8", "1.11"),
    OsVersion("win8.1", "Windows 8.1", "WINBLUE", "WindowsV6.3", "1.13"),
    OsVersion("win10", "Windows 10, version 1507", "WIN10", "Windows10", "1.15", "1507"),
    OsVersion(
        "win10-1511",
        "Windows 10, version 1511",
        "WIN10_TH2",
        "Windows10",
        "1.17",
        "1511",
    ),
    OsVersion(
        "win10-1607",
        "Windows 10, version 1607",
        "WIN10_RS1",
        "Windows10",
        "1.19",
        "1607",
    ),
    OsVersion(
        "win10-1703",
        "Windows 10, version 1703",
        "WIN10_RS2",
        "Windows10",
        "1.21",
        "1703",
    ),
    OsVersion(
        "win10-1709",
        "Windows 10, version 1709",
        "WIN10_RS3",
        "Windows10",
        "1.23",
        "1709",
    ),
    OsVersion(
        "win10-1803",
        "Windows 10, version 1803",
        "WIN10_RS4",
        "Windows10",
        "1.25",
        "1803",
    ),
    OsVersion(
        "win10-1809",
        "Windows 10, version 1809",
        "WIN10_RS5",
        "Windows10",
        "1.27",
        "1809",
    ),
    OsVersion(
        "win10-1903",
        "Windows 10, version 1903",
        "WIN10_19H1",
        "Windows10",
        "1.29",
        "1903",
    ),
    OsVersion(
        "win10-2004",
        "Windows 10, version 2004",
        "WIN10_VB",
        "Windows10",
        "1.31",
        "2004",
    ),
    # 20H2, 21H1 and 21H2 are enablement-package releases of 2004 (builds 19042-19044
    # on the 19041 core), so their kernel exports are those of NTDDI_WIN10_VB. MN never
    # shipped as a client Windows, FE is Windows Server 2022 and CO is Windows 11 21H2:
    # guards at those values must never be compiled into a Windows 10 driver. KMDF
    # stayed at 1.31 ("Windows 10, version 2004 and later", kmdf-version-history).
    OsVersion("win10-20h2", "Windows 10, version 20H2", "WIN10_VB", "Windows10", "1.31"),
    OsVersion("win10-21h1", "Windows 10, version 21H1", "WIN10_VB", "Windows10", "1.31"),
    OsVersion("win10-21h2", "Windows 10, version 21H2", "WIN10_VB", "Windows10", "1.31"),
    OsVersion(
        "win11",
        "Windows 11, version 21H2",
        "WIN10_CO",
        "Windows10",
        "1.33",
        "Win11 21H2",
    ),
    OsVersion("win11-22h2", "Windows 11, version 22H2", "WIN10_NI", "Windows10", "1.33"),
)


@dataclass(frozen=True)
class FlagInfo:
    """What the headers do not say about an FWP_CALLOUT_FLAG_* bit."""

    min_api: int
    applies_to: str
    user_settable: bool
    summary: str


# min_api: the first FWPS_CALLOUTn whose documentation describes the flag. The
# post-Win8 bits (USO, URO) are documented on the CALLOUT2 page; RESERVED2 is not
# documented at all and is given the same value (it is never user-settable).
FLAG_INFO: dict[str, FlagInfo] = {
    "CONDITIONAL_ON_FLOW": FlagInfo(
        0,
        "flow",
        True,
        "Only invoke classifyFn for flows that carry a context from this callout.",
    ),
    "ALLOW_OFFLOAD": FlagInfo(
        0,
        "any",
        True,
        "Callout copes with NIC offloads; without it offload is turned off for its traffic.",
    ),
    "ENABLE_COMMIT_ADD_NOTIFY": FlagInfo(
        1,
        "any",
        True,
        "Also send notifyFn an ADD_FILTER_POST_COMMIT event once a transaction commits.",
    ),
    "ALLOW_MID_STREAM_INSPECTION": FlagInfo(
        1,
        "stream",
        True,
        "Let the callout start inspecting TCP streams that were already open.",
    ),
    "ALLOW_RECLASSIFY": FlagInfo(
        1,
        "ale",
        True,
        "Invoke the callout again when an existing socket operation is reclassified.",
    ),
    "RESERVED1": FlagInfo(2, "none", False, "Reserved for the system; never set it."),
    "ALLOW_RSC": FlagInfo(
        2,
        "inbound_tcp",
        True,
        "Callout accepts coalesced TCP receives (RSC); without it RSC is turned off.",
    ),
    "ALLOW_L2_BATCH_CLASSIFY": FlagInfo(
        2,
        "l2",
        True,
        "classifyFn may receive chains of NET_BUFFER_LISTs at the MAC frame layers.",
    ),
    "ALLOW_USO": FlagInfo(
        2,
        "outbound_udp",
        True,
        "Callout accepts UDP segmentation offload sends; without it USO is turned off.",
    ),
    "ALLOW_URO": FlagInfo(
        2,
        "inbound_udp",
        True,
        "Callout accepts coalesced UDP receives (URO); without it URO is turned off.",
    ),
    "RESERVED2": FlagInfo(2, "none", False, "Reserved for the system; never set it."),
}

APPLIES_TO_VALUES = frozenset(
    {
        "any",
        "flow",
        "stream",
        "l2",
        "inbound_tcp",
        "outbound_udp",
        "inbound_udp",
        "ale",
        "none",
    }
)

# One-line descriptions per layer stem (layer name without _V4/_V6/_DISCARD).
LAYER_SUMMARIES: dict[str, str] = {
    "INBOUND_IPPACKET": "Received IP packets once the IP header is parsed, before transport",
    "OUTBOUND_IPPACKET": "Outgoing IP packets once the IP header is built, before fragmentation",
    "IPFORWARD": "Packets this host routes from one interface to another",
    "INBOUND_TRANSPORT": "Received TCP, UDP and other transport packets, before socket delivery",
    "OUTBOUND_TRANSPORT": "Outgoing transport packets after the transport header is added",
    "STREAM": "The reassembled TCP byte stream of each connection, both directions",
    "DATAGRAM_DATA": "Per-flow UDP, raw and ICMP socket datagrams, both directions",
    "INBOUND_ICMP_ERROR": "Received ICMP error messages, with the embedded offending packet",
    "OUTBOUND_ICMP_ERROR": "ICMP error messages this host is about to send",
    "ALE_RESOURCE_ASSIGNMENT": "A socket getting a local address and port (bind or implicit bind)",
    "ALE_RESOURCE_RELEASE": "A socket giving back its local address and port",
    "ALE_AUTH_LISTEN": "Permission checks for TCP sockets that start listening",
    "ALE_AUTH_RECV_ACCEPT": "Permission checks for incoming connections and first inbound packets",
    "ALE_AUTH_CONNECT": "Permission checks for outgoing connections and first outbound packets",
    "ALE_FLOW_ESTABLISHED": "One event per connection or flow once it has been allowed and set up",
    "NAME_RESOLUTION_CACHE": "Name-to-address mappings added to the resolver cache",
    "ALE_ENDPOINT_CLOSURE": "A socket endpoint being closed",
    "ALE_CONNECT_REDIRECT": "Outgoing connection attempts whose destination may be rewritten",
    "ALE_BIND_REDIRECT": "Socket binds whose local address or port may be rewritten",
    "STREAM_PACKET": "Single TCP segments of established connections, both directions",
    "INBOUND_MAC_FRAME_ETHERNET": "Received Ethernet frames at layer 2",
    "OUTBOUND_MAC_FRAME_ETHERNET": "Ethernet frames about to be sent, at layer 2",
    "INBOUND_MAC_FRAME_NATIVE": "Received frames in the adapter's native (non-Ethernet) format",
    "OUTBOUND_MAC_FRAME_NATIVE": "Frames about to be sent in the adapter's native format",
    "INGRESS_VSWITCH_ETHERNET": "Ethernet frames entering a Hyper-V virtual switch port",
    "EGRESS_VSWITCH_ETHERNET": "Ethernet frames leaving a Hyper-V virtual switch port",
    "INGRESS_VSWITCH_TRANSPORT": "IP traffic entering a Hyper-V virtual switch, with port fields",
    "EGRESS_VSWITCH_TRANSPORT": "IP traffic leaving a Hyper-V virtual switch, with port fields",
    "INBOUND_TRANSPORT_FAST": "Inbound transport fast path; internal to Windows",
    "OUTBOUND_TRANSPORT_FAST": "Outbound transport fast path; internal to Windows",
    "INBOUND_MAC_FRAME_NATIVE_FAST": "Inbound native-frame fast path; internal to Windows",
    "OUTBOUND_MAC_FRAME_NATIVE_FAST": "Outbound native-frame fast path; internal to Windows",
    "INBOUND_RESERVED2": "Reserved layer with no published purpose",
    "RESERVED_LAYER_9": "Reserved layer with no published purpose",
    "RESERVED_LAYER_10": "Reserved layer with no published purpose",
    "RESERVED1": "Placeholder id used only when compiling for exactly Windows 7",
    "OUTBOUND_NETWORK_CONNECTION_POLICY": "Outgoing connections, for connection routing policy",
    "IPSEC_KM_DEMUX": "User-mode layer: picks the IPsec keying module for a peer",
    "IPSEC": "User-mode layer: IPsec policy for a traffic selector",
    "IKEEXT": "User-mode layer: IKE and AuthIP negotiations",
    "RPC_UM": "User-mode layer: calls into RPC interfaces",
    "RPC_EPMAP": "User-mode layer: RPC endpoint-mapper look-ups",
    "RPC_EP_ADD": "User-mode layer: RPC endpoint registrations",
    "RPC_PROXY_CONN": "User-mode layer: connections through the RPC-over-HTTP proxy",
    "RPC_PROXY_IF": "User-mode layer: interface calls through the RPC-over-HTTP proxy",
    "KM_AUTHORIZATION": "User-mode layer: authorizing IPsec keying-module peers",
}

# fwpsk.h declares these enum members with a prefix that differs from the rest
# of their enum (FWPS_FIELDS_IPSEC_KM_DEMUX_V4/V6, user-mode layers). They are
# catalogued under the suffix they would have had; any other irregular member
# stops the build.
IRREGULAR_FIELDS: dict[str, str] = {
    "FWPS_FIELD_KM_DEMUX_V4_IPSEC_SECURITY_REALM_ID": "IPSEC_SECURITY_REALM_ID",
    "FWPS_FIELD_KM_DEMUX_V6_IPSEC_SECURITY_REALM_ID": "IPSEC_SECURITY_REALM_ID",
}

FAMILY_SUFFIX = {"v4": " (IPv4)", "v6": " (IPv6)", "l2": "", "any": ""}


class CatalogError(Exception):
    """The inputs disagree with each other or cannot be parsed."""


def fail(message: str) -> CatalogError:
    """Build an error to raise (keeps call sites short)."""
    return CatalogError(message)


# ---------------------------------------------------------------------------
# A tiny preprocessor model: which NTDDI conditions guard each line.
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Cond:
    """One ``#if`` frame: ``NTDDI_VERSION <op> NTDDI_<name>``, or unknown (op "?")."""

    op: str
    name: str | None = None

    def negated(self) -> Cond:
        """The condition of the matching ``#else`` branch."""
        flip = {">=": "<", "<": ">=", "==": "!=", "!=": "=="}
        if self.op == "?":
            return self
        return Cond(flip[self.op], self.name)

    def holds(self, version: int) -> bool:
        """Whether the branch is compiled for ``NTDDI_VERSION == version``."""
        if self.op == "?" or self.name is None:
            return True
        value = ntddi_value(self.name)
        return {
            ">=": version >= value,
            "<": version < value,
            "==": version == value,
            "!=": version != value,
        }[self.op]


Stack = tuple[Cond, ...]

_NTDDI_COND = re.compile(r"^\(?\s*NTDDI_VERSION\s*(>=|==)\s*NTDDI_(\w+)\s*\)?$")
_DIRECTIVE = re.compile(r"^\s*#\s*(\w+)\s*(.*)$")


def ntddi_value(name: str) -> int:
    """The numeric value of an NTDDI_* name (without the prefix)."""
    if name not in NTDDI:
        raise fail(f"unknown NTDDI constant NTDDI_{name}")
    return NTDDI[name]


def strip_comments(text: str) -> str:
    """Remove C comments, keeping line breaks so line numbers stay valid."""
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.DOTALL)
    return re.sub(r"//[^\n]*", "", text)


def guarded_lines(text: str) -> list[tuple[str, Stack]]:
    """Each line of ``text`` (comments removed) with the ``#if`` frames around it."""
    stack: list[Cond] = []
    out: list[tuple[str, Stack]] = []
    for line in strip_comments(text).split("\n"):
        match = _DIRECTIVE.match(line)
        if match is None:
            out.append((line, tuple(stack)))
            continue
        keyword, rest = match.group(1), match.group(2).strip()
        if keyword == "if":
            cond = _NTDDI_COND.match(rest)
            stack.append(Cond(cond.group(1), cond.group(2)) if cond else Cond("?"))
        elif keyword in ("ifdef", "ifndef"):
            stack.append(Cond("?"))
        elif keyword == "else":
            if not stack:
                raise fail("#else without #if")
            stack[-1] = stack[-1].negated()
        elif keyword == "elif":
            if not stack:
                raise fail("#elif without #if")
            stack[-1] = Cond("?")
        elif keyword == "endif":
            if not stack:
                raise fail("#endif without #if")
            stack.pop()
        else:
            # #define, #include, #pragma ...: keep the text, guarded like code.
            out.append((line, tuple(stack)))
            continue
        out.append(("", tuple(stack)))
    if stack:
        raise fail("unbalanced #if/#endif")
    return out


def min_guard(stack: Stack) -> str:
    """The highest NTDDI that the frames require (WIN6 when none do)."""
    names = [c.name for c in stack if c.op in (">=", "==") and c.name is not None]
    return max(names, key=ntddi_value, default="WIN6")


def only_exact(stack: Stack) -> bool:
    """Whether some frame requires an exact NTDDI (``==``)."""
    return any(c.op == "==" for c in stack)


def active(stack: Stack, version: int) -> bool:
    """Whether a line under ``stack`` is compiled for ``NTDDI_VERSION == version``."""
    return all(c.holds(version) for c in stack)


def max_ntddi(*names: str) -> str:
    """The newest of several NTDDI names."""
    return max(names, key=ntddi_value)


# ---------------------------------------------------------------------------
# Header parsing
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Enum:
    """A C ``typedef enum`` with its members and their guards."""

    typedef: str
    members: tuple[tuple[str, Stack], ...]
    stack: Stack  # guards around the ``typedef enum`` line


_ENUM_START = re.compile(r"^\s*typedef\s+enum\s+(\w+)")
_ENUM_END = re.compile(r"^\s*}\s*(\w+)\s*;")
_ENUM_MEMBER = re.compile(r"^\s*([A-Za-z_]\w*)\s*(=[^,]*)?,?\s*$")


def parse_enums(lines: list[tuple[str, Stack]], prefix: tuple[str, ...]) -> dict[str, Enum]:
    """The ``typedef enum`` blocks whose typedef name starts with one of ``prefix``.

    Keyed by the typedef name after the closing brace; only those enums are
    parsed (strictly: one plain member per line, no explicit values).
    """
    enums: dict[str, Enum] = {}
    body: list[tuple[str, Stack]] | None = None
    start_stack: Stack = ()
    for line, stack in lines:
        if body is None:
            if _ENUM_START.match(line):
                body, start_stack = [], stack
            continue
        end = _ENUM_END.match(line)
        if end is None:
            body.append((line, stack))
            continue
        typedef = end.group(1)
        body_lines, body = body, None
        if not typedef.startswith(prefix):
            continue
        members: list[tuple[str, Stack]] = []
        for text, frames in body_lines:
            member = _ENUM_MEMBER.match(text)
            if member and not member.group(2):
                members.append((member.group(1), frames))
            elif text.strip() not in ("", "{"):
                raise fail(f"cannot parse a line of enum {typedef}: {text.strip()!r}")
        enums[typedef] = Enum(typedef, tuple(members), start_stack)
    return enums


def enum_values(enum: Enum, version: int) -> dict[str, int]:
    """The numeric value of each member compiled for ``NTDDI_VERSION == version``."""
    names = [name for name, stack in enum.members if active(stack, version)]
    return {name: index for index, name in enumerate(names)}


def parse_defines(text: str, prefix: str) -> dict[str, str]:
    """``#define <prefix>X <token>`` pairs (continuation lines joined)."""
    joined = strip_comments(text).replace("\\\n", " ")
    pattern = re.compile(rf"^\s*#\s*define\s+({prefix}\w+)\s+(\w+)\s*$", re.MULTILINE)
    return {m.group(1): m.group(2) for m in pattern.finditer(joined)}


def find_guard(lines: list[tuple[str, Stack]], pattern: str) -> Stack:
    """The guards of the single line matching ``pattern``."""
    regex = re.compile(pattern)
    hits = [stack for line, stack in lines if regex.search(line)]
    if len(hits) != 1:
        raise fail(f"expected exactly one line matching {pattern!r}, found {len(hits)}")
    return hits[0]


def fwpm_layer_guids(text: str) -> dict[str, Stack]:
    """FWPM_LAYER_* GUIDs defined in fwpmk.h, with their guards."""
    lines = guarded_lines(text)
    joined = "\n".join(line for line, _ in lines)
    out: dict[str, Stack] = {}
    for match in re.finditer(r"DEFINE_GUID\s*\(\s*FWPM_LAYER_(\w+)\s*,", joined):
        line_no = joined.count("\n", 0, match.start())
        out[match.group(1)] = lines[line_no][1]
    if not out:
        raise fail("no FWPM_LAYER_* DEFINE_GUID found in fwpmk.h")
    return out


def callout_flags(text: str) -> list[tuple[str, int, str]]:
    """(name, value, guard) of each FWP_CALLOUT_FLAG_* in fwptypes.h, in value order."""
    pattern = re.compile(r"^\s*#\s*define\s+FWP_CALLOUT_FLAG_(\w+)\s+\(?\s*(0x[0-9A-Fa-f]+)")
    flags: list[tuple[str, int, str]] = []
    for line, stack in guarded_lines(text):
        match = pattern.match(line)
        if match:
            flags.append((match.group(1), int(match.group(2), 16), min_guard(stack)))
    if not flags:
        raise fail("no FWP_CALLOUT_FLAG_* found in fwptypes.h")
    return sorted(flags, key=lambda f: f[1])


# ---------------------------------------------------------------------------
# Fact sheet parsing
# ---------------------------------------------------------------------------


def facts_section(facts: str, heading: str) -> str:
    """The text of the ``## <heading>`` section of the fact sheet."""
    match = re.search(rf"^## {re.escape(heading)}.*?(?=^## |\Z)", facts, re.MULTILINE | re.DOTALL)
    if match is None:
        raise fail(f"section '## {heading}' not found in the fact sheet")
    return match.group(0)


def appendix_rows(facts: str) -> list[list[Any]]:
    """The rows of the Appendix A JSON block."""
    section = facts_section(facts, "Appendix A")
    match = re.search(r"```json\s*\n(.*?)\n```", section, re.DOTALL)
    if match is None:
        raise fail("no ```json block in Appendix A")
    data = json.loads(match.group(1))
    rows: list[list[Any]] = data["rows"]
    if len(data["columns"]) != 10 or any(len(r) != 10 for r in rows):
        raise fail("Appendix A rows do not have the expected 10 columns")
    return rows


def table_rows(section: str) -> Iterator[list[str]]:
    """Markdown table rows of a section, as stripped cells."""
    for line in section.splitlines():
        if line.startswith("|") and not line.startswith("|---"):
            yield [cell.strip() for cell in line.strip().strip("|").split("|")]


# ---------------------------------------------------------------------------
# Catalog building
# ---------------------------------------------------------------------------


def layer_stem(name: str) -> str:
    """A layer name without _DISCARD and the _V4/_V6 family suffix."""
    stem = name.removesuffix("_DISCARD")
    return re.sub(r"_V[46]$", "", stem)


def layer_group(name: str, kernel_callout: str) -> str:
    """The display/behaviour group of a layer."""
    stem = layer_stem(name)
    if kernel_callout == "um":
        return "um"
    if stem.endswith("_FAST"):
        return "fast"
    if "RESERVED" in stem:
        return "reserved"
    groups = {
        "INBOUND_IPPACKET": "ip_packet",
        "OUTBOUND_IPPACKET": "ip_packet",
        "IPFORWARD": "ip_forward",
        "INBOUND_TRANSPORT": "transport",
        "OUTBOUND_TRANSPORT": "transport",
        "STREAM": "stream",
        "STREAM_PACKET": "stream_packet",
        "DATAGRAM_DATA": "datagram_data",
        "INBOUND_ICMP_ERROR": "icmp_error",
        "OUTBOUND_ICMP_ERROR": "icmp_error",
        "ALE_RESOURCE_ASSIGNMENT": "ale_resource",
        "ALE_RESOURCE_RELEASE": "ale_resource",
        "ALE_AUTH_LISTEN": "ale_listen",
        "ALE_AUTH_RECV_ACCEPT": "ale_recv_accept",
        "ALE_AUTH_CONNECT": "ale_connect",
        "ALE_FLOW_ESTABLISHED": "ale_flow_established",
        "ALE_ENDPOINT_CLOSURE": "ale_endpoint_closure",
        "ALE_CONNECT_REDIRECT": "ale_redirect",
        "ALE_BIND_REDIRECT": "ale_redirect",
        "NAME_RESOLUTION_CACHE": "name_resolution",
        "OUTBOUND_NETWORK_CONNECTION_POLICY": "connection_policy",
    }
    if stem in groups:
        return groups[stem]
    if "_MAC_FRAME_" in stem:
        return "mac_frame"
    if "_VSWITCH_" in stem:
        return "vswitch"
    raise fail(f"no group for layer {name}")


# Layers that report an event rather than ask for a decision: a callout there
# can release what it allocated for the endpoint, but there is nothing left to
# permit or block (NET:ale-endpoint-lifetime-management, "ALE Endpoint Lifetime
# Management": the release and closure layers exist so callouts can free
# per-endpoint resources).
INFORMATIONAL_STEMS = frozenset({"ALE_RESOURCE_RELEASE", "ALE_ENDPOINT_CLOSURE"})


def layer_purpose(name: str, discard: bool) -> str:
    """What a callout at the layer is for.

    ``filter``: it permits or blocks; ``discard``: it observes traffic WFP has
    already dropped (the ``*_DISCARD`` layers; FWPS_METADATA_FIELD_DISCARD_REASON
    says why, NET:metadata-fields-at-each-filtering-layer); ``informational``: it
    is told about an event that cannot be refused.
    """
    if discard:
        return "discard"
    if layer_stem(name) in INFORMATIONAL_STEMS:
        return "informational"
    return "filter"


def layer_summary(name: str, family: str, discard: bool) -> str:
    """A one-line description of what a layer sees."""
    stem = layer_stem(name)
    if stem not in LAYER_SUMMARIES:
        raise fail(f"no summary written for layer stem {stem}")
    text = LAYER_SUMMARIES[stem] + FAMILY_SUFFIX[family]
    if discard:
        base = name.removesuffix("_DISCARD")
        if stem == "STREAM":
            return f"Discard layer of {base}; reserved, no traffic is documented for it"
        return f"Traffic dropped at {base}, shown so callouts can observe discards"
    return text


@dataclass(frozen=True)
class Headers:
    """Everything parsed from the WDK headers."""

    layers_enum: Enum
    km_layer_max: str
    field_enums: dict[str, Enum]
    field_aliases: dict[str, str]
    fwpm_guids: dict[str, Stack]
    fwpsk_lines: list[tuple[str, Stack]]


def read_headers(fwpsk_text: str, fwpmk_text: str) -> Headers:
    """Parse fwpsk.h and fwpmk.h."""
    lines = guarded_lines(fwpsk_text)
    enums = parse_enums(lines, ("FWPS_FIELDS_", "FWPS_BUILTIN_LAYERS"))
    if "FWPS_BUILTIN_LAYERS" not in enums:
        raise fail("FWPS_BUILTIN_LAYERS enum not found in fwpsk.h")
    defines = parse_defines(fwpsk_text, "FWPS_")
    km_max = defines.get("FWPS_BUILTIN_KM_LAYER_MAX")
    if km_max is None:
        raise fail("FWPS_BUILTIN_KM_LAYER_MAX not defined in fwpsk.h")
    field_enums = {
        name.removeprefix("FWPS_FIELDS_"): enum
        for name, enum in enums.items()
        if name.startswith("FWPS_FIELDS_")
    }
    aliases = {k: v for k, v in defines.items() if k.startswith("FWPS_FIELD_")}
    return Headers(
        layers_enum=enums["FWPS_BUILTIN_LAYERS"],
        km_layer_max=km_max.removeprefix("FWPS_LAYER_"),
        field_enums=field_enums,
        field_aliases=aliases,
        fwpm_guids=fwpm_layer_guids(fwpmk_text),
        fwpsk_lines=lines,
    )


def member_prefix(enum: Enum) -> str:
    """The ``FWPS_FIELD_<prefix>_`` shared by an FWPS_FIELDS enum (from its _MAX)."""
    last = enum.members[-1][0] if enum.members else ""
    if not (last.startswith("FWPS_FIELD_") and last.endswith("_MAX")):
        raise fail(f"FWPS_FIELDS_{enum.typedef} does not end with a _MAX member")
    prefix = last.removesuffix("MAX")
    for name, _ in enum.members:
        if not name.startswith(prefix) and name not in IRREGULAR_FIELDS:
            raise fail(f"{name} does not share the prefix {prefix} of its enum")
    return prefix


def build_fields(
    headers: Headers, fields_enum: str, layer_min: str
) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """(fields, aliases) of one FWPS_FIELDS enum."""
    enum = headers.field_enums.get(fields_enum)
    if enum is None:
        raise fail(f"FWPS_FIELDS_{fields_enum} not found in fwpsk.h")
    prefix = member_prefix(enum)
    fields: list[dict[str, str]] = []
    names: set[str] = set()
    for name, stack in enum.members[:-1]:
        if not active(stack, NTDDI_MAX):
            raise fail(f"{name} is not compiled at the newest NTDDI; cannot place it")
        short = IRREGULAR_FIELDS.get(name) or name.removeprefix(prefix)
        names.add(short)
        fields.append({"min_ntddi": max_ntddi(min_guard(stack), layer_min), "name": short})
    aliases: list[dict[str, str]] = []
    for alias, target in sorted(headers.field_aliases.items()):
        if alias.startswith(prefix) and target.startswith(prefix):
            of = target.removeprefix(prefix)
            if of in names:
                aliases.append({"name": alias.removeprefix(prefix), "of": of})
    return fields, aliases


def check_aliases_assigned(headers: Headers) -> None:
    """Every FWPS_FIELD_* #define must alias a member of some FWPS_FIELDS enum."""
    members = {name for enum in headers.field_enums.values() for name, _ in enum.members[:-1]}
    for alias, target in headers.field_aliases.items():
        if target not in members:
            raise fail(f"#define {alias} {target}: target is not an enum member")


def build_layers(headers: Headers, facts: str) -> list[dict[str, Any]]:
    """The layers array, checked against fwpsk.h and fwpmk.h."""
    rows = appendix_rows(facts)
    newest = enum_values(headers.layers_enum, NTDDI_MAX)
    max_id = newest.pop("FWPS_BUILTIN_LAYER_MAX", None)
    if max_id is None:
        raise fail("FWPS_BUILTIN_LAYER_MAX missing from FWPS_BUILTIN_LAYERS")
    guards = dict(headers.layers_enum.members)
    km_max_id = newest[f"FWPS_LAYER_{headers.km_layer_max}"]

    layers: list[dict[str, Any]] = []
    seen: set[str] = set()
    last_id = -1
    for row in rows:
        fwps_id, name, guid_name, family, discard, min_ntddi_text = row[:6]
        kernel_callout, flow, fields_enum, layer_data = row[6:]
        c_name = f"FWPS_LAYER_{name}"
        if c_name not in guards:
            raise fail(f"Appendix A layer {name} is not in FWPS_BUILTIN_LAYERS")
        stack = guards[c_name]
        exact = only_exact(stack)
        # Exact-version members get their id from the one NTDDI that compiles them.
        version = ntddi_value(min_guard(stack)) if exact else NTDDI_MAX
        values = enum_values(headers.layers_enum, version)
        if values.get(c_name) != fwps_id:
            raise fail(f"{name}: Appendix A id {fwps_id}, fwpsk.h id {values.get(c_name)}")
        if fwps_id < last_id:
            raise fail(f"Appendix A is not in fwps_id order at {name}")
        last_id = fwps_id
        seen.add(c_name)

        has_guid = name in headers.fwpm_guids
        if has_guid != (guid_name is not None):
            raise fail(f"{name}: Appendix A GUID {guid_name!r}, fwpmk.h has_guid={has_guid}")
        if guid_name is not None and guid_name != name:
            raise fail(f"{name}: Appendix A GUID name {guid_name} differs from layer name")
        header_min = min_guard(stack)
        if has_guid:
            header_min = max_ntddi(header_min, min_guard(headers.fwpm_guids[name]))
        min_ntddi = str(min_ntddi_text).split()[0]
        if min_ntddi != header_min:
            raise fail(f"{name}: Appendix A min_ntddi {min_ntddi}, headers say {header_min}")
        if exact != ("only ==" in str(min_ntddi_text)):
            raise fail(f"{name}: exact-NTDDI guard and Appendix A disagree")

        if discard != name.endswith("_DISCARD"):
            raise fail(f"{name}: Appendix A discard={discard} contradicts the name")
        if kernel_callout not in ("yes", "internal", "um"):
            raise fail(f"{name}: bad kernel_callout {kernel_callout!r}")
        if (kernel_callout == "um") != (fwps_id >= km_max_id and not exact):
            raise fail(f"{name}: kernel_callout {kernel_callout} contradicts KM_LAYER_MAX")
        if flow not in (True, False, "assoc-target"):
            raise fail(f"{name}: bad flow_capable {flow!r}")
        if family not in FAMILY_SUFFIX:
            raise fail(f"{name}: bad family {family!r}")

        base = name.removesuffix("_DISCARD")
        fields: list[dict[str, str]] = []
        aliases: list[dict[str, str]] = []
        if fields_enum is not None:
            fields, aliases = build_fields(headers, fields_enum, min_ntddi)
        layers.append(
            {
                "aliases": aliases,
                "base": base,
                "discard": discard,
                "family": family,
                "fields": fields,
                "fields_enum": fields_enum,
                "flow_capable": flow,
                "fwps_id": fwps_id,
                "group": layer_group(name, kernel_callout),
                "has_fwpm_guid": has_guid,
                "kernel_callout": kernel_callout,
                "layer_data": layer_data,
                "min_ntddi": min_ntddi,
                "name": name,
                "purpose": layer_purpose(name, discard),
                "summary": layer_summary(name, family, discard),
            }
        )

    missing = sorted(set(newest) - seen)
    if missing:
        raise fail(f"FWPS_BUILTIN_LAYERS members missing from Appendix A: {missing}")
    if len(newest) != max_id:
        raise fail(f"FWPS_BUILTIN_LAYER_MAX is {max_id} but {len(newest)} layers precede it")
    names = {layer["name"] for layer in layers}
    extra_guids = sorted(set(headers.fwpm_guids) - names)
    if extra_guids:
        raise fail(f"FWPM_LAYER_* GUIDs without an Appendix A row: {extra_guids}")
    for layer in layers:
        if layer["base"] not in names:
            raise fail(f"{layer['name']}: base layer {layer['base']} is not a layer")
        if layer["discard"]:
            base = next(x for x in layers if x["name"] == layer["base"])
            if base["fields_enum"] != layer["fields_enum"]:
                raise fail(f"{layer['name']}: fields enum differs from its base layer")
    unused = sorted(set(headers.field_enums) - {x["fields_enum"] for x in layers})
    if unused:
        raise fail(f"FWPS_FIELDS_* enums no Appendix A layer uses: {unused}")
    check_aliases_assigned(headers)
    return layers


def build_api_versions(headers: Headers, facts: str, fwpstypes: str | None) -> list[dict[str, Any]]:
    """Callout API versions 0..3 with the NTDDI that declares all their pieces."""
    lines = headers.fwpsk_lines
    filter_lines = guarded_lines(fwpstypes) if fwpstypes is not None else None
    table = {
        row[0]: row
        for row in table_rows(facts_section(facts, "1. Callout API versions"))
        if re.fullmatch(r"FWPS_CALLOUT\d", row[0])
    }
    versions: list[dict[str, Any]] = []
    for n in range(4):
        struct_guard = min_guard(find_guard(lines, rf"^\s*}}\s*FWPS_CALLOUT{n}\s*;"))
        register_guard = min_guard(find_guard(lines, rf"^\s*FwpsCalloutRegister{n}\s*\("))
        classify_guard = min_guard(find_guard(lines, rf"\*\s*FWPS_CALLOUT_CLASSIFY_FN{n}\s*\)"))
        notify_guard = min_guard(find_guard(lines, rf"\*\s*FWPS_CALLOUT_NOTIFY_FN{n}\s*\)"))
        guards = [struct_guard, register_guard, classify_guard, notify_guard]
        if filter_lines is not None:
            guards.append(min_guard(find_guard(filter_lines, rf"^\s*}}\s*FWPS_FILTER{n}\s*;")))
        row = table.get(f"FWPS_CALLOUT{n}")
        if row is None:
            raise fail(f"FWPS_CALLOUT{n} missing from the fact sheet's section 1.1 table")
        documented = row[-1].replace("*", "").split("/")
        if [g.strip() for g in documented] != [struct_guard, register_guard]:
            raise fail(
                f"FWPS_CALLOUT{n}: fact sheet guards {row[-1]}, "
                f"fwpsk.h {struct_guard} / {register_guard}"
            )
        versions.append(
            {
                "callout_struct": f"FWPS_CALLOUT{n}",
                "classify_context": classify_takes_context(lines, n),
                "classify_fn_type": f"FWPS_CALLOUT_CLASSIFY_FN{n}",
                "filter_struct": f"FWPS_FILTER{n}",
                "min_ntddi": max_ntddi(*guards),
                "notify_fn_type": f"FWPS_CALLOUT_NOTIFY_FN{n}",
                "register_fn": f"FwpsCalloutRegister{n}",
                "version": n,
            }
        )
    return versions


def classify_takes_context(lines: list[tuple[str, Stack]], n: int) -> bool:
    """Whether FWPS_CALLOUT_CLASSIFY_FN<n> has a classifyContext parameter."""
    text = "\n".join(line for line, _ in lines)
    match = re.search(rf"\*\s*FWPS_CALLOUT_CLASSIFY_FN{n}\s*\)\s*\((.*?)\)\s*;", text, re.DOTALL)
    if match is None:
        raise fail(f"cannot find the parameter list of FWPS_CALLOUT_CLASSIFY_FN{n}")
    return re.search(r"\bclassifyContext\b", match.group(1)) is not None


def build_flags(fwptypes: str, facts: str) -> list[dict[str, Any]]:
    """FWP_CALLOUT_FLAG_* entries, values and guards from fwptypes.h."""
    documented = {
        row[0]: row
        for row in table_rows(facts_section(facts, "2. Callout flags"))
        if re.fullmatch(r"[A-Z0-9_]+", row[0])
    }
    flags: list[dict[str, Any]] = []
    for name, value, guard in callout_flags(fwptypes):
        info = FLAG_INFO.get(name)
        if info is None:
            raise fail(f"fwptypes.h defines FWP_CALLOUT_FLAG_{name}, which this script lacks")
        if info.applies_to not in APPLIES_TO_VALUES:
            raise fail(f"{name}: bad applies_to {info.applies_to}")
        row = documented.get(name)
        if row is None or len(row) != 6:
            raise fail(f"FWP_CALLOUT_FLAG_{name} missing or malformed in fact sheet section 2")
        if int(row[1], 16) != value or row[3] != guard:
            raise fail(f"{name}: fact sheet says {row[1]}/{row[3]}, fwptypes.h {value:#x}/{guard}")
        struct = re.match(r"CALLOUT(\d)", row[4])
        if struct and int(struct.group(1)) != info.min_api:
            raise fail(f"{name}: fact sheet first struct {row[4]}, script min_api {info.min_api}")
        flags.append(
            {
                "applies_to": info.applies_to,
                "min_api": info.min_api,
                "min_ntddi": guard,
                "name": name,
                "summary": info.summary,
                "user_settable": info.user_settable,
                "value": value,
            }
        )
    missing = sorted(set(FLAG_INFO) - {f["name"] for f in flags})
    if missing:
        raise fail(f"flags known to this script but absent from fwptypes.h: {missing}")
    return flags


def check_ntddi(facts: str, sdkddkver: str | None) -> None:
    """Compare the NTDDI table with sdkddkver.h and section 0 of the fact sheet."""
    if sdkddkver is not None:
        for match in re.finditer(r"#define\s+NTDDI_(\w+)\s+(0x[0-9A-Fa-f]+)", sdkddkver):
            name, value = match.group(1), int(match.group(2), 16)
            if name in NTDDI and NTDDI[name] != value:
                raise fail(f"NTDDI_{name}: sdkddkver.h {value:#x}, script {NTDDI[name]:#x}")
    section = facts_section(facts, "0. NTDDI constants")
    found = 0
    for match in re.finditer(r"\b([A-Z0-9_]+)(?:\([^)]*\))? (0x[0-9A-Fa-f]{8})", section):
        name = match.group(1)
        name = name if name in NTDDI else f"WIN10_{name}"
        if name in NTDDI:
            found += 1
            if NTDDI[name] != int(match.group(2), 16):
                raise fail(f"NTDDI_{name}: fact sheet {match.group(2)}, script {NTDDI[name]:#x}")
    if found < 5:
        raise fail("could not read the NTDDI constants in section 0 of the fact sheet")


def check_os(facts: str) -> None:
    """Compare the KMDF in-box versions with the fact sheet's KMDF history."""
    match = re.search(r"KMDF minor → OS: (.*?) \(DOCS", facts)
    if match is None:
        raise fail("KMDF version history not found in the fact sheet (section 7.1)")
    history = {
        label.strip(): f"1.{minor}" for minor, label in re.findall(r"(\d+)=([^,]+)", match.group(1))
    }
    checked = 0
    for os in OS_VERSIONS:
        if os.ntddi not in NTDDI:
            raise fail(f"{os.id}: unknown NTDDI {os.ntddi}")
        if os.facts_label is not None:
            if history.get(os.facts_label) != os.kmdf_inbox:
                raise fail(
                    f"{os.id}: KMDF {os.kmdf_inbox}, fact sheet {history.get(os.facts_label)}"
                )
            checked += 1
    if checked != len(history):
        raise fail("the fact sheet's KMDF history has entries this script does not map")
    values = [NTDDI[os.ntddi] for os in OS_VERSIONS]
    if values != sorted(values):
        raise fail("OS_VERSIONS is not ordered oldest first")


def build_catalog(
    fwpsk: str,
    fwpmk: str,
    fwptypes: str,
    facts: str,
    fwpstypes: str | None = None,
    sdkddkver: str | None = None,
) -> dict[str, Any]:
    """The whole catalog as a JSON-ready dict."""
    check_ntddi(facts, sdkddkver)
    check_os(facts)
    headers = read_headers(fwpsk, fwpmk)
    return {
        "api_versions": build_api_versions(headers, facts, fwpstypes),
        "flags": build_flags(fwptypes, facts),
        "generated_from": GENERATED_FROM,
        "layers": build_layers(headers, facts),
        "ntddi": {name: f"0x{value:08X}" for name, value in NTDDI.items()},
        "os": [
            {
                "id": os.id,
                "kmdf_inbox": os.kmdf_inbox,
                "ntddi": os.ntddi,
                "target_version": os.target_version,
                "title": os.title,
            }
            for os in OS_VERSIONS
        ],
    }


def find_shared_header(km_header: Path, name: str) -> Path | None:
    """Look for an SDK 'shared' header next to a km header."""
    km_dir = km_header.resolve().parent
    for candidate in (
        km_dir.parent / "shared" / name,
        km_dir.parent.parent / "sdk" / "shared" / name,
    ):
        if candidate.is_file():
            return candidate
    return None


def read_text(path: Path) -> str:
    """Read a header or markdown file (headers may carry odd bytes)."""
    return path.read_text(encoding="utf-8", errors="replace")


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--fwpsk", type=Path, required=True, help="WDK km/fwpsk.h")
    parser.add_argument("--fwpmk", type=Path, required=True, help="WDK km/fwpmk.h")
    parser.add_argument("--facts", type=Path, required=True, help="wfp-facts.md")
    parser.add_argument("--out", type=Path, required=True, help="catalog.json to write")
    parser.add_argument("--fwptypes", type=Path, help="shared/fwptypes.h (default: found)")
    parser.add_argument("--fwpstypes", type=Path, help="shared/fwpstypes.h (optional check)")
    parser.add_argument("--sdkddkver", type=Path, help="shared/sdkddkver.h (optional check)")
    args = parser.parse_args(argv)

    fwptypes = args.fwptypes or find_shared_header(args.fwpsk, "fwptypes.h")
    if fwptypes is None:
        parser.error("fwptypes.h not found next to fwpsk.h; pass --fwptypes")
    fwpstypes = args.fwpstypes or find_shared_header(args.fwpsk, "fwpstypes.h")
    sdkddkver = args.sdkddkver or find_shared_header(args.fwpsk, "sdkddkver.h")
    try:
        catalog = build_catalog(
            fwpsk=read_text(args.fwpsk),
            fwpmk=read_text(args.fwpmk),
            fwptypes=read_text(fwptypes),
            facts=read_text(args.facts),
            fwpstypes=read_text(fwpstypes) if fwpstypes else None,
            sdkddkver=read_text(sdkddkver) if sdkddkver else None,
        )
    except CatalogError as error:
        print(f"build_catalog: error: {error}", file=sys.stderr)
        return 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(catalog, indent=1, ensure_ascii=False) + "\n"
    args.out.write_text(text, encoding="utf-8", newline="\n")
    # The small index TAB completion reads instead of the whole catalog.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from wfpgen.core.catalog_data import completion_index

    index = completion_index(json.loads(text))
    (args.out.parent / "completion.tsv").write_text(index, encoding="utf-8", newline="\n")
    kernel = sum(1 for layer in catalog["layers"] if layer["kernel_callout"] == "yes")
    print(f"wrote {args.out}: {len(catalog['layers'])} layers ({kernel} for kernel callouts)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
