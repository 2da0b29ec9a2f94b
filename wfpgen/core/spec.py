"""The project spec: what the user decides about the driver and its callouts.

``parse_spec`` turns the raw mapping read from a TOML file (with command-line
values already merged in) into a frozen :class:`ProjectSpec`, reporting every
type and key problem at once. Checks that need WFP knowledge live in
``validation``; filling in GUIDs and derived defaults lives in ``resolve.py``.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from wfpgen.core.spec_reader import MALFORMED_CALLOUT_OPTION, MISSING_KEY, Reader, kind
from wfpgen.errors import Problem, SpecError

ACTIONS = ("terminating", "inspection", "unknown")
FILTER_MODES = ("dynamic", "none")
START_TYPES = ("demand", "auto", "system", "boot")
ARCHITECTURES = ("x64", "ARM64", "x86")
BEHAVIORS = ("decide", "ask", "reinject")


@dataclass(frozen=True)
class DriverSpec:
    """The driver as a whole."""

    name: str = "WfpCallout"
    description: str | None = None
    company: str | None = None
    version: str = "1.0.0.0"
    min_os: str = "win10-2004"
    kmdf_version: str | None = None
    architectures: tuple[str, ...] | None = None  # None: the default for min_os
    filters: str = "dynamic"
    start_type: str = "demand"
    tests: bool = True


@dataclass(frozen=True)
class ProviderSpec:
    """The WFP provider that owns the driver's filter-engine objects."""

    guid: str | None = None
    name: str | None = None


@dataclass(frozen=True)
class SublayerSpec:
    """The sublayer that holds the driver's filters."""

    guid: str | None = None
    name: str | None = None
    weight: int = 0


@dataclass(frozen=True)
class CalloutSpec:
    """One callout: what it is called, where it sits and how it behaves."""

    name: str
    layer: str
    flags: tuple[str, ...] = ()
    guid: str | None = None
    action: str | None = None  # None: decided by the layer when the spec is resolved
    flow_context: bool = False
    description: str | None = None
    behavior: str = "decide"


@dataclass(frozen=True)
class ChannelSpec:
    """The control channel between the driver and user mode (off by default)."""

    enabled: bool = False
    events: bool = True
    app: bool = True
    ring: int = 256
    ask_timeout: int = 5
    # The keys the spec wrote (not compared): keys other than ``enabled`` given while
    # the channel is off have no effect, which validation warns about (W408).
    given: frozenset[str] = field(default=frozenset(), compare=False, repr=False)


@dataclass(frozen=True)
class TemplateSpec:
    """The template that renders the project, and the values of its own variables.

    ``source`` None is the built-in template. ``commit`` is the git commit a
    project was generated from: regenerating checks it out instead of
    ``checkout``, so the same template text renders again.
    """

    source: str | None = None
    checkout: str | None = None
    commit: str | None = None
    directory: str | None = None
    variables: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ProjectSpec:
    """Everything that decides the generated project."""

    driver: DriverSpec = field(default_factory=DriverSpec)
    provider: ProviderSpec = field(default_factory=ProviderSpec)
    sublayer: SublayerSpec = field(default_factory=SublayerSpec)
    callouts: tuple[CalloutSpec, ...] = ()
    channel: ChannelSpec = field(default_factory=ChannelSpec)
    template: TemplateSpec = field(default_factory=TemplateSpec)


DEFAULT_CALLOUTS = (
    {"name": "ConnectV4", "layer": "ALE_AUTH_CONNECT_V4"},
    {"name": "ConnectV6", "layer": "ALE_AUTH_CONNECT_V6"},
)
"""The callouts of the built-in default project (used when no spec names any)."""

# Key tables: the single list of what each table accepts. Unknown keys are
# errors with a did-you-mean, and the JSON Schema is built from the same tables.
DRIVER_KEYS = {
    "name": "driver name: C identifier of at most 32 characters",
    "description": "one-line description (INF, version resource)",
    "company": "company or provider name shown by Windows",
    "version": "driver version, 1 to 4 numbers separated by dots",
    "min_os": "minimum Windows version, e.g. win10-1709",
    "kmdf_version": "KMDF version, e.g. 1.23 (default: the one in the minimum Windows)",
    "architectures": "MSBuild platforms: x64, ARM64, x86 (default: x64, plus ARM64 from win10-1709)",
    "filters": "dynamic: the driver adds its filters; none: it only registers callouts",
    "start_type": "service start type: demand (default), auto, system or boot",
    "tests": "ship tests/: a user-mode simulation of KMDF and WFP that runs the driver (default: true)",
}
PROVIDER_KEYS = {"guid": "provider key", "name": "provider display name"}
SUBLAYER_KEYS = {
    "guid": "sublayer key",
    "name": "sublayer display name",
    "weight": "sublayer weight, 0-65535",
}
CALLOUT_KEYS = {
    "name": "callout name: C identifier",
    "layer": "filtering layer, e.g. ALE_AUTH_CONNECT_V4",
    "flags": "FWP_CALLOUT_FLAG_* names, prefix optional",
    "guid": "callout key (generated when missing)",
    "action": "filter action: terminating, inspection or unknown (default: inspection at discard and informational layers, else terminating)",
    "flow_context": "the callout keeps per-flow contexts",
    "description": "one-line description",
    "behavior": "decide (inline verdict, default), ask (pend and ask user mode through the channel; ALE_AUTH_CONNECT/RECV_ACCEPT) or reinject (clone, inspect and reinject packets; transport, DATAGRAM_DATA and IP packet layers)",
}
CHANNEL_KEYS = {
    "enabled": "an admin-only control device that user mode opens (default: false)",
    "events": "classify reports connection events to user mode through the channel (default: true)",
    "app": "generate the companion console program in app/ (default: true)",
    "ring": "events the driver holds while no reader waits, 16-65536 (default: 256)",
    "ask_timeout": "seconds an ask callout waits for an answer before the default verdict, 1-300 (default: 5)",
}
TEMPLATE_KEYS = {
    "source": "template folder, zip (path or URL) or git repository (https://, git+, file://, gh:, gl:, bb:); default: the built-in template",
    "checkout": "git branch, tag or commit to check out",
    "commit": "git commit the project was generated from (written by wfpgen; regenerating uses it)",
    "directory": "folder inside the source that holds cookiecutter.json",
    "variables": "values of the template's own variables (keys its cookiecutter.json declares)",
}
TOP_KEYS = {
    "driver": "the driver",
    "provider": "the WFP provider",
    "sublayer": "the WFP sublayer",
    "callouts": "the callouts, one table each",
    "channel": "the control channel to user mode (off by default)",
    "template": "the template and its variables (default: the built-in template)",
    "wfpgen": "written by wfpgen: the version that generated the project",
}


def read_spec(raw: Mapping[str, Any]) -> tuple[ProjectSpec, list[Problem]]:
    """Build a spec from a raw mapping, with the problems found on the way.

    A value of the wrong type is reported and replaced by its default, so later
    checks can still look at everything else.
    """
    parser = _Parser()
    spec = parser.project(raw)
    return spec, parser.problems


def parse_spec(raw: Mapping[str, Any]) -> ProjectSpec:
    """Build a spec from a raw mapping, or raise SpecError listing every problem."""
    spec, problems = read_spec(raw)
    if problems:
        raise SpecError(problems)
    return spec


def apply_options(
    raw: Mapping[str, Any],
    *,
    name: str | None = None,
    min_os: str | None = None,
    callouts: Sequence[str] = (),
    from_file: bool = False,
) -> dict[str, Any]:
    """Overlay command-line values on a raw spec; options win over file values.

    ``--callout`` options replace the file's callouts. With neither a file nor
    ``--callout``, the built-in default callouts are used.

    Raises:
        SpecError: a ``--callout`` value is malformed (all of them are reported).
    """
    merged = dict(raw)
    # A missing [driver] table is an empty one; a malformed one is left for read_spec to report.
    given = merged.get("driver", {})
    driver = dict(given) if isinstance(given, Mapping) else None
    if driver is not None and (name is not None or min_os is not None):
        if name is not None:
            driver["name"] = name
        if min_os is not None:
            driver["min_os"] = min_os
        merged["driver"] = driver
    problems: list[Problem] = []
    parsed = []
    for value in callouts:
        try:
            parsed.append(parse_callout_option(value))
        except SpecError as err:
            problems.extend(err.problems)
    if problems:
        raise SpecError(problems)
    if parsed:
        merged["callouts"] = parsed
    elif not from_file:
        merged.setdefault("callouts", [dict(c) for c in DEFAULT_CALLOUTS])
    return merged


def parse_callout_option(value: str) -> dict[str, Any]:
    """Split a ``NAME:LAYER[:FLAG,FLAG...]`` command-line value into callout keys.

    Raises:
        SpecError: the value does not have two or three parts.
    """
    parts = value.split(":")
    if len(parts) not in (2, 3) or not all(p.strip() for p in parts[:2]):
        raise SpecError(
            [
                Problem(
                    f"--callout {value!r}",
                    "expected NAME:LAYER or NAME:LAYER:FLAG,FLAG",
                    code=MALFORMED_CALLOUT_OPTION,
                )
            ]
        )
    callout: dict[str, Any] = {"name": parts[0].strip(), "layer": parts[1].strip()}
    if len(parts) == 3:
        callout["flags"] = [f.strip() for f in parts[2].split(",") if f.strip()]
    return callout


class _Parser(Reader):
    """Reads a raw mapping into a spec, table by table."""

    def project(self, raw: Mapping[str, Any]) -> ProjectSpec:
        self.check_keys("", raw, TOP_KEYS)
        driver = self.table(raw, "driver", DRIVER_KEYS)
        provider = self.table(raw, "provider", PROVIDER_KEYS)
        sublayer = self.table(raw, "sublayer", SUBLAYER_KEYS)
        return ProjectSpec(
            driver=self.driver(driver),
            provider=ProviderSpec(
                guid=self.opt_str(provider, "guid", "provider.guid"),
                name=self.opt_str(provider, "name", "provider.name"),
            ),
            sublayer=SublayerSpec(
                guid=self.opt_str(sublayer, "guid", "sublayer.guid"),
                name=self.opt_str(sublayer, "name", "sublayer.name"),
                weight=self.integer(sublayer, "weight", "sublayer.weight", 0),
            ),
            callouts=self.callouts(raw.get("callouts", [])),
            channel=self.channel(self.table(raw, "channel", CHANNEL_KEYS)),
            template=self.template(self.table(raw, "template", TEMPLATE_KEYS)),
        )

    def template(self, raw: Mapping[str, Any]) -> TemplateSpec:
        variables = raw.get("variables", {})
        if not isinstance(variables, Mapping):
            self.add("template.variables", f"expected a table, got {kind(variables)}")
            variables = {}
        return TemplateSpec(
            source=self.opt_str(raw, "source", "template.source"),
            checkout=self.opt_str(raw, "checkout", "template.checkout"),
            commit=self.opt_str(raw, "commit", "template.commit"),
            directory=self.opt_str(raw, "directory", "template.directory"),
            variables=dict(variables),
        )

    def channel(self, raw: Mapping[str, Any]) -> ChannelSpec:
        default = ChannelSpec()
        return ChannelSpec(
            enabled=self.boolean(raw, "enabled", "channel.enabled", default.enabled),
            events=self.boolean(raw, "events", "channel.events", default.events),
            app=self.boolean(raw, "app", "channel.app", default.app),
            ring=self.integer(raw, "ring", "channel.ring", default.ring),
            ask_timeout=self.integer(
                raw, "ask_timeout", "channel.ask_timeout", default.ask_timeout
            ),
            given=frozenset(key for key in raw if key in CHANNEL_KEYS),
        )

    def driver(self, raw: Mapping[str, Any]) -> DriverSpec:
        default = DriverSpec()
        return DriverSpec(
            name=self.string(raw, "name", "driver.name", default.name),
            description=self.opt_str(raw, "description", "driver.description"),
            company=self.opt_str(raw, "company", "driver.company"),
            version=self.string(raw, "version", "driver.version", default.version),
            min_os=self.string(raw, "min_os", "driver.min_os", default.min_os),
            kmdf_version=self.opt_str(raw, "kmdf_version", "driver.kmdf_version"),
            architectures=self.opt_strings(raw, "architectures", "driver.architectures"),
            filters=self.string(raw, "filters", "driver.filters", default.filters),
            start_type=self.string(raw, "start_type", "driver.start_type", default.start_type),
            tests=self.boolean(raw, "tests", "driver.tests", default.tests),
        )

    def callouts(self, raw: Any) -> tuple[CalloutSpec, ...]:
        if not isinstance(raw, Sequence) or isinstance(raw, str):
            self.add("callouts", f"expected an array of tables ([[callouts]]), got {kind(raw)}")
            return ()
        parsed = []
        for index, item in enumerate(raw):
            where = f"callouts[{index}]"
            if not isinstance(item, Mapping):
                self.add(where, f"expected a table, got {kind(item)}")
                continue
            self.check_keys(f"{where}.", item, CALLOUT_KEYS)
            for required in ("name", "layer"):
                if required not in item:
                    self.add(
                        f"{where}.{required}", f"missing; {CALLOUT_KEYS[required]}", MISSING_KEY
                    )
            parsed.append(
                CalloutSpec(
                    name=self.string(item, "name", f"{where}.name", ""),
                    layer=self.string(item, "layer", f"{where}.layer", ""),
                    flags=self.strings(item, "flags", f"{where}.flags", ()),
                    guid=self.opt_str(item, "guid", f"{where}.guid"),
                    action=self.opt_str(item, "action", f"{where}.action"),
                    flow_context=self.boolean(item, "flow_context", f"{where}.flow_context"),
                    description=self.opt_str(item, "description", f"{where}.description"),
                    behavior=self.string(item, "behavior", f"{where}.behavior", "decide"),
                )
            )
        return tuple(parsed)


def spec_to_raw(spec: ProjectSpec, *, version: str) -> dict[str, Any]:
    """The spec as the mapping written to ``wfpgen.toml`` (None values left out)."""
    driver = spec.driver
    return {
        "wfpgen": {"version": version},
        "driver": _without_none(
            {
                "name": driver.name,
                "description": driver.description,
                "company": driver.company,
                "version": driver.version,
                "min_os": driver.min_os,
                "kmdf_version": driver.kmdf_version,
                "architectures": list(driver.architectures) if driver.architectures else None,
                "filters": driver.filters,
                "start_type": driver.start_type,
                "tests": driver.tests,
            }
        ),
        "provider": _without_none({"guid": spec.provider.guid, "name": spec.provider.name}),
        "sublayer": _without_none(
            {"guid": spec.sublayer.guid, "name": spec.sublayer.name, "weight": spec.sublayer.weight}
        ),
        "callouts": [
            _without_none(
                {
                    "name": c.name,
                    "layer": c.layer,
                    "flags": list(c.flags),
                    "guid": c.guid,
                    "action": c.action,
                    "flow_context": c.flow_context,
                    "description": c.description,
                    "behavior": None if c.behavior == "decide" else c.behavior,
                }
            )
            for c in spec.callouts
        ],
        **channel_to_raw(spec.channel),
        **template_to_raw(spec.template),
    }


def channel_to_raw(channel: ChannelSpec) -> dict[str, Any]:
    """The ``[channel]`` table, or nothing while the channel is off and untouched.

    While it is off, only the keys that differ from their defaults are kept, so
    the warning about keys without effect (W408) names just those.
    """
    if channel == ChannelSpec():
        return {}
    table = {
        "enabled": channel.enabled,
        "events": channel.events,
        "app": channel.app,
        "ring": channel.ring,
        "ask_timeout": channel.ask_timeout,
    }
    if not channel.enabled:
        default = channel_to_raw(replace(ChannelSpec(), enabled=True))["channel"]
        table = {k: v for k, v in table.items() if k == "enabled" or v != default[k]}
    return {"channel": table}


def template_to_raw(template: TemplateSpec) -> dict[str, Any]:
    """The ``[template]`` table, or nothing for the built-in template without variables."""
    table = _without_none(
        {
            "source": template.source,
            "checkout": template.checkout,
            "commit": template.commit,
            "directory": template.directory,
        }
    )
    if template.variables:
        table["variables"] = dict(sorted(template.variables.items()))
    return {"template": table} if table else {}


def _without_none(values: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None}
