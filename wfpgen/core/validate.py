"""Check a spec against the WFP catalog: every problem at once, plus warnings.

Problems make the spec unusable (exit status 2, nothing written); warnings are
legal but suspicious choices the user should hear about.
"""

import re
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from wfpgen.core.catalog import CalloutFlag, Catalog, Layer, WindowsVersion
from wfpgen.core.known_guids import known_origin
from wfpgen.core.names import upper_snake
from wfpgen.core.reserved import Owner, c_names, file_name_problem, windows_names
from wfpgen.core.spec import (
    ACTIONS,
    ARCHITECTURES,
    FILTER_MODES,
    START_TYPES,
    CalloutSpec,
    ProjectSpec,
)
from wfpgen.errors import Problem

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


@dataclass(frozen=True)
class Findings:
    """What validation found: problems block generation, warnings do not."""

    problems: tuple[Problem, ...]
    warnings: tuple[Problem, ...]


# What a layer that is not for permitting or blocking is for (catalog Layer.purpose).
_PURPOSE_NOTE = {
    "discard": "sees traffic that was already dropped",
    "informational": "reports an event that cannot be permitted or blocked",
}


# The spec keys of the objects a driver with filters = "dynamic" adds itself.
_ADDED_OBJECTS = frozenset({"provider.guid", "sublayer.guid"})


def default_action(layer: Layer) -> str:
    """The filter action a callout at ``layer`` gets unless the spec names one."""
    return "terminating" if layer.purpose == "filter" else "inspection"


def validate_spec(spec: ProjectSpec, catalog: Catalog) -> Findings:
    """Check ``spec`` against ``catalog`` and return every problem and warning."""
    checker = _Checker(catalog)
    checker.check(spec)
    return Findings(tuple(checker.problems), tuple(checker.warnings))


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
        and not _flag_misfit(flag, layer)
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


class _Checker:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.spelled: dict[str, str] = {}  # C identifier -> the spec name it comes from

    def error(self, where: str, message: str) -> None:
        self.problems.append(Problem(where, message))

    def warn(self, where: str, message: str) -> None:
        self.warnings.append(Problem(where, message))

    def check(self, spec: ProjectSpec) -> None:
        windows = self.check_driver(spec)
        self.check_text("provider.name", spec.provider.name)
        self.check_text("sublayer.name", spec.sublayer.name)
        if not 0 <= spec.sublayer.weight <= 0xFFFF:
            self.error("sublayer.weight", "must be between 0 and 65535")
        self.check_guids(spec)
        if not spec.callouts:
            self.error("callouts", "no callouts; add at least one [[callouts]] table or --callout")
        seen: dict[str, int] = {}
        for index, callout in enumerate(spec.callouts):
            where = f"callouts[{index}]"
            self.check_callout(where, callout, windows, spec.driver.filters)
            if not IDENTIFIER.fullmatch(callout.name):
                continue
            self.check_c_name_free(where, callout.name, seen, index)

    def check_spellings(self, where: str, owner: Owner, name: str, label: str) -> None:
        """Every C identifier ``name`` becomes must be free: not the WDK's, the template's, another's."""
        names = c_names()
        for spelled in names.spelled(owner, name):
            if spelled in names.taken:
                self.error(
                    where,
                    f"'{name}' becomes {spelled} in C, a name {names.taken[spelled]} defines; choose another name",
                )
                return
            if spelled in self.spelled:
                self.error(
                    where,
                    f"'{name}' becomes {spelled} in C, as {self.spelled[spelled]} does; rename one of them",
                )
                return
        for spelled in names.spelled(owner, name):
            self.spelled.setdefault(spelled, label)

    def check_c_name_free(self, where: str, name: str, seen: dict[str, int], index: int) -> None:
        """Callout names must differ in the forms the C code spells them in."""
        key = name.lower()
        upper = upper_snake(name)
        if key in seen:
            self.error(
                f"{where}.name",
                f"'{name}' is already used by callouts[{seen[key]}]; give each callout its own name",
            )
        elif upper in seen:
            self.error(
                f"{where}.name",
                f"'{name}' becomes {upper} in C, as callouts[{seen[upper]}] does; rename one of them",
            )
        else:
            self.check_spellings(f"{where}.name", "callout", name, f"callouts[{index}]")
        seen.setdefault(key, index)
        seen.setdefault(upper, index)

    def check_driver(self, spec: ProjectSpec) -> WindowsVersion | None:
        driver = spec.driver
        if self.check_identifier("driver.name", driver.name, MAX_DRIVER_NAME):
            self.check_driver_name(driver.name)
        self.check_text("driver.description", driver.description)
        self.check_text("driver.company", driver.company)
        if not VERSION.fullmatch(driver.version) or any(
            int(part) > 0xFFFF for part in driver.version.split(".")
        ):
            self.error("driver.version", "expected 1 to 4 numbers (0-65535) separated by dots")
        if driver.filters not in FILTER_MODES:
            self.error("driver.filters", f"expected one of: {', '.join(FILTER_MODES)}")
        if driver.start_type not in START_TYPES:
            self.error("driver.start_type", f"expected one of: {', '.join(START_TYPES)}")
        windows = self.catalog.find_windows(driver.min_os)
        if windows is None:
            self.error(
                "driver.min_os",
                _unknown(
                    "Windows version",
                    driver.min_os,
                    self.catalog.suggest_windows(driver.min_os),
                    [w.id for w in self.catalog.windows],
                ),
            )
        else:
            self.check_kmdf(driver.kmdf_version, windows)
        if driver.architectures is not None:
            self.check_architectures(driver.architectures, windows)
        return windows

    def check_driver_name(self, name: str) -> None:
        """The driver name is a service name and a file name on Windows: it must be Windows-safe."""
        problem = file_name_problem(name)
        kind = windows_names().services.get(name.lower())
        if problem:
            self.error(
                "driver.name", f"{problem}; files named so cannot be opened; choose another name"
            )
        elif kind:
            self.error(
                "driver.name",
                f"'{name}' is the name of {kind} that ships with Windows; installing or uninstalling "
                "the project would replace or delete it; choose a name of your own, e.g. with your company's prefix",
            )
        else:
            self.check_spellings("driver.name", "driver", name, "driver.name")

    def check_kmdf(self, kmdf: str | None, windows: WindowsVersion) -> None:
        if kmdf is None:
            return
        if kmdf not in KMDF_VERSIONS:
            self.error(
                "driver.kmdf_version",
                f"unknown KMDF version '{kmdf}'; use one of {', '.join(KMDF_VERSIONS)}",
            )
        elif kmdf == KMDF_WITHOUT_HEADERS:
            self.error("driver.kmdf_version", "no WDK ships KMDF 1.29 headers; use 1.27 or 1.31")
        elif _kmdf_minor(kmdf) > _kmdf_minor(windows.kmdf_inbox):
            self.error(
                "driver.kmdf_version",
                f"KMDF {kmdf} is newer than the {windows.kmdf_inbox} in {windows.title}; "
                f"use {default_kmdf(windows)} or raise driver.min_os",
            )

    def check_architectures(
        self, architectures: tuple[str, ...], windows: WindowsVersion | None
    ) -> None:
        if not architectures:
            self.error("driver.architectures", f"empty; use some of {', '.join(ARCHITECTURES)}")
        names = []
        for arch in architectures:
            name = canonical_architecture(arch)
            if name is None:
                self.error(
                    "driver.architectures",
                    f"unknown architecture '{arch}'; use {', '.join(ARCHITECTURES)}",
                )
            elif name in names:
                self.error("driver.architectures", f"'{arch}' is listed twice")
            else:
                names.append(name)
        if windows is None:
            return
        arm64_min = self.catalog.find_windows(ARM64_MIN_OS)
        if "ARM64" in names and arm64_min and windows.ntddi_value < arm64_min.ntddi_value:
            self.error(
                "driver.architectures",
                f"ARM64 drivers need min_os win10-1709 or later (min_os is {windows.id}); drop ARM64 or raise min_os",
            )
        if "x86" in names and windows.id.startswith("win11"):
            self.error("driver.architectures", "Windows 11 has no 32-bit edition; drop x86")

    def check_identifier(self, where: str, name: str, limit: int) -> bool:
        """Report ``name`` unless it is a usable C identifier; say whether it is."""
        if not name:
            self.error(where, "empty; use a C identifier such as MyFilter")
        elif not IDENTIFIER.fullmatch(name):
            self.error(
                where,
                f"'{name}' is not a C identifier; use letters, digits and _, starting with a letter",
            )
        elif name in C_KEYWORDS:
            self.error(where, f"'{name}' is a C keyword; choose another name")
        elif len(name) > limit:
            self.error(where, f"'{name}' has {len(name)} characters; at most {limit} are allowed")
        else:
            return True
        return False

    def check_text(self, where: str, text: str | None) -> None:
        if text is None:
            return
        bad = sorted({ch for ch in text if not (" " <= ch <= "~") or ch in '"%\\'})
        if bad:
            shown = " ".join(repr(ch) for ch in bad)
            self.error(
                where,
                f'contains {shown}; use printable ASCII without ", % or \\ (INF and C strings carry it as is)',
            )
        elif token := INF_TOKEN.search(text):
            self.error(
                where,
                f"contains {token.group()}, which the INF tools replace; write it without the $ signs",
            )
        elif len(text) > MAX_TEXT:
            self.error(where, f"{len(text)} characters; keep it under {MAX_TEXT}")

    def check_guids(self, spec: ProjectSpec) -> None:
        owners: dict[str, str] = {}
        entries = [("provider.guid", spec.provider.guid), ("sublayer.guid", spec.sublayer.guid)]
        entries += [(f"callouts[{i}].guid", c.guid) for i, c in enumerate(spec.callouts)]
        for where, text in entries:
            if text is None:
                continue
            if GUID_TEXT.fullmatch(text.strip("{}")) and text.count("{") != text.count("}"):
                self.error(
                    where,
                    f"'{text}' has unbalanced braces; write the GUID with both {{ and }} or with neither",
                )
                continue
            if not GUID_TEXT.fullmatch(text):
                self.error(
                    where,
                    f"'{text}' is not a GUID; use the form 0d9c4b2e-1a2b-4c3d-8e9f-0a1b2c3d4e5f or leave it out to generate one",
                )
                continue
            guid = canonical_guid(text)
            if guid == str(uuid.UUID(int=0)):
                self.error(where, "the nil GUID is not a valid key; leave it out to generate one")
            elif guid in owners:
                self.error(
                    where, f"{guid} is already used by {owners[guid]}; every key must be unique"
                )
            else:
                owners[guid] = where
                origin = known_origin(guid)
                windows_key = windows_names().guids.get(guid)
                if windows_key and where in _ADDED_OBJECTS and spec.driver.filters == "dynamic":
                    # engine.c adds the provider and sublayer on every load and stops at
                    # the first failure; Windows has added these keys before, so
                    # FwpmProviderAdd0/FwpmSubLayerAdd0 (DDI:fwpmk) return an FWP_E_*
                    # error, FWP_E_ALREADY_EXISTS for an existing object (SDKAPI: WFP
                    # Error Codes), and DriverEntry fails every time.
                    self.error(
                        where,
                        f'{guid} is {windows_key}, which Windows has already added, so the driver cannot add it (driver.filters = "dynamic"); leave {where} out to generate a key of your own',
                    )
                elif windows_key:
                    self.warn(
                        where,
                        f"{guid} is {windows_key}, a key Windows registers itself; leave it out to generate a key of your own",
                    )
                elif origin:
                    self.warn(
                        where,
                        f"{guid} is published in {origin}; another product using it collides in the filter engine; leave it out to generate a fresh one",
                    )

    def check_callout(
        self, where: str, callout: CalloutSpec, windows: WindowsVersion | None, filters: str
    ) -> None:
        self.check_identifier(f"{where}.name", callout.name, MAX_CALLOUT_NAME)
        self.check_text(f"{where}.description", callout.description)
        action = None if callout.action is None else canonical_action(callout.action)
        if callout.action is not None and action is None:
            self.error(
                f"{where}.action",
                f"unknown action '{callout.action}'; use one of {', '.join(ACTIONS)}",
            )
        layer = self.check_layer(f"{where}.layer", callout.layer, windows)
        flags = list(self.check_flags(f"{where}.flags", callout.flags, layer, windows))
        if layer is None:
            return
        if action not in (None, "inspection") and layer.purpose != "filter":
            self.warn(
                f"{where}.action",
                f'{layer.name} {_PURPOSE_NOTE[layer.purpose]}, so a {action} filter decides nothing there; use action = "inspection" (the default at this layer)',
            )
        flag_names = {f.name for f in flags}
        if {"CONDITIONAL_ON_FLOW", "ALLOW_MID_STREAM_INSPECTION"} <= flag_names:
            # CONDITIONAL_ON_FLOW: classify only for flows carrying this callout's
            # context (FWPS_CALLOUT0..3 pages); the driver attaches contexts at
            # ALE_FLOW_ESTABLISHED, which a flow open before it loaded has passed.
            self.warn(
                f"{where}.flags",
                f"with CONDITIONAL_ON_FLOW, {callout.name} never sees connections that were open before the driver loaded: they got no flow context when they were established, so ALLOW_MID_STREAM_INSPECTION has no effect; drop one of the two",
            )
        wants_flow = callout.flow_context or "CONDITIONAL_ON_FLOW" in flag_names
        if callout.flow_context and not is_flow_target(layer):
            self.error(
                f"{where}.flow_context",
                f"flow contexts cannot be associated at {layer.name}; use a STREAM, STREAM_PACKET, DATAGRAM_DATA, transport or ALE_ENDPOINT_CLOSURE layer",
            )
        elif wants_flow and filters == "none":
            self.warn(
                f"{where}.flags",
                f'the driver adds no filters (driver.filters = "none"), so nothing associates flow contexts with {callout.name} until you add a filter at ALE_FLOW_ESTABLISHED_{layer.family.upper()}',
            )
        if layer.layer_data == "undocumented":
            self.warn(
                f"{where}.layer",
                f"Microsoft does not document what classify receives at {layer.name}; test the generated code carefully",
            )

    def check_layer(self, where: str, name: str, windows: WindowsVersion | None) -> Layer | None:
        if not name:
            self.error(
                where,
                "empty; name a filtering layer such as ALE_AUTH_CONNECT_V4 (see `wfpgen layers`)",
            )
            return None
        layer = self.catalog.find_layer(name)
        if layer is None:
            self.error(
                where,
                _unknown(
                    "layer", name, self.catalog.suggest_layers(name), listed_by="wfpgen layers"
                ),
            )
            return None
        if layer.kernel_callout == "um":
            self.error(
                where,
                f"{layer.name} is a user-mode layer; kernel callouts cannot be registered there (see `wfpgen layers`)",
            )
            return None
        if not layer.usable:
            self.error(
                where,
                f"{layer.name} is reserved for Windows' own use; choose another layer (see `wfpgen layers`)",
            )
            return None
        if windows and layer.ntddi_value > windows.ntddi_value:
            self.error(
                where,
                f"{layer.name} needs {_needs(self.catalog, layer.ntddi_value)}; raise driver.min_os (now {windows.id})",
            )
        return layer

    def check_flags(
        self,
        where: str,
        names: tuple[str, ...],
        layer: Layer | None,
        windows: WindowsVersion | None,
    ) -> Iterator[CalloutFlag]:
        seen: set[str] = set()
        for name in names:
            flag = self.catalog.find_flag(name)
            if flag is None:
                self.error(
                    where,
                    _unknown(
                        "callout flag",
                        name,
                        self.catalog.suggest_flags(name),
                        listed_by="wfpgen flags",
                    ),
                )
                continue
            if flag.name in seen:
                self.error(where, f"{flag.name} is listed twice")
                continue
            seen.add(flag.name)
            if not flag.user_settable:
                self.error(where, f"{flag.c_name} is reserved for the system; remove it")
                continue
            if windows and flag.ntddi_value > windows.ntddi_value:
                self.error(
                    where,
                    f"{flag.c_name} needs {_needs(self.catalog, flag.ntddi_value)}; remove it or raise driver.min_os (now {windows.id})",
                )
            if layer is not None:
                reason = _flag_misfit(flag, layer)
                if reason:
                    self.error(where, f"{flag.c_name} {reason}; remove it or choose another layer")
            if flag.name == "ALLOW_USO":
                self.warn(
                    where,
                    "Microsoft documents ALLOW_USO as supported only from Windows build 25876, although the headers declare it earlier",
                )
            yield flag


def _flag_misfit(flag: CalloutFlag, layer: Layer) -> str:
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


def _needs(catalog: Catalog, ntddi_value: int) -> str:
    windows = oldest_windows_for(catalog, ntddi_value)
    return f"min_os {windows.id} or later" if windows else "a newer Windows than wfpgen knows"


def _unknown(
    what: str, value: str, close: list[str], choices: Sequence[str] = (), *, listed_by: str = ""
) -> str:
    """An unknown name: the close matches, else the choices or the command that lists them."""
    if close:
        return f"unknown {what} '{value}'; did you mean {' or '.join(close)}?"
    if listed_by:
        return f"unknown {what} '{value}'; run `{listed_by}` to list them"
    return f"unknown {what} '{value}'; use one of: {', '.join(choices)}"


def _kmdf_minor(version: str) -> int:
    return int(version.split(".")[1])
