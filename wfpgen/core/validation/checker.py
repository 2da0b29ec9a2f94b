"""The walk through a spec: which group of rules runs on which part, in which order.

The rules say what is wrong; this module decides what each rule looks at, and
which rules are skipped because an earlier one already failed (a flag that does
not exist is not checked against the layer). Problems come out in the spec's
order: the driver, the provider and sublayer, the GUIDs, each callout, then the
control channel.
"""

from dataclasses import dataclass

from wfpgen.core.catalog import Catalog, Layer, WindowsVersion
from wfpgen.core.names import upper_snake
from wfpgen.core.reserved import Owner, c_names
from wfpgen.core.spec import CalloutSpec, ProjectSpec
from wfpgen.core.validation import behaviors, names, platform, structure
from wfpgen.core.validation.facts import (
    IDENTIFIER,
    MAX_CALLOUT_NAME,
    MAX_DRIVER_NAME,
    canonical_action,
    canonical_architecture,
    canonical_guid,
)
from wfpgen.core.validation.registry import Report
from wfpgen.errors import Problem


@dataclass(frozen=True)
class Findings:
    """What validation found: problems block generation, warnings do not."""

    problems: tuple[Problem, ...]
    warnings: tuple[Problem, ...]


def validate_spec(spec: ProjectSpec, catalog: Catalog) -> Findings:
    """Check ``spec`` against ``catalog`` and return every problem and warning."""
    walk = Walk(catalog)
    walk.spec(spec)
    return Findings(tuple(walk.found.problems), tuple(walk.found.warnings))


class Walk:
    """One validation of one spec: the findings so far and the names and keys already taken."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.found = Report()
        self.spelled: dict[str, str] = {}  # C identifier -> the spec field it comes from

    def spec(self, spec: ProjectSpec) -> None:
        """Check the whole spec."""
        windows = self.driver(spec)
        self.text("provider.name", spec.provider.name)
        self.text("sublayer.name", spec.sublayer.name)
        structure.WEIGHT.run(self.found, structure.Weight("sublayer.weight", spec.sublayer.weight))
        self.guids(spec)
        structure.CALLOUTS.run(self.found, structure.Callouts("callouts", len(spec.callouts)))
        seen: dict[str, int] = {}
        for index, callout in enumerate(spec.callouts):
            where = f"callouts[{index}]"
            self.callout(where, callout, windows, spec.driver.filters, spec.channel.enabled)
            if IDENTIFIER.fullmatch(callout.name):
                self.callout_name(where, callout.name, seen, index)
        behaviors.CHANNEL.run(self.found, behaviors.Channel("channel", spec.channel))

    def driver(self, spec: ProjectSpec) -> WindowsVersion | None:
        """Check the [driver] table; return the Windows version it targets, if known."""
        driver = spec.driver
        if not self.name("driver.name", driver.name, MAX_DRIVER_NAME):
            subject = names.DriverName("driver.name", driver.name)
            if not names.DRIVER_NAME.run(self.found, subject):
                self.spellings("driver.name", "driver", driver.name, "driver.name")
        self.text("driver.description", driver.description)
        self.text("driver.company", driver.company)
        structure.DRIVER.run(self.found, structure.Driver("driver", driver))
        windows = self.catalog.find_windows(driver.min_os)
        min_os = platform.MinOs("driver.min_os", driver.min_os, windows, self.catalog)
        platform.MIN_OS.run(self.found, min_os)
        if windows is not None and driver.kmdf_version is not None:
            kmdf = platform.Kmdf("driver.kmdf_version", driver.kmdf_version, windows)
            platform.KMDF.run(self.found, kmdf)
        if driver.architectures is not None:
            self.architectures(driver.architectures, windows)
        return windows

    def architectures(self, given: tuple[str, ...], windows: WindowsVersion | None) -> None:
        """Check driver.architectures: each entry, then the list against min_os."""
        where = "driver.architectures"
        structure.ARCHITECTURE_LIST.run(self.found, structure.Architectures(where, given))
        accepted: list[str] = []
        for text in given:
            subject = structure.Architecture(where, text, tuple(accepted))
            if not structure.ARCHITECTURE.run(self.found, subject):
                accepted.append(canonical_architecture(text) or text)
        if windows is not None:
            subject_os = platform.Platforms(where, tuple(accepted), windows, self.catalog)
            platform.PLATFORMS.run(self.found, subject_os)

    def name(self, where: str, name: str, limit: int) -> bool:
        """Check a name's form; say whether a problem was found."""
        return names.NAME.run(self.found, names.Name(where, name, limit))

    def text(self, where: str, text: str | None) -> None:
        """Check a free text, unless it was left out."""
        if text is not None:
            structure.TEXT.run(self.found, structure.Text(where, text))

    def spellings(self, where: str, owner: Owner, name: str, label: str) -> None:
        """Every C identifier ``name`` becomes must be free: not the WDK's, the template's, another's."""
        forms = c_names().spelled(owner, name)
        for spelled in forms:
            if names.SPELLING.run(self.found, names.Spelling(where, name, spelled, self.spelled)):
                return
        for spelled in forms:
            self.spelled.setdefault(spelled, label)

    def callout_name(self, where: str, name: str, seen: dict[str, int], index: int) -> None:
        """Callout names must differ in the forms the C code spells them in."""
        subject = names.CalloutName(f"{where}.name", name, dict(seen))
        if not names.CALLOUT_NAME.run(self.found, subject):
            self.spellings(f"{where}.name", "callout", name, f"callouts[{index}]")
        seen.setdefault(name.lower(), index)
        seen.setdefault(upper_snake(name), index)

    def guids(self, spec: ProjectSpec) -> None:
        """Check every key the spec gives: its form, uniqueness and origin."""
        owners: dict[str, str] = {}
        entries = [("provider.guid", spec.provider.guid), ("sublayer.guid", spec.sublayer.guid)]
        entries += [(f"callouts[{i}].guid", c.guid) for i, c in enumerate(spec.callouts)]
        for where, text in entries:
            if text is None or names.GUID_TEXT_RULES.run(self.found, names.GuidText(where, text)):
                continue
            guid = canonical_guid(text)
            if names.GUID_KEY.run(self.found, names.GuidKey(where, guid, dict(owners))):
                continue
            owners[guid] = where
            origin = names.GuidOrigin(where, guid, spec.driver.filters)
            names.GUID_ORIGIN.run(self.found, origin)

    def callout(
        self,
        where: str,
        callout: CalloutSpec,
        windows: WindowsVersion | None,
        filters: str,
        channel: bool,
    ) -> None:
        """Check one callout: its name's form, texts, action, behavior, layer and flags."""
        self.name(f"{where}.name", callout.name, MAX_CALLOUT_NAME)
        self.text(f"{where}.description", callout.description)
        if callout.action is not None:
            structure.ACTION.run(self.found, structure.Action(f"{where}.action", callout.action))
        behavior = behaviors.Behavior(f"{where}.behavior", callout.behavior, channel)
        behaviors.BEHAVIOR.run(self.found, behavior)
        layer = self.layer(f"{where}.layer", callout.layer, windows)
        flags = self.flags(f"{where}.flags", callout.flags, layer, windows)
        if layer is None:
            return
        action = None if callout.action is None else canonical_action(callout.action)
        subject = platform.CalloutAt(where, callout, layer, action, flags, filters)
        platform.CALLOUT_AT.run(self.found, subject)

    def layer(self, where: str, name: str, windows: WindowsVersion | None) -> Layer | None:
        """Check a callout's layer; return it if a callout may be registered there."""
        layer = self.catalog.find_layer(name) if name else None
        subject = platform.LayerName(where, name, layer, self.catalog)
        if platform.LAYER_NAME.run(self.found, subject) or layer is None:
            return None
        platform.LAYER_USE.run(self.found, platform.LayerUse(where, layer, windows, self.catalog))
        return layer

    def flags(
        self,
        where: str,
        given: tuple[str, ...],
        layer: Layer | None,
        windows: WindowsVersion | None,
    ) -> frozenset[str]:
        """Check a callout's flags; return the names of those that exist and are settable."""
        seen: set[str] = set()
        usable: set[str] = set()
        for name in given:
            flag = self.catalog.find_flag(name)
            subject = platform.FlagName(where, name, flag, frozenset(seen), self.catalog)
            failed = platform.FLAG_NAME.run(self.found, subject)
            if flag is None:
                continue
            seen.add(flag.name)
            if failed:
                continue
            use = platform.FlagUse(where, flag, layer, windows, self.catalog)
            platform.FLAG_USE.run(self.found, use)
            usable.add(flag.name)
        return frozenset(usable)
