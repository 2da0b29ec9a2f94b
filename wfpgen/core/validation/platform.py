"""E2xx: layers, flags, Windows and KMDF versions, architectures.

Each check compares what the spec asks for with the catalog (``wfpgen layers``,
``wfpgen flags``): whether a layer or flag exists, may be used by a kernel
callout, and exists in the oldest Windows the driver supports.
"""

from dataclasses import dataclass

from wfpgen.core.catalog import CalloutFlag, Catalog, Layer, WindowsVersion
from wfpgen.core.spec import CalloutSpec
from wfpgen.core.validation.facts import (
    ARM64_MIN_OS,
    KMDF_VERSIONS,
    KMDF_WITHOUT_HEADERS,
    default_kmdf,
    flag_misfit,
    is_flow_target,
    kmdf_minor,
    needs,
    unknown,
)
from wfpgen.core.validation.registry import Group

KMDF_SOURCE = (
    "Microsoft Learn: KMDF Version History; Building a WDF Driver for Multiple Versions of Windows"
)
LAYER_SOURCE = "Microsoft Learn: Filtering Layer Identifiers; Run-time Filtering Layer Identifiers"
FLAG_SOURCE = "Microsoft Learn: FWPS_CALLOUT0-3 structures (fwpsk.h), flags member"


@dataclass(frozen=True)
class MinOs:
    """driver.min_os and the Windows version it names, if any."""

    where: str
    name: str
    windows: WindowsVersion | None
    catalog: Catalog


MIN_OS = Group[MinOs]("minimum Windows", first_only=True)


@MIN_OS.rule(
    "E201",
    "unknown Windows version",
    explanation="""driver.min_os names the oldest Windows the driver runs on; it decides the
    NTDDI_VERSION the project builds with, and so which layers, flags and KMDF version it
    may use. wfpgen knows the versions `wfpgen new --help` lists under --min-os.""",
    fix="Use one of the listed ids, e.g. win10-1709 or win11.",
    source="Microsoft Learn: Using the Windows Headers (NTDDI_VERSION)",
)
def unknown_windows(subject: MinOs) -> str | None:
    """min_os is not in the catalog."""
    if subject.windows is not None:
        return None
    catalog = subject.catalog
    return unknown(
        "Windows version",
        subject.name,
        catalog.suggest_windows(subject.name),
        [w.id for w in catalog.windows],
    )


@dataclass(frozen=True)
class Kmdf:
    """driver.kmdf_version, with the Windows version the driver targets."""

    where: str
    kmdf: str
    windows: WindowsVersion


KMDF = Group[Kmdf]("KMDF version", first_only=True)


@KMDF.rule(
    "E202",
    "unknown KMDF version",
    explanation="""KMDF versions that ship in Windows 10 and 11 have odd minor numbers, 1.9
    to 1.33; the project's KMDF_VERSION_MINOR must be one the WDK has headers for.""",
    fix="Use one of the versions the message lists, or leave kmdf_version out for the default.",
    source=KMDF_SOURCE,
)
def unknown_kmdf(subject: Kmdf) -> str | None:
    """The version is not one KMDF ever shipped."""
    if subject.kmdf in KMDF_VERSIONS:
        return None
    return f"unknown KMDF version '{subject.kmdf}'; use one of {', '.join(KMDF_VERSIONS)}"


@KMDF.rule(
    "E203",
    "KMDF 1.29 has no headers in any WDK",
    explanation="""KMDF 1.29 is the framework of Windows 10, version 1903, but no WDK shipped
    headers or libraries for it, so a project cannot build against it.""",
    fix="Use 1.27 (runs on 1809 and later) or 1.31 (2004 and later).",
    source=KMDF_SOURCE,
)
def kmdf_without_headers(subject: Kmdf) -> str | None:
    """The version is 1.29."""
    if subject.kmdf != KMDF_WITHOUT_HEADERS:
        return None
    return "no WDK ships KMDF 1.29 headers; use 1.27 or 1.31"


@KMDF.rule(
    "E204",
    "the KMDF version is newer than the minimum Windows has",
    explanation="""A KMDF driver needs a framework at least as new as the one it was built
    for. A generated project relies on the framework that comes with Windows (it ships no
    co-installer), so a driver built for a newer KMDF than min_os's does not load there.""",
    fix="Use the KMDF version of min_os (the default), or raise driver.min_os.",
    source=KMDF_SOURCE,
)
def kmdf_too_new(subject: Kmdf) -> str | None:
    """The version's minor number is above the one in min_os."""
    windows = subject.windows
    if kmdf_minor(subject.kmdf) <= kmdf_minor(windows.kmdf_inbox):
        return None
    return (
        f"KMDF {subject.kmdf} is newer than the {windows.kmdf_inbox} in {windows.title}; "
        f"use {default_kmdf(windows)} or raise driver.min_os"
    )


@dataclass(frozen=True)
class Platforms:
    """The platforms the driver is built for, with the Windows version it targets."""

    where: str
    names: tuple[str, ...]
    windows: WindowsVersion
    catalog: Catalog


PLATFORMS = Group[Platforms]("architectures and Windows", first_only=False)


@PLATFORMS.rule(
    "E205",
    "ARM64 needs a newer minimum Windows",
    explanation="""Windows 10 runs on ARM64 PCs from version 1709 (win10-1709); an ARM64
    driver for an older min_os would target a Windows that never ran on ARM64.""",
    fix="Drop ARM64 from driver.architectures, or raise driver.min_os to win10-1709 or later.",
    source="Microsoft Learn: Building ARM64 Drivers with the WDK",
)
def arm64_too_old(subject: Platforms) -> str | None:
    """ARM64 is listed and min_os is older than win10-1709."""
    arm64_min = subject.catalog.find_windows(ARM64_MIN_OS)
    windows = subject.windows
    if "ARM64" not in subject.names or not arm64_min:
        return None
    if windows.ntddi_value >= arm64_min.ntddi_value:
        return None
    return f"ARM64 drivers need min_os win10-1709 or later (min_os is {windows.id}); drop ARM64 or raise min_os"


@PLATFORMS.rule(
    "E206",
    "Windows 11 has no x86 edition",
    explanation="""Windows 11 exists only for 64-bit processors (x64 and ARM64), so an x86
    build of a driver whose min_os is a Windows 11 release has nowhere to run.""",
    fix="Drop x86 from driver.architectures.",
    source="Microsoft: Windows 11 Specifications and System Requirements",
)
def x86_on_windows11(subject: Platforms) -> str | None:
    """x86 is listed and min_os is a Windows 11 release."""
    if "x86" in subject.names and subject.windows.id.startswith("win11"):
        return "Windows 11 has no 32-bit edition; drop x86"
    return None


@dataclass(frozen=True)
class LayerName:
    """A callout's layer as written, and the catalog's layer of that name, if any."""

    where: str
    name: str
    layer: Layer | None
    catalog: Catalog


LAYER_NAME = Group[LayerName]("layer name", first_only=True)


@LAYER_NAME.rule(
    "E210",
    "the callout's layer is empty",
    explanation="""Every callout is registered at one filtering layer, the point in the
    network stack where the filter engine calls it.""",
    fix="Name a layer, e.g. ALE_AUTH_CONNECT_V4; `wfpgen layers` lists them.",
    source=LAYER_SOURCE,
)
def empty_layer(subject: LayerName) -> str | None:
    """The layer is an empty string."""
    if subject.name:
        return None
    return "empty; name a filtering layer such as ALE_AUTH_CONNECT_V4 (see `wfpgen layers`)"


@LAYER_NAME.rule(
    "E211",
    "unknown layer",
    explanation="""The layer is not one of the filtering layers Windows defines (FWPS_LAYER_*
    and FWPM_LAYER_*, written without the prefix). The message suggests the closest names.""",
    fix="Use a name `wfpgen layers` lists, e.g. ALE_AUTH_CONNECT_V4.",
    source=LAYER_SOURCE,
)
def unknown_layer(subject: LayerName) -> str | None:
    """The catalog has no layer of that name."""
    if subject.layer is not None:
        return None
    close = subject.catalog.suggest_layers(subject.name)
    return unknown("layer", subject.name, close, listed_by="wfpgen layers")


@LAYER_NAME.rule(
    "E212",
    "the layer is a user-mode layer",
    explanation="""The IPSEC, IKEEXT, RPC and KM_AUTHORIZATION layers are user-mode
    filtering layers (the headers list them apart from the kernel-mode ones); kernel-mode
    callouts cannot be registered there.""",
    fix="Choose a kernel-mode layer (`wfpgen layers` lists them).",
    source="Microsoft Learn: Filtering Layer Identifiers (user-mode layers)",
)
def user_mode_layer(subject: LayerName) -> str | None:
    """The layer is one the kernel never classifies at."""
    layer = subject.layer
    if layer is None or layer.kernel_callout != "um":
        return None
    return f"{layer.name} is a user-mode layer; kernel callouts cannot be registered there (see `wfpgen layers`)"


@LAYER_NAME.rule(
    "E213",
    "the layer is reserved for Windows",
    explanation="""Some run-time layers (the *_FAST layers, the RESERVED ones) exist for
    Windows' own use; third-party callouts cannot be added there.""",
    fix="Choose another layer (`wfpgen layers` lists the usable ones).",
    source="Microsoft Learn: Run-time Filtering Layer Identifiers",
)
def reserved_layer(subject: LayerName) -> str | None:
    """The layer is not usable by third-party callouts."""
    layer = subject.layer
    if layer is None or layer.usable:
        return None
    return (
        f"{layer.name} is reserved for Windows' own use; choose another layer (see `wfpgen layers`)"
    )


@dataclass(frozen=True)
class LayerUse:
    """A usable layer, with the Windows version the driver targets."""

    where: str
    layer: Layer
    windows: WindowsVersion | None
    catalog: Catalog


LAYER_USE = Group[LayerUse]("layer and Windows", first_only=False)


@LAYER_USE.rule(
    "E214",
    "the layer needs a newer minimum Windows",
    explanation="""Layers were added over time (the MAC_FRAME and vSwitch layers in Windows
    8, for example). Older Windows does not have the layer, and the headers declare its
    identifiers only when NTDDI_VERSION reaches the version that introduced it.""",
    fix="Raise driver.min_os to the version the message names, or choose another layer.",
    source=LAYER_SOURCE,
)
def layer_too_new(subject: LayerUse) -> str | None:
    """The layer appeared after min_os."""
    layer, windows = subject.layer, subject.windows
    if not windows or layer.ntddi_value <= windows.ntddi_value:
        return None
    return f"{layer.name} needs {needs(subject.catalog, layer.ntddi_value)}; raise driver.min_os (now {windows.id})"


@dataclass(frozen=True)
class FlagName:
    """A callout flag as written, the catalog's flag of that name, and the flags before it."""

    where: str
    name: str
    flag: CalloutFlag | None
    earlier: frozenset[str]
    catalog: Catalog


FLAG_NAME = Group[FlagName]("flag name", first_only=True)


@FLAG_NAME.rule(
    "E220",
    "unknown callout flag",
    explanation="""The flag is not one of the FWP_CALLOUT_FLAG_* values (written with or
    without the prefix). The message suggests the closest names.""",
    fix="Use a name `wfpgen flags` lists.",
    source=FLAG_SOURCE,
)
def unknown_flag(subject: FlagName) -> str | None:
    """The catalog has no flag of that name."""
    if subject.flag is not None:
        return None
    close = subject.catalog.suggest_flags(subject.name)
    return unknown("callout flag", subject.name, close, listed_by="wfpgen flags")


@FLAG_NAME.rule(
    "E221",
    "a callout flag is listed twice",
    explanation="""Flags are bits OR-ed together; listing one twice (perhaps once with the
    FWP_CALLOUT_FLAG_ prefix) is a mistake.""",
    fix="Remove the repeated flag.",
    source=FLAG_SOURCE,
)
def repeated_flag(subject: FlagName) -> str | None:
    """An earlier entry named the same flag."""
    flag = subject.flag
    return f"{flag.name} is listed twice" if flag and flag.name in subject.earlier else None


@FLAG_NAME.rule(
    "E222",
    "the callout flag is reserved for the system",
    explanation="""FWP_CALLOUT_FLAG_RESERVED1 and RESERVED2 are declared in the headers for
    Windows' own use; a driver must not set them.""",
    fix="Remove the flag.",
    source=FLAG_SOURCE,
)
def reserved_flag(subject: FlagName) -> str | None:
    """The flag is not settable by drivers."""
    flag = subject.flag
    if flag is None or flag.user_settable:
        return None
    return f"{flag.c_name} is reserved for the system; remove it"


@dataclass(frozen=True)
class FlagUse:
    """A known flag on a callout, with the callout's layer and the Windows it targets."""

    where: str
    flag: CalloutFlag
    layer: Layer | None
    windows: WindowsVersion | None
    catalog: Catalog


FLAG_USE = Group[FlagUse]("flag use", first_only=False)


@FLAG_USE.rule(
    "E223",
    "the callout flag needs a newer minimum Windows",
    explanation="""Each flag exists from a given Windows version on (ALLOW_RSC from Windows 8,
    ALLOW_URO from Windows 10, version 2004...): the headers declare it only when
    NTDDI_VERSION reaches that version, and the Windows versions before it do not know it.""",
    fix="Remove the flag, or raise driver.min_os to the version the message names.",
    source=FLAG_SOURCE,
)
def flag_too_new(subject: FlagUse) -> str | None:
    """The flag appeared after min_os."""
    flag, windows = subject.flag, subject.windows
    if not windows or flag.ntddi_value <= windows.ntddi_value:
        return None
    return f"{flag.c_name} needs {needs(subject.catalog, flag.ntddi_value)}; remove it or raise driver.min_os (now {windows.id})"


@FLAG_USE.rule(
    "E224",
    "the callout flag does nothing at the callout's layer",
    explanation="""Most flags concern one kind of traffic: ALLOW_MID_STREAM_INSPECTION the
    stream layers, ALLOW_L2_BATCH_CLASSIFY the MAC_FRAME layers, ALLOW_RSC inbound TCP,
    ALLOW_URO inbound UDP, ALLOW_USO outbound UDP, CONDITIONAL_ON_FLOW the layers where flow
    contexts are associated. Set elsewhere, the flag has no effect and misleads readers.""",
    fix="Remove the flag, or move the callout to a layer where it matters.",
    source=f"{FLAG_SOURCE}; Microsoft Learn: Stream Inspection; Using Layer 2 Filtering",
)
def flag_misplaced(subject: FlagUse) -> str | None:
    """The flag concerns traffic the layer never sees."""
    if subject.layer is None:
        return None
    reason = flag_misfit(subject.flag, subject.layer)
    return f"{subject.flag.c_name} {reason}; remove it or choose another layer" if reason else None


@dataclass(frozen=True)
class CalloutAt:
    """A callout whose layer is usable: its spec, layer, action and flags as understood."""

    where: str
    callout: CalloutSpec
    layer: Layer
    action: str | None  # canonical, None when not given or not understood
    flags: frozenset[str]
    filters: str


CALLOUT_AT = Group[CalloutAt]("callout at its layer", first_only=False)


@CALLOUT_AT.rule(
    "E230",
    "flow contexts cannot be associated at the callout's layer",
    at=".flow_context",
    explanation="""The driver associates a flow context with the callout from a classify at
    ALE_FLOW_ESTABLISHED. wfpgen allows it only at the layers that carry a flow's data
    (STREAM, STREAM_PACKET, DATAGRAM_DATA, transport) and at ALE_ENDPOINT_CLOSURE, where
    Microsoft's samples associate contexts. Elsewhere the callout has no flow data to
    keep a context for.""",
    fix="Set flow_context = false, or move the callout to one of those layers.",
    source="Microsoft Learn: Associating Context with a Data Flow; Metadata Fields at Each Filtering Layer; Windows-driver-samples (msnmntr, stmedit, ddproxy, WFPSampler)",
)
def flow_context_misplaced(subject: CalloutAt) -> str | None:
    """flow_context is set at a layer without flow contexts."""
    if not subject.callout.flow_context or is_flow_target(subject.layer):
        return None
    return f"flow contexts cannot be associated at {subject.layer.name}; use a STREAM, STREAM_PACKET, DATAGRAM_DATA, transport or ALE_ENDPOINT_CLOSURE layer"
