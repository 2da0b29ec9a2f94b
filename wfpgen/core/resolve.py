"""Turn a valid spec into a fully resolved one: every default and GUID filled in.

The resolved spec is what ``wfpgen.toml`` records, so generating from that file
again resolves to the same spec and renders the same bytes.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace

from wfpgen.core.catalog import Catalog
from wfpgen.core.names import upper_snake
from wfpgen.core.spec import CalloutSpec, DriverSpec, ProjectSpec
from wfpgen.core.validation import (
    canonical_action,
    canonical_architecture,
    canonical_behavior,
    canonical_guid,
    default_action,
    default_architectures,
    default_kmdf,
    is_flow_associator,
    is_flow_target,
)

GuidFactory = Callable[[], str]

# The description of a callout wfpgen adds to associate flow contexts: how
# ``wfpgen remove callout`` and ``update`` recognise it (see wfpgen/core/edit.py).
FLOW_ESTABLISHER_DESCRIPTION = "Associates flow contexts with "


def random_guid() -> str:
    """A fresh random GUID, in the canonical lower-case form."""
    return str(uuid.uuid4())


@dataclass(frozen=True)
class Resolution:
    """A resolved spec and what resolving it changed, for the user to read."""

    spec: ProjectSpec
    notes: tuple[str, ...]


def resolve_spec(
    spec: ProjectSpec, catalog: Catalog, new_guid: GuidFactory = random_guid
) -> Resolution:
    """Fill in defaults, canonical spellings, GUIDs and companion flow callouts.

    ``spec`` must have passed ``validate_spec`` without problems.
    """
    notes: list[str] = []
    callouts = tuple(_canonical_callout(c, catalog) for c in spec.callouts)
    callouts = _add_flow_establishers(callouts, catalog, notes)
    guid = _GuidFiller(new_guid, notes)
    driver = _resolve_driver(spec.driver, catalog)
    resolved = ProjectSpec(
        driver=driver,
        provider=replace(
            spec.provider,
            guid=guid.fill("provider", spec.provider.guid),
            name=spec.provider.name or f"{driver.name} provider",
        ),
        sublayer=replace(
            spec.sublayer,
            guid=guid.fill("sublayer", spec.sublayer.guid),
            name=spec.sublayer.name or f"{driver.name} sublayer",
        ),
        callouts=tuple(replace(c, guid=guid.fill(f"callout {c.name}", c.guid)) for c in callouts),
        channel=spec.channel,
        template=spec.template,
    )
    return Resolution(resolved, tuple(notes))


class _GuidFiller:
    def __init__(self, new_guid: GuidFactory, notes: list[str]) -> None:
        self.new_guid = new_guid
        self.notes = notes

    def fill(self, what: str, guid: str | None) -> str:
        if guid is not None:
            return canonical_guid(guid)
        fresh = canonical_guid(self.new_guid())
        self.notes.append(f"generated GUID {fresh} for the {what}")
        return fresh


def _resolve_driver(driver: DriverSpec, catalog: Catalog) -> DriverSpec:
    windows = catalog.find_windows(driver.min_os)
    assert windows is not None, "resolve_spec needs a validated spec"
    if driver.architectures is None:
        architectures = default_architectures(catalog, windows)
    else:
        architectures = tuple(canonical_architecture(a) or a for a in driver.architectures)
    return replace(
        driver,
        description=driver.description or f"{driver.name} WFP callout driver",
        company=driver.company or driver.name,
        min_os=windows.id,
        kmdf_version=driver.kmdf_version or default_kmdf(windows),
        architectures=architectures,
    )


def _canonical_callout(callout: CalloutSpec, catalog: Catalog) -> CalloutSpec:
    layer = catalog.find_layer(callout.layer)
    assert layer is not None, "resolve_spec needs a validated spec"
    flags = []
    for name in callout.flags:
        flag = catalog.find_flag(name)
        assert flag is not None, "resolve_spec needs a validated spec"
        flags.append(flag.name)
    # Associating a flow context fails unless the callout has a flowDeleteFn,
    # so a callout that classifies only flows with contexts must keep them.
    keeps_flows = callout.flow_context or "CONDITIONAL_ON_FLOW" in flags
    return replace(
        callout,
        layer=layer.name,
        flags=tuple(flags),
        action=default_action(layer)
        if callout.action is None
        else canonical_action(callout.action) or callout.action,
        flow_context=keeps_flows,
        description=callout.description or f"{callout.name} callout at {layer.name}",
        behavior=canonical_behavior(callout.behavior) or callout.behavior,
    )


def _add_flow_establishers(
    callouts: tuple[CalloutSpec, ...], catalog: Catalog, notes: list[str]
) -> tuple[CalloutSpec, ...]:
    """Add an ALE_FLOW_ESTABLISHED callout per IP family that has flow contexts but none.

    Flow contexts are associated when the flow is established; without a callout
    there, a CONDITIONAL_ON_FLOW callout would never be classified.
    """
    added = list(callouts)
    for family in ("v4", "v6"):
        layer_name = f"ALE_FLOW_ESTABLISHED_{family.upper()}"
        targets = [
            c.name for c in callouts if c.flow_context and _layer_family(c, catalog) == family
        ]
        if not targets or any(_associates(c, catalog, family) for c in callouts):
            continue
        name = _unused_name(f"FlowEstablished{family.upper()}", added)
        added.append(
            CalloutSpec(
                name=name,
                layer=layer_name,
                action="inspection",
                description=FLOW_ESTABLISHER_DESCRIPTION + ", ".join(targets),
            )
        )
        notes.append(
            f"added callout {name} at {layer_name} to associate flow contexts with "
            f"{', '.join(targets)}"
        )
    return tuple(added)


def _associates(callout: CalloutSpec, catalog: Catalog, family: str) -> bool:
    """Whether ``callout`` associates the flow contexts of ``family`` (see context.py)."""
    layer = catalog.find_layer(callout.layer)
    return layer is not None and is_flow_associator(layer) and layer.family == family


def _layer_family(callout: CalloutSpec, catalog: Catalog) -> str:
    layer = catalog.find_layer(callout.layer)
    return layer.family if layer is not None and is_flow_target(layer) else ""


def _unused_name(base: str, callouts: list[CalloutSpec]) -> str:
    """``base``, or ``base_2``, ``base_3``...: whichever no callout uses in any spelling."""
    taken = {c.name.lower() for c in callouts} | {upper_snake(c.name) for c in callouts}
    name, counter = base, 2
    while name.lower() in taken or upper_snake(name) in taken:
        name, counter = f"{base}_{counter}", counter + 1
    return name
