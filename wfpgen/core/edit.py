"""Change a project's raw spec: add or remove a callout or the channel, drop unneeded flow callouts.

These work on the raw mapping read from ``wfpgen.toml`` (no I/O here); the
result goes through :func:`wfpgen.core.project.plan_project` like any spec, so an
added callout gets exactly the checks of ``wfpgen new``.

A callout wfpgen added to associate flow contexts (see
:func:`wfpgen.core.resolve.resolve_spec`) is recognised by its layer
(``ALE_FLOW_ESTABLISHED_V4/V6``) and its description, which wfpgen wrote.
When no callout of its IP family keeps flow contexts any more, it goes too;
a user who wants to keep it changes its description.
"""

from collections.abc import Mapping, Sequence
from typing import Any

from wfpgen.core.catalog import Catalog
from wfpgen.core.resolve import FLOW_ESTABLISHER_DESCRIPTION
from wfpgen.core.validation import canonical_behavior, is_flow_target
from wfpgen.errors import Problem, SpecError

_ESTABLISHER_LAYERS = {"ALE_FLOW_ESTABLISHED_V4": "v4", "ALE_FLOW_ESTABLISHED_V6": "v6"}


def _callouts(raw: Mapping[str, Any]) -> list[Any]:
    callouts = raw.get("callouts", [])
    return (
        list(callouts) if isinstance(callouts, Sequence) and not isinstance(callouts, str) else []
    )


def add_callout(raw: Mapping[str, Any], callout: Mapping[str, Any]) -> dict[str, Any]:
    """``raw`` with ``callout`` appended (checked later, with the whole spec)."""
    return {**raw, "callouts": [*_callouts(raw), dict(callout)]}


def remove_callout(raw: Mapping[str, Any], name: str) -> dict[str, Any]:
    """``raw`` without the callout called ``name`` (exact spelling first, then any case).

    Raises:
        SpecError: no callout has that name.
    """
    callouts = _callouts(raw)
    names = [str(c.get("name", "")) if isinstance(c, Mapping) else "" for c in callouts]
    index = next((i for i, n in enumerate(names) if n == name), None)
    if index is None:
        folded = [i for i, n in enumerate(names) if n.lower() == name.lower()]
        index = folded[0] if len(folded) == 1 else None
    if index is None:
        known = ", ".join(n for n in names if n) or "none"
        raise SpecError(
            [Problem("callout", f"no callout named '{name}'; the callouts are: {known}")]
        )
    return {**raw, "callouts": callouts[:index] + callouts[index + 1 :]}


def add_channel(raw: Mapping[str, Any], **values: Any) -> dict[str, Any]:
    """``raw`` with the control channel on and ``values`` (None: keep as is) in ``[channel]``.

    Keys the table already has stay, so a second ``add channel`` only changes what it names.
    """
    table = raw.get("channel", {})
    channel = dict(table) if isinstance(table, Mapping) else {}
    channel["enabled"] = True
    channel.update({key: value for key, value in values.items() if value is not None})
    return {**raw, "channel": channel}


def remove_channel(raw: Mapping[str, Any]) -> dict[str, Any]:
    """``raw`` without its ``[channel]`` table.

    Raises:
        SpecError: a callout asks user mode, which needs the channel (E153).
    """
    problems = [
        Problem(
            f"callouts[{index}].behavior",
            f"{callout.get('name')} asks user mode through the channel; give it another "
            f"behavior or remove it (`wfpgen remove callout {callout.get('name')}`) first",
            code="E153",
        )
        for index, callout in enumerate(_callouts(raw))
        if isinstance(callout, Mapping)
        and canonical_behavior(str(callout.get("behavior", "decide"))) == "ask"
    ]
    if problems:
        raise SpecError(problems)
    return {key: value for key, value in raw.items() if key != "channel"}


def prune_flow_establishers(
    raw: Mapping[str, Any], catalog: Catalog
) -> tuple[dict[str, Any], list[str]]:
    """Drop (or re-describe) the flow callouts wfpgen added, to match the other callouts.

    Returns the new raw spec and a note for each change.
    """
    callouts = _callouts(raw)
    targets: dict[str, list[str]] = {"v4": [], "v6": []}
    for callout in callouts:
        family = _flow_family(callout, catalog)
        if family:
            targets[family].append(str(callout.get("name")))
    kept: list[Any] = []
    notes: list[str] = []
    for callout in callouts:
        family = _added_establisher_family(callout, catalog)
        if not family:
            kept.append(callout)
        elif not targets[family]:
            notes.append(
                f"removed callout {callout.get('name')} at {callout.get('layer')}: wfpgen added it "
                "to associate flow contexts, and no callout keeps them any more"
            )
        else:
            kept.append(
                {
                    **callout,
                    "description": FLOW_ESTABLISHER_DESCRIPTION + ", ".join(targets[family]),
                }
            )
    if len(kept) == len(callouts) and not notes and kept == callouts:
        return dict(raw), []
    return {**raw, "callouts": kept}, notes


def _added_establisher_family(callout: Any, catalog: Catalog) -> str:
    """``v4``/``v6`` for a flow callout that wfpgen added, else empty."""
    if not isinstance(callout, Mapping):
        return ""
    layer = catalog.find_layer(str(callout.get("layer", "")))
    description = callout.get("description")
    if layer is None or not isinstance(description, str):
        return ""
    if not description.startswith(FLOW_ESTABLISHER_DESCRIPTION):
        return ""
    return _ESTABLISHER_LAYERS.get(layer.name, "")


def _flow_family(callout: Any, catalog: Catalog) -> str:
    """The IP family of a callout that keeps flow contexts, else empty."""
    if not isinstance(callout, Mapping):
        return ""
    flags = callout.get("flags", [])
    flags = [flags] if isinstance(flags, str) else flags
    conditional = any(
        (flag := catalog.find_flag(str(f))) is not None and flag.name == "CONDITIONAL_ON_FLOW"
        for f in (flags if isinstance(flags, Sequence) else [])
    )
    if callout.get("flow_context") is not True and not conditional:
        return ""
    layer = catalog.find_layer(str(callout.get("layer", "")))
    return layer.family if layer is not None and is_flow_target(layer) else ""
