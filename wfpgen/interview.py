"""The questions ``wfpgen new`` asks in a terminal, and how each answer is judged.

Each ``judge_*`` function takes the spec answered so far (a raw mapping, the
same shape as a parsed spec file) and the text the user typed, and returns the
value to store or raises :class:`AnswerError` with the reason to show before
asking again. Judges check an answer by validating the spec with the answer in
place, so an answer is accepted exactly when the same value in a spec file
would be, and the reason is the message the file would get.

Nothing here reads a terminal: the CLI asks, calls a judge, and repeats.
"""

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from wfpgen.core.catalog import (
    CalloutFlag,
    Catalog,
    Layer,
    WindowsVersion,
    name_words,
    normalize_flag_name,
    word_matches,
)
from wfpgen.core.catalog import normalize_layer_name as _normalize_layer
from wfpgen.core.spec import ACTIONS, BEHAVIORS, DriverSpec, read_spec
from wfpgen.core.validation import (
    behaviors_at,
    canonical_action,
    canonical_behavior,
    canonical_guid,
    usable_flags,
    validate_spec,
)
from wfpgen.core.validation import (
    default_action as validate_default_action,
)
from wfpgen.errors import Problem

T = TypeVar("T")

ACTION_HELP = {
    "terminating": "classify decides: permit or block",
    "inspection": "classify only looks; the traffic goes on",
    "unknown": "classify may decide or only look",
}
"""What each filter action means for the callout's classifyFn."""

BEHAVIOR_HELP = {
    "decide": "classify permits or blocks at once (the default)",
    "ask": "pend the connection and ask user mode through the control channel",
    "reinject": "clone and absorb the packet, inspect the clone, inject it back",
}
"""What each callout behavior does (docs/behaviors.md)."""

YES = frozenset({"y", "yes", "true", "1"})
NO = frozenset({"n", "no", "false", "0"})
NO_FLAGS = frozenset({"", "none", "-"})


class AnswerError(Exception):
    """An answer that cannot be used, with the reason to show before asking again."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Judged(Generic[T]):
    """An accepted answer, with warnings the user should read."""

    value: T
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Missing:
    """The parts of the spec that neither the spec file nor the options gave."""

    name: bool
    min_os: bool
    callouts: bool
    channel: bool = False  # asked with the callouts, after them

    @property
    def anything(self) -> bool:
        """Whether there is something to ask."""
        return self.name or self.min_os or self.callouts


def missing_values(raw: Mapping[str, Any]) -> Missing:
    """What the interview has to ask for, given the values already supplied.

    A malformed ``[driver]`` table or ``callouts`` value counts as supplied: the
    pipeline reports it, and asking would hide the mistake.
    """
    driver = raw.get("driver", {})
    has_driver = isinstance(driver, Mapping)
    return Missing(
        name=has_driver and "name" not in driver,
        min_os=has_driver and "min_os" not in driver,
        callouts="callouts" not in raw,
        channel="callouts" not in raw and "channel" not in raw,
    )


def problems_before_asking(
    raw: Mapping[str, Any], catalog: Catalog, missing: Missing
) -> list[Problem]:
    """Problems in the supplied values, so the user hears them before any question.

    What the interview will ask is left out: no callouts yet is not a problem,
    and while the minimum Windows is still to be asked nothing is checked
    against a Windows version (``judge_min_os`` does that).
    """
    probe = dict(raw)
    if missing.callouts:
        probe["callouts"] = []
    if missing.min_os:
        probe = with_driver(probe, min_os="")
    skipped = {"callouts"} if missing.callouts else set()
    if missing.min_os:
        skipped.add("driver.min_os")
    return [p for p in check(probe, catalog)[0] if p.field not in skipped]


def check(raw: Mapping[str, Any], catalog: Catalog) -> tuple[list[Problem], list[Problem]]:
    """Problems and warnings of a raw spec, as ``wfpgen new`` would report them.

    The same parse-then-validate merge as ``project.plan_project``, without
    raising, so a judge can pick the problems of the field it asked about.
    """
    spec, problems = read_spec(raw)
    findings = validate_spec(spec, catalog)
    malformed = {p.field for p in problems}
    problems += [p for p in findings.problems if p.field not in malformed]
    return problems, list(findings.warnings)


def with_driver(raw: Mapping[str, Any], **values: Any) -> dict[str, Any]:
    """A copy of ``raw`` with ``values`` set in its ``[driver]`` table."""
    driver = raw.get("driver", {})
    merged = dict(raw)
    merged["driver"] = {**(driver if isinstance(driver, Mapping) else {}), **values}
    return merged


def with_channel(raw: Mapping[str, Any], **values: Any) -> dict[str, Any]:
    """A copy of ``raw`` with ``values`` set in its ``[channel]`` table."""
    channel = raw.get("channel", {})
    merged = dict(raw)
    merged["channel"] = {**(channel if isinstance(channel, Mapping) else {}), **values}
    return merged


def with_callout(raw: Mapping[str, Any], callout: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``raw`` with ``callout`` appended to its callouts."""
    merged = dict(raw)
    merged["callouts"] = [*_callouts(raw), dict(callout)]
    return merged


# --- driver ---------------------------------------------------------------


def default_driver_name() -> str:
    """The driver name offered when the user has none in mind."""
    return DriverSpec().name


def judge_driver_name(raw: Mapping[str, Any], text: str, catalog: Catalog) -> Judged[str]:
    """Accept a driver name that the spec checks accept.

    Raises:
        AnswerError: the name is not a usable C identifier.
    """
    name = text.strip()
    return Judged(name, _raise_for(with_driver(raw, name=name), "driver.name", catalog))


def default_min_os() -> str:
    """The minimum Windows offered by default."""
    return DriverSpec().min_os


def judge_min_os(raw: Mapping[str, Any], text: str, catalog: Catalog) -> Judged[str]:
    """Accept a Windows id, case-insensitively, or a unique part of one (``1709``).

    The choice must fit everything already in the spec (callouts from a spec
    file, a KMDF version, listed architectures).

    Raises:
        AnswerError: no or several Windows versions match, or the spec does not
            fit that Windows.
    """
    windows = match_windows(text, catalog)
    if windows is None:
        _raise_for(with_driver(raw, min_os=text.strip()), "driver.min_os", catalog)
        raise AnswerError(f"unknown Windows version '{text.strip()}'")
    # Problems that appear only once a Windows version is known are due to it.
    chosen = with_driver(raw, min_os=windows.id)
    problems, warnings = check(chosen, catalog)
    base_problems, base_warnings = check(with_driver(raw, min_os=""), catalog)
    new = [p for p in problems if p not in base_problems]
    if new:
        reasons = "; ".join(str(p) for p in new)
        raise AnswerError(f"{windows.id} does not fit the spec: {reasons}")
    fresh = tuple(str(w) for w in warnings if w not in base_warnings)
    return Judged(windows.id, fresh)


def match_windows(text: str, catalog: Catalog) -> WindowsVersion | None:
    """The Windows version ``text`` names: an id in any case, or a unique part of one.

    Raises:
        AnswerError: ``text`` matches several versions and none exactly.
    """
    wanted = text.strip().lower()
    wanted = re.sub(r"^windows\s*", "win", wanted)
    wanted = re.sub(r"[\s_]+", "-", wanted)
    exact = catalog.find_windows(wanted)
    if exact is not None or not wanted:
        return exact
    hits = [w for w in catalog.windows if wanted in w.id]
    if len(hits) > 1:
        raise AnswerError(
            f"'{text.strip()}' matches {', '.join(w.id for w in hits)}; type one of them"
        )
    return hits[0] if hits else None


# --- callouts -------------------------------------------------------------


def default_callout_name(raw: Mapping[str, Any]) -> str:
    """A callout name not used yet: Callout1, Callout2, ..."""
    taken = {str(c.get("name", "")).lower() for c in _callouts(raw)}
    number = len(taken) + 1
    while f"callout{number}" in taken:
        number += 1
    return f"Callout{number}"


def judge_callout_name(raw: Mapping[str, Any], text: str, catalog: Catalog) -> Judged[str]:
    """Accept a callout name that is a C identifier not used by another callout.

    Raises:
        AnswerError: the name is unusable or already taken.
    """
    name = text.strip()
    where = f"{_next_callout(raw)}.name"
    return Judged(name, _raise_for(with_callout(raw, {"name": name}), where, catalog))


def layer_choices(raw: Mapping[str, Any], catalog: Catalog) -> list[Layer]:
    """The layers a callout can use on the spec's minimum Windows."""
    windows = _windows(raw, catalog)
    return [layer for layer in catalog.kernel_layers() if layer.ntddi_value <= windows.ntddi_value]


def judge_layer(
    raw: Mapping[str, Any], draft: Mapping[str, Any], text: str, catalog: Catalog
) -> Judged[Layer]:
    """Accept a layer by name (any case, prefix optional) or by a unique set of words.

    ``auth connect v4`` names ALE_AUTH_CONNECT_V4: every word must start a part
    of the name, and discard layers count only when ``discard`` is typed.

    Raises:
        AnswerError: no or several layers match, or the layer does not suit a
            kernel callout on the spec's minimum Windows.
    """
    layer = match_layer(text, raw, catalog)
    where = f"{_next_callout(raw)}.layer"
    probe = with_callout(raw, {**draft, "layer": layer.name})
    return Judged(layer, _raise_for(probe, where, catalog))


def match_layer(text: str, raw: Mapping[str, Any], catalog: Catalog) -> Layer:
    """The layer ``text`` names.

    Raises:
        AnswerError: no kernel layer or several match.
    """
    exact = catalog.find_layer(re.sub(r"[\s-]+", "_", text.strip()))
    if exact is not None:
        return exact
    available = {layer.name for layer in layer_choices(raw, catalog)}
    names = [layer.name for layer in catalog.kernel_layers()]
    words = name_words(_normalize_layer(text))
    if "DISCARD" not in words:
        names = [name for name in names if not name.endswith("_DISCARD")]
    hits = word_matches(words, names)
    # Prefer what the minimum Windows has; a newer layer then gets a clear reason.
    hits = [name for name in hits if name in available] or hits
    if len(hits) == 1:
        layer = catalog.find_layer(hits[0])
        assert layer is not None
        return layer
    shown = text.strip()
    if hits:
        listed = ", ".join(hits[:6]) + (", ..." if len(hits) > 6 else "")
        raise AnswerError(f"'{shown}' matches {listed}; type more of the name")
    close = catalog.suggest_layers(shown)
    if close:
        raise AnswerError(f"unknown layer '{shown}'; did you mean {' or '.join(close)}?")
    raise AnswerError(f"unknown layer '{shown}'; type ? to list the layers")


def flag_choices(raw: Mapping[str, Any], layer: Layer, catalog: Catalog) -> list[CalloutFlag]:
    """The flags that make sense for a callout at ``layer`` on the spec's minimum Windows."""
    return usable_flags(catalog, layer, _windows(raw, catalog))


def judge_flags(
    raw: Mapping[str, Any], draft: Mapping[str, Any], text: str, catalog: Catalog
) -> Judged[tuple[str, ...]]:
    """Accept comma-separated flags: names (any case, prefix optional), words, or numbers.

    Numbers count from 1 in :func:`flag_choices`; ``none``, ``-`` or nothing
    means no flags. ``draft`` must already hold the callout's layer.

    Raises:
        AnswerError: a flag is unknown, ambiguous, listed twice, or does not fit
            the layer or the minimum Windows.
    """
    if text.strip().lower() in NO_FLAGS:
        return Judged(())
    layer = catalog.find_layer(str(draft["layer"]))
    assert layer is not None, "judge_flags needs a judged layer"
    choices = flag_choices(raw, layer, catalog)
    names = []
    for item in (part.strip() for part in text.split(",")):
        if item:
            names.extend(_match_flags(item, choices, catalog))
    where = f"{_next_callout(raw)}.flags"
    probe = with_callout(raw, {**draft, "flags": names})
    return Judged(tuple(names), _raise_for(probe, where, catalog))


def _match_flags(item: str, choices: Sequence[CalloutFlag], catalog: Catalog) -> list[str]:
    if item.isdigit():
        number = int(item)
        if not 1 <= number <= len(choices):
            raise AnswerError(f"there is no flag {number}; pick 1 to {len(choices)}")
        return [choices[number - 1].name]
    exact = catalog.find_flag(re.sub(r"[\s-]+", "_", item))
    if exact is not None:
        return [exact.name]
    settable = [f.name for f in catalog.flags if f.user_settable]
    hits = word_matches(name_words(normalize_flag_name(item)), settable)
    offered = [name for name in hits if name in {f.name for f in choices}]
    hits = offered or hits
    if len(hits) == 1:
        return hits
    if hits:
        raise AnswerError(f"'{item}' matches {', '.join(hits)}; type more of the name")
    # "ALLOW_RSC ALLOW_OFFLOAD": several exact names separated by spaces.
    parts = item.split()
    if len(parts) > 1 and all(catalog.find_flag(part) for part in parts):
        return [normalize_flag_name(part) for part in parts]
    close = catalog.suggest_flags(item)
    hint = f"did you mean {' or '.join(close)}?" if close else "pick from the list above"
    raise AnswerError(f"unknown callout flag '{item}'; {hint}")


def judge_guid(
    raw: Mapping[str, Any], draft: Mapping[str, Any], text: str, catalog: Catalog
) -> Judged[str]:
    """Accept any valid, unused GUID (braces and case as you like); return it canonical.

    Raises:
        AnswerError: the text is not a GUID, is the nil GUID, or is taken.
    """
    guid = text.strip()
    where = f"{_next_callout(raw)}.guid"
    warnings = _raise_for(with_callout(raw, {**draft, "guid": guid}), where, catalog)
    return Judged(canonical_guid(guid), warnings)


def default_action(layer: Layer) -> str:
    """The filter action offered by default: the one a spec without ``action`` gets.

    Inspection at layers with nothing to permit or block (discard and
    informational layers), terminating elsewhere.
    """
    return validate_default_action(layer)


def judge_action(text: str) -> Judged[str]:
    """Accept a filter action, or the start of one (``insp``).

    Raises:
        AnswerError: the text names no action or several.
    """
    action = canonical_action(text)
    if action is not None:
        return Judged(action)
    word = text.strip().lower()
    hits = [a for a in ACTIONS if word and a.startswith(word)]
    if len(hits) == 1:
        return Judged(hits[0])
    raise AnswerError(f"unknown action '{text.strip()}'; use one of {', '.join(ACTIONS)}")


def judge_callout_action(
    raw: Mapping[str, Any], draft: Mapping[str, Any], text: str, catalog: Catalog
) -> Judged[str]:
    """Accept a filter action (as :func:`judge_action`) that fits the callout in ``draft``.

    An ask or reinject callout cannot have an inspection filter (E233).

    Raises:
        AnswerError: the text names no action, or one the callout cannot have.
    """
    action = judge_action(text).value
    where = f"{_next_callout(raw)}.action"
    return Judged(
        action, _raise_for(with_callout(raw, {**draft, "action": action}), where, catalog)
    )


def behavior_choices(layer: Layer) -> tuple[str, ...]:
    """The behaviors a callout at ``layer`` may have; only decide at most layers."""
    return behaviors_at(layer)


def judge_behavior(
    raw: Mapping[str, Any], draft: Mapping[str, Any], text: str, catalog: Catalog
) -> Judged[str]:
    """Accept a behavior the callout's layer allows, or the start of one (``re``).

    ``draft`` must hold the callout's layer. ``ask`` is judged as the spec would
    be: without ``[channel] enabled = true`` it is refused with the fix (the
    interview of ``new`` asks about the channel later and assumes it on).

    Raises:
        AnswerError: the text names no behavior or several, or one the layer refuses.
    """
    word = text.strip().lower()
    hits = [b for b in BEHAVIORS if word and b.startswith(word)]
    behavior = canonical_behavior(text) or (hits[0] if len(hits) == 1 else text.strip())
    where = f"{_next_callout(raw)}.behavior"
    probe = with_callout(raw, {**draft, "behavior": behavior})
    warnings = _raise_for(probe, where, catalog)
    _raise_for(probe, f"{_next_callout(raw)}.action", catalog)
    return Judged(behavior, warnings)


def needs_channel(raw: Mapping[str, Any]) -> bool:
    """Whether a callout in ``raw`` asks user mode, which needs the control channel."""
    return any(
        canonical_behavior(str(c.get("behavior", "decide"))) == "ask" for c in _callouts(raw)
    )


def judge_yes_no(text: str) -> Judged[bool]:
    """Accept y/yes or n/no in any case.

    Raises:
        AnswerError: anything else.
    """
    word = text.strip().lower()
    if word in YES:
        return Judged(True)
    if word in NO:
        return Judged(False)
    raise AnswerError(f"'{text.strip()}' is neither yes nor no; answer y or n")


# --- helpers --------------------------------------------------------------


def _raise_for(raw: Mapping[str, Any], where: str, catalog: Catalog) -> tuple[str, ...]:
    """Raise AnswerError with the problems reported at ``where``; return its warnings."""
    problems, warnings = check(raw, catalog)
    reasons = [p.message for p in problems if p.field == where]
    if reasons:
        raise AnswerError("; ".join(_unique(reasons)))
    return tuple(f"{w.code} {w.message}" for w in warnings if w.field == where)


def _windows(raw: Mapping[str, Any], catalog: Catalog) -> WindowsVersion:
    driver = raw.get("driver", {})
    min_os = driver.get("min_os", default_min_os()) if isinstance(driver, Mapping) else ""
    windows = catalog.find_windows(str(min_os))
    assert windows is not None, "callouts are asked once the minimum Windows is valid"
    return windows


def _callouts(raw: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    value = raw.get("callouts", [])
    if isinstance(value, Sequence) and not isinstance(value, str):
        return [c for c in value if isinstance(c, Mapping)]
    return []


def _next_callout(raw: Mapping[str, Any]) -> str:
    return f"callouts[{len(_callouts(raw))}]"


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))
