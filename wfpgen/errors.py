"""Errors wfpgen reports to its user, and the exit status each one maps to."""

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
    """One thing wrong with a spec: the field it concerns and what to do about it."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


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
