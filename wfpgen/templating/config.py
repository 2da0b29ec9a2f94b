"""What a template's ``cookiecutter.json`` tells wfpgen: its contract and its own variables.

- The contract: ``"_wfpgen_context": N`` says the template was written for
  version N of the context wfpgen passes (``CONTEXT_VERSION``, documented in
  the template's ``CONTEXT.md``). A template without the key is taken as
  version 1; a template for a newer version than this wfpgen is refused.
- Team variables: every top-level key wfpgen does not provide
  (``CONTEXT_KEYS``) and that does not start with ``_`` is the template's
  own variable, with its value in ``cookiecutter.json`` as the default. As in
  cookiecutter, a list is a choice (its first item is the default), a
  boolean takes yes/no, an object takes JSON. ``__prompts__`` gives the
  question's label.

Values come from a spec's ``[template.variables]`` table and from
``--set KEY=VALUE``; keys the template does not declare are refused with a
did-you-mean. No I/O.
"""

import difflib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from wfpgen.core.context import CONTEXT_KEYS
from wfpgen.errors import Problem, SpecError, TemplateError

CONTEXT_VERSION = 1
"""The version of the context this wfpgen passes to templates (see CONTEXT.md)."""
CONTRACT_KEY = "_wfpgen_context"
PROMPTS_KEY = "__prompts__"
_TRUE = ("1", "true", "t", "yes", "y", "on")
_FALSE = ("0", "false", "f", "no", "n", "off")


@dataclass(frozen=True)
class TemplateVariable:
    """A variable a template declares for itself in ``cookiecutter.json``."""

    name: str
    default: Any  # a choice's first item
    label: str  # the question: the template's __prompts__ entry, else the name
    choices: tuple[Any, ...] = ()  # non-empty: the value must be one of these

    def describe(self) -> str:
        """``name`` with its default, for messages and --help-like listings."""
        if self.choices:
            return f"{self.name} (one of {', '.join(str(c) for c in self.choices)})"
        return f"{self.name} (default {json.dumps(self.default)})"


def check_contract(config: Mapping[str, Any], where: str) -> int:
    """The context version ``config`` was written for.

    Raises:
        TemplateError: the version is malformed or newer than this wfpgen's.
    """
    version = config.get(CONTRACT_KEY, 1)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise TemplateError(
            f"{where}: {CONTRACT_KEY} in cookiecutter.json must be a whole number from 1, "
            f"got {json.dumps(version)}"
        )
    if version > CONTEXT_VERSION:
        raise TemplateError(
            f"{where} was written for wfpgen context version {version}, but this wfpgen "
            f"provides version {CONTEXT_VERSION}",
            "upgrade wfpgen, or use a version of the template written for context "
            f"version {CONTEXT_VERSION} (--checkout)",
        )
    return version


def declared_variables(config: Mapping[str, Any]) -> tuple[TemplateVariable, ...]:
    """The template's own variables, in ``cookiecutter.json`` order."""
    prompts = config.get(PROMPTS_KEY)
    labels = prompts if isinstance(prompts, Mapping) else {}
    found = []
    for name, value in config.items():
        if name.startswith("_") or name in CONTEXT_KEYS:
            continue
        label = labels.get(name)
        if isinstance(label, Mapping):  # choice prompts: {"__prompt__": ..., choice: label}
            label = label.get("__prompt__")
        label = label if isinstance(label, str) and label else name
        if isinstance(value, list):
            found.append(TemplateVariable(name, value[0] if value else "", label, tuple(value)))
        else:
            found.append(TemplateVariable(name, value, label))
    return tuple(found)


def parse_set_options(values: Sequence[str]) -> dict[str, str]:
    """``--set KEY=VALUE`` options as a mapping (the last of a repeated key wins).

    Raises:
        SpecError: a value has no ``=`` or an empty key (all of them are reported).
    """
    parsed: dict[str, str] = {}
    problems = []
    for value in values:
        key, sep, text = value.partition("=")
        if not sep or not key.strip():
            problems.append(Problem(f"--set {value!r}", "expected KEY=VALUE", code="E142"))
            continue
        parsed[key.strip()] = text
    if problems:
        raise SpecError(problems)
    return parsed


def variable_values(
    declared: Sequence[TemplateVariable],
    given: Mapping[str, Any],
    overrides: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Every declared variable's value: ``overrides`` (``--set``), then ``given``, then defaults.

    Raises:
        SpecError: listing unknown keys (with a did-you-mean) and unusable values.
    """
    overrides = overrides or {}
    known = {v.name: v for v in declared}
    problems = [
        Problem(f"{where}{key}", _unknown(key, known), code="E140")
        for where, keys in (("template.variables.", given), ("--set ", overrides))
        for key in keys
        if key not in known
    ]
    values: dict[str, Any] = {}
    for variable in declared:
        if variable.name in overrides:
            where = f"--set {variable.name}"
            value, problem = judge_text(variable, overrides[variable.name])
        elif variable.name in given:
            where = f"template.variables.{variable.name}"
            value, problem = judge_value(variable, given[variable.name])
        else:
            values[variable.name] = variable.default
            continue
        if problem:
            problems.append(Problem(where, problem, code="E141"))
        values[variable.name] = value
    if problems:
        raise SpecError(problems)
    return values


def judge_text(variable: TemplateVariable, text: str) -> tuple[Any, str]:
    """A value typed as text (``--set``, a prompt) read as the variable's type; or a problem."""
    default = variable.default
    if variable.choices:
        for choice in variable.choices:
            if str(choice) == text.strip():
                return choice, ""
        return text, f"expected one of {', '.join(str(c) for c in variable.choices)}"
    if isinstance(default, bool):
        word = text.strip().lower()
        if word in _TRUE or word in _FALSE:
            return word in _TRUE, ""
        return text, "expected yes or no"
    if isinstance(default, int | float):
        try:
            number = int(text) if isinstance(default, int) else float(text)
        except ValueError:
            return text, f"expected a number like {default}"
        return number, ""
    if isinstance(default, dict):
        try:
            parsed = json.loads(text)
        except ValueError:
            return text, "expected a JSON object"
        return judge_value(variable, parsed)
    return text, ""


def judge_value(variable: TemplateVariable, value: Any) -> tuple[Any, str]:
    """A value from a spec table checked against the variable's type; or a problem."""
    default = variable.default
    if variable.choices:
        if value in variable.choices:
            return value, ""
        return value, f"expected one of {', '.join(str(c) for c in variable.choices)}"
    expected = type(default)
    if isinstance(default, bool) or isinstance(value, bool):
        ok = isinstance(default, bool) and isinstance(value, bool)
    elif isinstance(default, int | float):
        ok = isinstance(value, int | float)
    elif isinstance(default, str) or default is None:
        ok = isinstance(value, str)
    else:
        ok = isinstance(value, expected)
    if ok:
        return value, ""
    return value, f"expected {_kind(default)} like the template's default, got {_kind(value)}"


def _unknown(key: str, known: Mapping[str, TemplateVariable]) -> str:
    if not known:
        return "the template declares no variables of its own"
    close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
    if close:
        return f"the template declares no such variable; did you mean '{close[0]}'?"
    return f"the template declares no such variable; it has: {', '.join(known)}"


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "an array"
    return "a string"
