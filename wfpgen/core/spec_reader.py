"""Reading raw TOML tables into typed values, with a problem for every misfit.

The spec parser (``wfpgen.core.spec``) reads each table with these readers: a
value of the wrong type is reported (E111) and replaced by its default, so the
checks after it still see everything else; an unknown key is reported with a
did-you-mean (E110).
"""

import difflib
from collections.abc import Mapping, Sequence
from typing import Any

from wfpgen.errors import Problem

# Codes of the problems found here and by the parser (rules declared in
# wfpgen.core.validation.structure).
UNKNOWN_KEY = "E110"
WRONG_TYPE = "E111"
MISSING_KEY = "E112"
MALFORMED_CALLOUT_OPTION = "E113"
# Problems beyond this many are counted, not shown (wfpgen.errors.SHOWN_PROBLEMS),
# so they get no did-you-mean either.
SUGGESTION_LIMIT = 50


class Reader:
    """Reads keys and typed values out of raw tables, collecting a problem for each misfit."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, where: str, message: str, code: str = WRONG_TYPE) -> None:
        """Record a problem at ``where``."""
        self.problems.append(Problem(where, message, code=code))

    def table(self, raw: Mapping[str, Any], key: str, keys: Mapping[str, str]) -> Mapping[str, Any]:
        """The table ``raw[key]`` (empty when missing or not a table), its keys checked against ``keys``."""
        value = raw.get(key, {})
        if not isinstance(value, Mapping):
            self.add(key, f"expected a table ([{key}]), got {kind(value)}")
            return {}
        self.check_keys(f"{key}.", value, keys)
        return value

    def check_keys(self, prefix: str, raw: Mapping[str, Any], known: Mapping[str, str]) -> None:
        """Report every key of ``raw`` that ``known`` does not have."""
        for key in raw:
            if key in known:
                continue
            # Suggestions cost ~0.1 ms each: only for as many problems as are shown.
            close = (
                difflib.get_close_matches(str(key), list(known), n=1, cutoff=0.6)
                if len(self.problems) < SUGGESTION_LIMIT
                else []
            )
            hint = f"did you mean '{close[0]}'?" if close else f"known keys: {', '.join(known)}"
            self.add(f"{prefix}{key}", f"unknown key; {hint}", UNKNOWN_KEY)

    def string(self, raw: Mapping[str, Any], key: str, where: str, default: str) -> str:
        """``raw[key]`` as a stripped string, else ``default``."""
        value = raw.get(key, default)
        if isinstance(value, str):
            return value.strip()
        quoted = (
            f'; write it in quotes: "{value}"'
            if isinstance(value, int | float) and not isinstance(value, bool)
            else ""
        )
        self.add(where, f"expected a string, got {kind(value)}{quoted}")
        return default

    def opt_str(self, raw: Mapping[str, Any], key: str, where: str) -> str | None:
        """``raw[key]`` as a string, or None when it is missing."""
        if raw.get(key) is None:
            return None
        return self.string(raw, key, where, "")

    def strings(
        self, raw: Mapping[str, Any], key: str, where: str, default: tuple[str, ...]
    ) -> tuple[str, ...]:
        """``raw[key]`` as strings (a lone string counts as one), else ``default``."""
        value = raw.get(key, default)
        if isinstance(value, str):
            value = [value]
        if isinstance(value, Sequence) and all(isinstance(v, str) for v in value):
            return tuple(v.strip() for v in value)
        self.add(where, f"expected an array of strings, got {kind(value)}")
        return default

    def opt_strings(self, raw: Mapping[str, Any], key: str, where: str) -> tuple[str, ...] | None:
        """``raw[key]`` as strings, or None when it is missing."""
        if raw.get(key) is None:
            return None
        return self.strings(raw, key, where, ())

    def integer(self, raw: Mapping[str, Any], key: str, where: str, default: int) -> int:
        """``raw[key]`` as an integer (not a boolean), else ``default``."""
        value = raw.get(key, default)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        self.add(where, f"expected an integer, got {kind(value)}")
        return default

    def boolean(self, raw: Mapping[str, Any], key: str, where: str, default: bool = False) -> bool:
        """``raw[key]`` as a boolean, else ``default``."""
        value = raw.get(key, default)
        if isinstance(value, bool):
            return value
        self.add(where, f"expected true or false, got {kind(value)}")
        return default


def kind(value: object) -> str:
    """How a value's TOML type is named in messages: "a string", "an array"..."""
    names: dict[type, str] = {str: "a string", bool: "a boolean", int: "an integer"}
    names |= {float: "a number", list: "an array", dict: "a table"}
    return names.get(type(value), type(value).__name__)
