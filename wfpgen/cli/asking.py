"""The questions of an interactive run: ask until each answer is usable.

How an answer is judged lives in :mod:`wfpgen.interview` (no I/O); this module
only asks, shows choices, and says why an answer was refused. ``new`` asks
for a whole driver; ``add callout`` asks for one callout.
"""

import json
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from typing import Any, TypeVar

from wfpgen import interview, ui
from wfpgen.core.catalog import Catalog
from wfpgen.core.resolve import GuidFactory
from wfpgen.interview import AnswerError, Judged
from wfpgen.templating.config import TemplateVariable, judge_text

T = TypeVar("T")

# Called with a driver name the user typed; raises AnswerError when that
# name's project folder cannot be used.
NameCheck = Callable[[str], None]


def ask_missing(
    raw: dict[str, Any],
    catalog: Catalog,
    missing: interview.Missing,
    *,
    check_name: NameCheck,
    new_guid: GuidFactory,
) -> dict[str, Any]:
    """Ask for the missing driver values and callouts; return the completed raw spec."""
    ui.intro()
    if missing.name or missing.min_os:
        ui.heading("Driver")
    if missing.name:
        name = ask(
            "Driver name",
            partial(_judge_driver_name, raw, catalog, check_name),
            default=interview.default_driver_name(),
        )
        raw = interview.with_driver(raw, name=name)
    if missing.min_os:
        ui.show_windows(catalog.windows)
        min_os = ask(
            "Minimum Windows",
            partial(interview.judge_min_os, raw, catalog=catalog),
            default=interview.default_min_os(),
            show=partial(ui.show_windows, catalog.windows),
        )
        raw = interview.with_driver(raw, min_os=min_os)
    if missing.callouts:
        # The channel is asked after the callouts: an ask callout turns it on by
        # itself, so until then "ask" is judged as if it were on.
        asked = interview.with_channel(raw, enabled=True) if missing.channel else raw
        callouts = _ask_callouts(asked, catalog, new_guid)["callouts"]
        raw = {**raw, "callouts": callouts}
    if missing.channel:
        raw = _ask_channel(raw)
    return raw


def _ask_channel(raw: dict[str, Any]) -> dict[str, Any]:
    """Ask whether the driver gets the control channel, and what it carries."""
    ui.heading("Control channel")
    if interview.needs_channel(raw):
        ui.notes(["the control channel is on: ask callouts reach user mode through it"])
    elif not ask(
        "Control channel to user mode (admin-only device, statistics, events)? [y/n]",
        interview.judge_yes_no,
        default="n",
    ):
        return raw
    events = ask("Report connection events to user mode? [y/n]", interview.judge_yes_no, "y")
    app = ask("Generate the companion program (app/)? [y/n]", interview.judge_yes_no, "y")
    return interview.with_channel(raw, enabled=True, events=events, app=app)


def _judge_driver_name(
    raw: Mapping[str, Any], catalog: Catalog, check_name: NameCheck, text: str
) -> Judged[str]:
    """A driver name is also the project folder's name: that folder must be free."""
    judged = interview.judge_driver_name(raw, text, catalog)
    check_name(judged.value)
    return judged


def _ask_callouts(raw: dict[str, Any], catalog: Catalog, new_guid: GuidFactory) -> dict[str, Any]:
    number = 0
    while True:
        number += 1
        raw = interview.with_callout(raw, ask_callout(raw, catalog, new_guid, first=number == 1))
        if not ask("Add another callout? [y/n]", interview.judge_yes_no, default="n"):
            return raw


def ask_callout(
    raw: Mapping[str, Any],
    catalog: Catalog,
    new_guid: GuidFactory,
    *,
    first: bool = True,
    name: str | None = None,
) -> dict[str, Any]:
    """Ask for one callout of the driver in ``raw``; the lists of choices show on the first."""
    number = len(raw.get("callouts", [])) + 1
    ui.heading(f"Callout {number}")
    layer_names = [layer.name for layer in interview.layer_choices(raw, catalog)]
    show_layers = partial(ui.show_layer_names, layer_names)
    if name is None:
        name = ask(
            "Callout name",
            partial(interview.judge_callout_name, raw, catalog=catalog),
            default=interview.default_callout_name(raw),
        )
    draft: dict[str, Any] = {"name": name}
    if first:
        show_layers()
    layer = ask(
        "Layer (? lists them)",
        partial(interview.judge_layer, raw, draft, catalog=catalog),
        show=show_layers,
        echo=lambda value: value.name,
    )
    draft = {**draft, "layer": layer.name}
    choices = interview.flag_choices(raw, layer, catalog)
    if choices:
        ui.show_flag_choices(choices)
        flags = ask(
            "Flags, comma-separated names or numbers",
            partial(interview.judge_flags, raw, draft, catalog=catalog),
            default="none",
            show=partial(ui.show_flag_choices, choices),
            echo=lambda value: ", ".join(value) or "none",
        )
        draft = {**draft, "flags": list(flags)}
    guid = ask("GUID", partial(interview.judge_guid, raw, draft, catalog=catalog), new_guid())
    draft = {**draft, "guid": guid}
    behaviors = interview.behavior_choices(layer)
    if len(behaviors) > 1:
        meanings = {b: interview.BEHAVIOR_HELP[b] for b in behaviors}
        ui.show_behaviors(meanings)
        behavior = ask(
            f"Behavior [{'/'.join(behaviors)}]",
            partial(interview.judge_behavior, raw, draft, catalog=catalog),
            default="decide",
            show=partial(ui.show_behaviors, meanings),
            echo=str,
        )
        if behavior != "decide":
            draft = {**draft, "behavior": behavior}
    if first:
        ui.show_actions(interview.ACTION_HELP)
    action = ask(
        "Filter action [terminating/inspection/unknown]",
        partial(interview.judge_callout_action, raw, draft, catalog=catalog),
        default=interview.default_action(layer),
        show=partial(ui.show_actions, interview.ACTION_HELP),
    )
    return {**draft, "action": action}


def ask(
    question: str,
    judge: Callable[[str], Judged[T]],
    default: str | None = None,
    *,
    show: Callable[[], None] | None = None,
    echo: Callable[[T], str] | None = None,
) -> T:
    """Ask until ``judge`` accepts the answer; say why whenever it does not.

    ``show`` lists the choices when the user types ``?``; ``echo`` spells out
    what a loosely typed answer was taken to mean.
    """
    while True:
        text = ui.ask(question, default)
        if show is not None and text.strip() == "?":
            show()
            continue
        try:
            judged = judge(text)
        except AnswerError as err:
            ui.reject(err.reason)
            continue
        ui.warnings(judged.warnings)
        if echo is not None and echo(judged.value).lower() != text.strip().lower():
            ui.notes([f"taken as {echo(judged.value)}"])
        return judged.value


def ask_variables(
    variables: Sequence[TemplateVariable], values: Mapping[str, Any]
) -> dict[str, Any]:
    """Ask for each of the template's own variables; ``values`` holds their defaults."""
    if not variables:
        return dict(values)
    ui.heading("Template")
    answers = dict(values)
    for variable in variables:
        default = values[variable.name]
        if isinstance(default, bool):
            shown = "y" if default else "n"
        elif isinstance(default, dict):
            shown = json.dumps(default)
        else:
            shown = str(default)
        choices = f" [{'/'.join(str(c) for c in variable.choices)}]" if variable.choices else ""
        answers[variable.name] = ask(
            f"{variable.label}{choices}", partial(_judge_variable, variable), default=shown
        )
    return answers


def _judge_variable(variable: TemplateVariable, text: str) -> Judged[Any]:
    value, problem = judge_text(variable, text)
    if problem:
        raise AnswerError(problem)
    return Judged(value)
