"""E1xx: the spec's structure, keys and values.

E101-E113 are found where the spec is read (the file in ``wfpgen.lifecycle.answers``,
tables, keys and types in ``wfpgen.core.spec``) and E140-E146 where the template is
chosen (``wfpgen.templating``); they are only declared here. The rest are checks of
values that have the right type but a wrong content.
"""

from dataclasses import dataclass

from wfpgen.core.spec import ACTIONS, ARCHITECTURES, FILTER_MODES, START_TYPES, DriverSpec
from wfpgen.core.validation.facts import (
    INF_TOKEN,
    MAX_TEXT,
    VERSION,
    canonical_action,
    canonical_architecture,
)
from wfpgen.core.validation.registry import Group, declare

README = "README: Spec files"
TOML = "TOML v1.0.0 (toml.io/en/v1.0.0)"

declare(
    "E101",
    "the spec file cannot be read",
    explanation="""The spec file named on the command line (or the project's wfpgen.toml)
    does not exist, is a folder, or cannot be opened; the message says what the system
    reported.""",
    fix="Check the path and the file's permissions; `wfpgen new` without --config asks instead.",
    source=README,
    checked_in="wfpgen.lifecycle.answers",
)
declare(
    "E102",
    "the spec file is not UTF-8 text",
    explanation="""A TOML file must be UTF-8 text. wfpgen also reads UTF-8 and UTF-16 with a
    byte-order mark, which Windows PowerShell 5.1 writes; a file with NUL bytes and no mark,
    or with bytes that are not UTF-8, cannot be read without guessing.""",
    fix="Save the file as UTF-8, e.g. with `Out-File -Encoding utf8` in PowerShell.",
    source=f"{TOML}, 'Spec'; Microsoft Learn: about_Character_Encoding (PowerShell)",
    checked_in="wfpgen.lifecycle.answers",
)
declare(
    "E103",
    "the spec file is not valid TOML",
    explanation="""The file is text but not TOML: the message names the line and column
    where the TOML reader gave up. Common causes are unquoted strings (name = Contoso) and
    tables or arrays nested deeper than a spec ever needs.""",
    fix="Quote strings, and compare the file with `wfpgen new --dry-run --json` output or the README example.",
    source=TOML,
    checked_in="wfpgen.lifecycle.answers",
)
declare(
    "E104",
    "the spec file is too large",
    explanation="""A spec is a few kilobytes; wfpgen stops reading at WFPGEN_MAX_SPEC_BYTES
    (1 MiB unless set), so that a wrong path (a log, a device such as /dev/zero) fails
    quickly instead of filling memory.""",
    fix="Check that the path names the spec, or raise WFPGEN_MAX_SPEC_BYTES.",
    source="wfpgen's own limit (wfpgen.limits)",
    checked_in="wfpgen.lifecycle.answers",
)
declare(
    "E110",
    "unknown key",
    explanation="""The spec has a key wfpgen does not know, so its value would be silently
    ignored. Often a typo: the message suggests the closest known key, or lists them.""",
    fix="Rename the key as suggested, or remove it; `wfpgen schema` lists every key.",
    source=f"{README}; `wfpgen schema`",
    checked_in="wfpgen.core.spec",
)
declare(
    "E111",
    "a value has the wrong type",
    explanation="""A key holds a value of the wrong TOML type, e.g. a number where a string
    is expected (kmdf_version = 1.23) or a string where a table is expected. Version numbers
    must be quoted: a TOML float would lose trailing zeros.""",
    fix="Write the value with the type the message names, e.g. in quotes for a string.",
    source=f"{README}; `wfpgen schema`",
    checked_in="wfpgen.core.spec",
)
declare(
    "E112",
    "a required key is missing",
    explanation="""Every [[callouts]] table needs a name (the C identifier the generated code
    uses) and a layer (where the filter engine calls it); wfpgen cannot pick them for you.""",
    fix="Add the missing key to the callout's table.",
    source=README,
    checked_in="wfpgen.core.spec",
)
declare(
    "E113",
    "a --callout (or add callout) value is malformed",
    explanation="""--callout and `wfpgen add callout` take NAME:LAYER or
    NAME:LAYER:FLAG,FLAG, e.g. --callout Connect:ALE_AUTH_CONNECT_V4.""",
    fix="Write the value as NAME:LAYER, optionally followed by :FLAG,FLAG.",
    source="`wfpgen new --help`; `wfpgen add callout --help`",
    checked_in="wfpgen.core.spec",
)

TEMPLATES = "README: Templates for teams; cookiecutter docs: cookiecutter.json"
declare(
    "E140",
    "the template declares no such variable",
    explanation="""[template.variables] and --set give values to the variables a template
    declares in its cookiecutter.json. A name it does not declare would be ignored, so it
    is refused, with the closest declared name; the built-in template declares none.""",
    fix="Use a name the template's cookiecutter.json declares, or remove it.",
    source=TEMPLATES,
    checked_in="wfpgen.templating.config",
)
declare(
    "E141",
    "a template variable's value does not fit its type",
    explanation="""A template variable takes values like its default in cookiecutter.json:
    one of its choices, yes or no for a boolean, a number, or a JSON object.""",
    fix="Give a value of the kind the message names.",
    source=TEMPLATES,
    checked_in="wfpgen.templating.config",
)
declare(
    "E142",
    "a --set value is not KEY=VALUE",
    explanation="""--set gives one template variable a value, written KEY=VALUE with a
    non-empty key, e.g. --set owner=netsec.""",
    fix="Write the option as --set KEY=VALUE.",
    source=TEMPLATES,
    checked_in="wfpgen.templating.config",
)
declare(
    "E143",
    "the template folder is outside the template source",
    explanation="""--directory (template.directory) names the folder holding
    cookiecutter.json inside a template source; an absolute path or one with .. would
    reach outside it.""",
    fix="Give a relative folder inside the source, e.g. templates/driver.",
    source=TEMPLATES,
    checked_in="wfpgen.templating.sources",
)
declare(
    "E144",
    "a ref or folder for a template source that has none",
    explanation="""Only git sources have branches, tags and commits (--checkout), and the
    built-in template has neither refs nor folders; a local folder or zip archive is used
    as it is.""",
    fix="Remove --checkout (and --directory for the built-in template), or pass --template.",
    source=TEMPLATES,
    checked_in="wfpgen.templating.sources",
)

declare(
    "E145",
    "not a git branch, tag or commit name",
    explanation="""--checkout and template.checkout name a branch, tag or commit of a git
    template. A value that breaks git's rules for ref names, or starts with - (which git
    would read as an option), is refused before git runs.""",
    fix="Give the name of an existing branch or tag, or a commit id.",
    source="git-check-ref-format (git-scm.com/docs/git-check-ref-format)",
    checked_in="wfpgen.templating.fetching",
)
declare(
    "E146",
    "template.commit is not a commit id",
    explanation="""template.commit, which wfpgen writes into a project's wfpgen.toml, is the
    commit the project was generated from: 4 to 64 hexadecimal digits.""",
    fix="Restore the value wfpgen wrote, or remove the key to use template.checkout.",
    source="git: object names (git-scm.com/docs/gitrevisions)",
    checked_in="wfpgen.templating.fetching",
)


@dataclass(frozen=True)
class Driver:
    """The [driver] table, for checks of its plain values."""

    where: str
    driver: DriverSpec


DRIVER = Group[Driver]("driver values", first_only=False)


@DRIVER.rule(
    "E120",
    "driver.version is not 1 to 4 numbers of 0-65535",
    at=".version",
    explanation="""The driver version goes into the INF's DriverVer and the VERSIONINFO
    resource, which hold four 16-bit numbers: major.minor.build.revision.""",
    fix='Write it as 1 to 4 numbers separated by dots, each at most 65535, e.g. "1.0.0.0".',
    source="Microsoft Learn: INF DriverVer Directive; VERSIONINFO resource",
)
def bad_version(subject: Driver) -> str | None:
    """The version has too many parts, non-digits, or a part over 65535."""
    version = subject.driver.version
    if VERSION.fullmatch(version) and all(int(part) <= 0xFFFF for part in version.split(".")):
        return None
    return "expected 1 to 4 numbers (0-65535) separated by dots"


@DRIVER.rule(
    "E121",
    "unknown driver.filters mode",
    at=".filters",
    explanation="""driver.filters says whether the driver adds its own filters when it loads
    ("dynamic") or only registers its callouts and leaves the filters to someone else
    ("none").""",
    fix='Use "dynamic" or "none".',
    source=README,
)
def unknown_filters(subject: Driver) -> str | None:
    """driver.filters is not one of FILTER_MODES."""
    if subject.driver.filters in FILTER_MODES:
        return None
    return f"expected one of: {', '.join(FILTER_MODES)}"


@DRIVER.rule(
    "E122",
    "unknown driver.start_type",
    at=".start_type",
    explanation="""The start type becomes the StartType of the driver's service in the INF:
    boot (0), system (1), auto (2) or demand (3).""",
    fix="Use demand, auto, system or boot.",
    source="Microsoft Learn: INF AddService Directive (StartType)",
)
def unknown_start_type(subject: Driver) -> str | None:
    """driver.start_type is not one of START_TYPES."""
    if subject.driver.start_type in START_TYPES:
        return None
    return f"expected one of: {', '.join(START_TYPES)}"


@dataclass(frozen=True)
class Weight:
    """The sublayer's weight."""

    where: str
    weight: int


WEIGHT = Group[Weight]("sublayer weight", first_only=True)


@WEIGHT.rule(
    "E123",
    "sublayer.weight is not between 0 and 65535",
    explanation="""A sublayer's weight is a 16-bit number (the weight member of
    FWPM_SUBLAYER0 is a UINT16); it orders the sublayers within a layer.""",
    fix="Use a weight from 0 to 65535.",
    source="Microsoft Learn: FWPM_SUBLAYER0 structure (fwpmtypes.h)",
)
def weight_out_of_range(subject: Weight) -> str | None:
    """The weight does not fit in 16 bits."""
    return None if 0 <= subject.weight <= 0xFFFF else "must be between 0 and 65535"


@dataclass(frozen=True)
class Callouts:
    """The spec's list of callouts."""

    where: str
    count: int


CALLOUTS = Group[Callouts]("callout list", first_only=True)


@CALLOUTS.rule(
    "E124",
    "the spec has no callouts",
    explanation="""A callout driver registers at least one callout; without one there is
    nothing to generate. A spec file names them in [[callouts]] tables, the command line with
    --callout.""",
    fix="Add a [[callouts]] table with a name and a layer, or pass --callout NAME:LAYER.",
    source=README,
)
def no_callouts(subject: Callouts) -> str | None:
    """The list is empty."""
    if subject.count:
        return None
    return "no callouts; add at least one [[callouts]] table or --callout"


@dataclass(frozen=True)
class Action:
    """A callout's action as written."""

    where: str
    text: str


ACTION = Group[Action]("callout action", first_only=True)


@ACTION.rule(
    "E125",
    "unknown callout action",
    explanation="""The action is the type of the filter that calls the callout:
    FWP_ACTION_CALLOUT_TERMINATING (classify permits or blocks), _INSPECTION (classify only
    looks) or _UNKNOWN (classify may do either).""",
    fix="Use terminating, inspection or unknown (the FWP_ACTION_CALLOUT_ prefix is optional).",
    source="Microsoft Learn: FWPM_ACTION0 structure (fwpmtypes.h)",
)
def unknown_action(subject: Action) -> str | None:
    """The action is none of ACTIONS in any accepted spelling."""
    if canonical_action(subject.text) is not None:
        return None
    return f"unknown action '{subject.text}'; use one of {', '.join(ACTIONS)}"


ARCH_SOURCE = (
    "Microsoft Learn: Building ARM64 Drivers with the WDK; Windows-driver-samples (x64 and ARM64)"
)


@dataclass(frozen=True)
class Architectures:
    """driver.architectures as a whole."""

    where: str
    names: tuple[str, ...]


ARCHITECTURE_LIST = Group[Architectures]("architecture list", first_only=True)


@ARCHITECTURE_LIST.rule(
    "E126",
    "driver.architectures is empty",
    explanation="""driver.architectures lists the MSBuild platforms the project builds for.
    Leave the key out for the default (x64, plus ARM64 from win10-1709), or list at least
    one.""",
    fix="List some of x64, ARM64 and x86, or remove the key.",
    source=ARCH_SOURCE,
)
def no_architectures(subject: Architectures) -> str | None:
    """The list is empty."""
    return None if subject.names else f"empty; use some of {', '.join(ARCHITECTURES)}"


@dataclass(frozen=True)
class Architecture:
    """One entry of driver.architectures, with the entries accepted before it."""

    where: str
    text: str
    earlier: tuple[str, ...]


ARCHITECTURE = Group[Architecture]("architecture", first_only=True)


@ARCHITECTURE.rule(
    "E127",
    "unknown architecture",
    explanation="""wfpgen generates Visual Studio projects for the x64, ARM64 and x86
    platforms (amd64, x86_64, aarch64 and win32 are accepted as other names for them).""",
    fix="Use x64, ARM64 or x86.",
    source=ARCH_SOURCE,
)
def unknown_architecture(subject: Architecture) -> str | None:
    """The entry names no known platform."""
    if canonical_architecture(subject.text) is not None:
        return None
    return f"unknown architecture '{subject.text}'; use {', '.join(ARCHITECTURES)}"


@ARCHITECTURE.rule(
    "E128",
    "an architecture is listed twice",
    explanation="""Each platform gets one configuration in the generated solution; naming it
    twice (perhaps under two names, such as x64 and amd64) is a mistake.""",
    fix="Remove the repeated entry.",
    source=ARCH_SOURCE,
)
def repeated_architecture(subject: Architecture) -> str | None:
    """The entry names a platform an earlier entry named."""
    if canonical_architecture(subject.text) not in subject.earlier:
        return None
    return f"'{subject.text}' is listed twice"


@dataclass(frozen=True)
class Text:
    """A free text (description, company, display name) that ends up in the INF and in C."""

    where: str
    text: str


TEXT = Group[Text]("text", first_only=True)
TEXT_SOURCE = "Microsoft Learn: INF Strings Section; Stampinf"


@TEXT.rule(
    "E130",
    "a text has characters the INF or C strings cannot carry",
    explanation="""Descriptions, the company and display names are copied into the INF's
    [Strings] section, the version resource and C string literals as they are. Double
    quotes, % (INF string substitution) and backslashes change their meaning there, and
    characters outside printable ASCII depend on code pages.""",
    fix='Use printable ASCII without ", % or \\.',
    source=TEXT_SOURCE,
)
def unsafe_characters(subject: Text) -> str | None:
    """The text holds a control, non-ASCII, quote, percent or backslash character."""
    bad = sorted({ch for ch in subject.text if not (" " <= ch <= "~") or ch in '"%\\'})
    if not bad:
        return None
    shown = " ".join(repr(ch) for ch in bad)
    return f'contains {shown}; use printable ASCII without ", % or \\ (INF and C strings carry it as is)'


@TEXT.rule(
    "E131",
    "a text holds a token the INF tools replace",
    explanation="""StampInf replaces tokens between dollar signs ($ARCH$, $KMDFVERSION$...)
    in the INF while building, so a text holding one would not reach Windows as written.""",
    fix="Write the text without the $ signs.",
    source=TEXT_SOURCE,
)
def inf_token(subject: Text) -> str | None:
    """The text holds $...$."""
    token = INF_TOKEN.search(subject.text)
    if token is None:
        return None
    return f"contains {token.group()}, which the INF tools replace; write it without the $ signs"


@TEXT.rule(
    "E132",
    "a text is too long",
    explanation=f"""wfpgen keeps descriptions, the company and display names to at most
    {MAX_TEXT} characters, so that they stay one readable line wherever Windows and the
    generated project show them; a paragraph belongs in the README.""",
    fix=f"Shorten the text to at most {MAX_TEXT} characters.",
    source="wfpgen's own limit",
)
def long_text(subject: Text) -> str | None:
    """The text has more than MAX_TEXT characters."""
    if len(subject.text) <= MAX_TEXT:
        return None
    return f"{len(subject.text)} characters; keep it under {MAX_TEXT}"
