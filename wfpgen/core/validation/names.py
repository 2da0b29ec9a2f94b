"""E3xx: names, GUIDs and collisions between them.

The driver and callout names become C identifiers, file names and a service name;
the GUIDs become the keys of the driver's objects in the filter engine. Both must
be well formed and must not collide with each other, with the WDK or with Windows.
"""

import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from wfpgen.core.names import upper_snake
from wfpgen.core.reserved import c_names, file_name_problem, windows_names
from wfpgen.core.validation.facts import ADDED_OBJECTS, C_KEYWORDS, GUID_TEXT, IDENTIFIER
from wfpgen.core.validation.registry import Group

IDENTIFIER_SOURCE = "C11 (ISO/IEC 9899:2011) 6.4.1 Keywords and 6.4.2 Identifiers"
GUID_SOURCE = "Microsoft Learn: GUID structure (guiddef.h); FWPM_CALLOUT0, FWPM_PROVIDER0, FWPM_SUBLAYER0 structures"
WFP_ERRORS = "Microsoft Learn: WFP Error Codes (FWP_E_ALREADY_EXISTS)"


@dataclass(frozen=True)
class Name:
    """A driver or callout name, which becomes C identifiers, with its length limit."""

    where: str
    name: str
    limit: int


NAME = Group[Name]("name", first_only=True)


@NAME.rule(
    "E301",
    "a name is empty",
    explanation="""The driver's and callouts' names become C identifiers (functions,
    constants), file names and the service name, so they cannot be empty.""",
    fix="Give a name such as MyFilter.",
    source=IDENTIFIER_SOURCE,
)
def empty_name(subject: Name) -> str | None:
    """The name is an empty string."""
    return None if subject.name else "empty; use a C identifier such as MyFilter"


@NAME.rule(
    "E302",
    "a name is not a C identifier",
    explanation="""Names become parts of C identifiers and of file names: wfpgen accepts
    ASCII letters, digits and underscores, starting with a letter (no spaces, hyphens or
    dots).""",
    fix="Use letters, digits and _, starting with a letter, e.g. Contoso_Filter.",
    source=IDENTIFIER_SOURCE,
)
def not_identifier(subject: Name) -> str | None:
    """The name has characters a C identifier cannot have."""
    if IDENTIFIER.fullmatch(subject.name):
        return None
    return (
        f"'{subject.name}' is not a C identifier; use letters, digits and _, starting with a letter"
    )


@NAME.rule(
    "E303",
    "a name is a C keyword",
    explanation="""The generated code uses some names as they are; a C keyword (int,
    switch, default...) cannot be an identifier.""",
    fix="Choose another name.",
    source=IDENTIFIER_SOURCE,
)
def c_keyword(subject: Name) -> str | None:
    """The name is a C keyword."""
    if subject.name not in C_KEYWORDS:
        return None
    return f"'{subject.name}' is a C keyword; choose another name"


@NAME.rule(
    "E304",
    "a name is too long",
    explanation="""The driver name is at most 32 characters (it names the service, the .sys
    file and the KMDF driver), a callout name at most 48 (it becomes part of longer
    identifiers and of display names).""",
    fix="Shorten the name.",
    source="wfpgen's limits (wfpgen.core.validation.facts: MAX_DRIVER_NAME, MAX_CALLOUT_NAME)",
)
def long_name(subject: Name) -> str | None:
    """The name is over its limit."""
    name = subject.name
    if len(name) <= subject.limit:
        return None
    return f"'{name}' has {len(name)} characters; at most {subject.limit} are allowed"


@dataclass(frozen=True)
class DriverName:
    """The driver name, a valid identifier, as a Windows file and service name."""

    where: str
    name: str


DRIVER_NAME = Group[DriverName]("driver name", first_only=True)


@DRIVER_NAME.rule(
    "E305",
    "the driver name is not usable as a Windows file name",
    explanation="""The driver name is the name of the .sys, .inf and project files. Windows
    reserves some names for devices (CON, PRN, AUX, NUL, COM0-COM9, LPT0-LPT9, in any case
    and with any extension): a file called so opens the device instead.""",
    fix="Choose another name, e.g. with your company's prefix.",
    source="Microsoft Learn: Naming Files, Paths, and Namespaces",
)
def reserved_file_name(subject: DriverName) -> str | None:
    """The name is a device name or otherwise not a file name."""
    problem = file_name_problem(subject.name)
    return f"{problem}; files named so cannot be opened; choose another name" if problem else None


@DRIVER_NAME.rule(
    "E306",
    "the driver name is a service that ships with Windows",
    explanation="""The driver name is the name of its service. Installing the project would
    replace the configuration of the Windows driver or service of that name, and
    uninstalling it would delete it.""",
    fix="Choose a name of your own, e.g. with your company's prefix.",
    source="Microsoft Learn: INF AddService Directive; wfpgen/data/windows_names.json",
)
def windows_service(subject: DriverName) -> str | None:
    """A Windows driver or service has this name."""
    kind = windows_names().services.get(subject.name.lower())
    if not kind:
        return None
    return (
        f"'{subject.name}' is the name of {kind} that ships with Windows; installing or uninstalling "
        "the project would replace or delete it; choose a name of your own, e.g. with your company's prefix"
    )


@dataclass(frozen=True)
class Spelling:
    """One C identifier a name becomes, and the identifiers earlier names became."""

    where: str
    name: str
    spelled: str
    others: Mapping[str, str]  # C identifier -> the spec field it comes from


SPELLING = Group[Spelling]("C spelling", first_only=True)


@SPELLING.rule(
    "E310",
    "a name becomes a C identifier the WDK or the generated code defines",
    explanation="""wfpgen spells each name in several ways in C (ConnectV4Classify,
    CALLOUT_CONNECT_V4...). If one of them is already defined by the WDK headers or by the
    generated code itself, the project does not compile, or worse, means something else.""",
    fix="Choose another name.",
    source="wfpgen/data/c_names.json (from the template and the WDK stand-in headers)",
)
def taken_identifier(subject: Spelling) -> str | None:
    """The spelling is an identifier defined elsewhere."""
    owner = c_names().taken.get(subject.spelled)
    if owner is None:
        return None
    return f"'{subject.name}' becomes {subject.spelled} in C, a name {owner} defines; choose another name"


@SPELLING.rule(
    "E311",
    "two names become the same C identifier",
    explanation="""The driver and each callout get identifiers of their own in C; two names
    that spell one of them the same way (the driver and a callout, say) would define it
    twice.""",
    fix="Rename one of them.",
    source="wfpgen/data/c_names.json",
)
def shared_identifier(subject: Spelling) -> str | None:
    """An earlier name became the same identifier."""
    other = subject.others.get(subject.spelled)
    if other is None:
        return None
    return f"'{subject.name}' becomes {subject.spelled} in C, as {other} does; rename one of them"


@dataclass(frozen=True)
class CalloutName:
    """A callout's name, a valid identifier, with the names of the callouts before it."""

    where: str
    name: str
    earlier: Mapping[str, int]  # lower-case and upper-snake forms -> callout index


CALLOUT_NAME = Group[CalloutName]("callout name", first_only=True)


@CALLOUT_NAME.rule(
    "E312",
    "two callouts have the same name",
    explanation="""Each callout's name becomes its functions, its constants and its display
    name; names that differ only in case collide in file names and upper-case constants.""",
    fix="Give each callout its own name.",
    source="wfpgen: the generated code names each callout's functions and keys after it",
)
def repeated_callout_name(subject: CalloutName) -> str | None:
    """An earlier callout has the same name, ignoring case."""
    index = subject.earlier.get(subject.name.lower())
    if index is None:
        return None
    return f"'{subject.name}' is already used by callouts[{index}]; give each callout its own name"


@CALLOUT_NAME.rule(
    "E313",
    "two callout names become the same upper-case constant",
    explanation="""Constants are spelled in upper case with underscores between words, so
    Connect_ and Connect, or ConnectV4 and Connect_V4, both become CONNECT...""",
    fix="Rename one of them.",
    source="wfpgen: the generated code's CALLOUT_<NAME> constants",
)
def shared_constant(subject: CalloutName) -> str | None:
    """An earlier callout's name has the same upper-snake form."""
    upper = upper_snake(subject.name)
    index = subject.earlier.get(upper)
    if index is None:
        return None
    return f"'{subject.name}' becomes {upper} in C, as callouts[{index}] does; rename one of them"


@dataclass(frozen=True)
class GuidText:
    """A GUID as written in the spec."""

    where: str
    text: str


GUID_TEXT_RULES = Group[GuidText]("GUID text", first_only=True)


@GUID_TEXT_RULES.rule(
    "E320",
    "a GUID has unbalanced braces",
    explanation="""A GUID may be written with braces, {0d9c4b2e-...}, as registry and INF
    files do, or without; one brace alone is probably a copy-and-paste mistake.""",
    fix="Write the GUID with both { and } or with neither.",
    source=GUID_SOURCE,
)
def unbalanced_braces(subject: GuidText) -> str | None:
    """The GUID is well formed inside, but has one brace only."""
    text = subject.text
    if not GUID_TEXT.fullmatch(text.strip("{}")) or text.count("{") == text.count("}"):
        return None
    return f"'{text}' has unbalanced braces; write the GUID with both {{ and }} or with neither"


@GUID_TEXT_RULES.rule(
    "E321",
    "not a GUID",
    explanation="""Keys of WFP objects are GUIDs: 32 hexadecimal digits in groups of 8-4-4-4-12.
    Leave the key out and wfpgen generates one (stable for the project's names).""",
    fix="Use the form 0d9c4b2e-1a2b-4c3d-8e9f-0a1b2c3d4e5f, or remove the key.",
    source=GUID_SOURCE,
)
def not_a_guid(subject: GuidText) -> str | None:
    """The text is not a GUID in either form."""
    if GUID_TEXT.fullmatch(subject.text):
        return None
    return f"'{subject.text}' is not a GUID; use the form 0d9c4b2e-1a2b-4c3d-8e9f-0a1b2c3d4e5f or leave it out to generate one"


@dataclass(frozen=True)
class GuidKey:
    """A well-formed GUID (canonical form) and the keys given before it."""

    where: str
    guid: str
    owners: Mapping[str, str]  # GUID -> the spec field that gave it


GUID_KEY = Group[GuidKey]("GUID key", first_only=True)


@GUID_KEY.rule(
    "E322",
    "the nil GUID is not a key",
    explanation="""The all-zero GUID (GUID_NULL) means "no key": the filter engine would
    generate a key of its own, and the driver's code would not know it.""",
    fix="Remove the key to let wfpgen generate one.",
    source=GUID_SOURCE,
)
def nil_guid(subject: GuidKey) -> str | None:
    """The GUID is all zeros."""
    if subject.guid != str(uuid.UUID(int=0)):
        return None
    return "the nil GUID is not a valid key; leave it out to generate one"


@GUID_KEY.rule(
    "E323",
    "two objects have the same GUID",
    explanation="""The provider, the sublayer and every callout are objects of the filter
    engine, each identified by its key. One GUID for two of them makes the keys ambiguous
    in the generated code and in tools that look objects up by key, and a second callout
    with a key already in use cannot be added (FWP_E_ALREADY_EXISTS).""",
    fix="Give each object its own GUID, or leave the keys out to generate them.",
    source=WFP_ERRORS,
)
def repeated_guid(subject: GuidKey) -> str | None:
    """An earlier key is the same GUID."""
    owner = subject.owners.get(subject.guid)
    if owner is None:
        return None
    return f"{subject.guid} is already used by {owner}; every key must be unique"


@dataclass(frozen=True)
class GuidOrigin:
    """A unique GUID, for checks of where else it is known from."""

    where: str
    guid: str
    filters: str


GUID_ORIGIN = Group[GuidOrigin]("GUID origin", first_only=True)


@GUID_ORIGIN.rule(
    "E324",
    "the driver would add an object Windows has already added",
    explanation="""With driver.filters = "dynamic" the driver adds its provider and sublayer
    every time it loads and stops at the first failure. A key Windows registers itself
    exists already, so FwpmProviderAdd0 or FwpmSubLayerAdd0 fails with an FWP_E_* error
    (FWP_E_ALREADY_EXISTS) and DriverEntry fails every time.""",
    fix="Remove the key to let wfpgen generate one of your own.",
    source=f"{WFP_ERRORS}; Microsoft Learn: FwpmProviderAdd0, FwpmSubLayerAdd0 functions",
)
def windows_key_added(subject: GuidOrigin) -> str | None:
    """The provider or sublayer key is one of Windows' and the driver adds it."""
    where, guid = subject.where, subject.guid
    windows_key = windows_names().guids.get(guid)
    if not windows_key or where not in ADDED_OBJECTS or subject.filters != "dynamic":
        return None
    return f'{guid} is {windows_key}, which Windows has already added, so the driver cannot add it (driver.filters = "dynamic"); leave {where} out to generate a key of your own'
