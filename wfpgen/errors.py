"""Errors wfpgen reports to its user, and the exit status each one maps to."""

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum

SHOWN_PROBLEMS = 50
"""At most this many problems are printed (and listed under --json); the rest are counted."""


class ExitCode(IntEnum):
    """Process exit statuses, documented in the README."""

    OK = 0
    FAILURE = 1
    BAD_INPUT = 2
    DESTINATION_EXISTS = 3
    UNTRUSTED_TEMPLATE = 4
    CONFLICTS = 5
    OUT_OF_DATE = 6
    INTERRUPTED = 130


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a spec: its rule's code, the field it concerns and what to do.

    ``code`` names the rule (``wfpgen explain CODE``, the table in
    ``wfpgen.core.validation``); it is empty for a problem with a command-line
    value that is not part of a spec.
    """

    code: str = dataclasses.field(default="", kw_only=True)
    field: str
    message: str

    def __str__(self) -> str:
        """``CODE field: message``, the form every problem line shows (``field: message`` without a code)."""
        line = f"{self.field}: {self.message}"
        return f"{self.code} {line}" if self.code else line


class WfpgenError(Exception):
    """Base class of every error wfpgen reports without a traceback."""

    exit_code = ExitCode.FAILURE

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class SpecError(WfpgenError):
    """The spec (config file, flags or answers) is invalid; lists every problem."""

    exit_code = ExitCode.BAD_INPUT

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        super().__init__(f"the spec has {count} {noun}")


class DestinationError(WfpgenError):
    """The target directory exists and is not empty, and --force was not given."""

    exit_code = ExitCode.DESTINATION_EXISTS


class TemplateError(WfpgenError):
    """A template is missing, invalid, or failed to render."""


class UntrustedTemplateError(TemplateError):
    """A template needs code to run (extensions, hooks, Python access) and is not trusted."""

    exit_code = ExitCode.UNTRUSTED_TEMPLATE
