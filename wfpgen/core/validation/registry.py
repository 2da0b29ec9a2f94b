"""The table of rules: every problem wfpgen finds in a spec has a rule with a stable code.

Codes never change meaning once released, so a user, a script or a search engine
can rely on them:

- ``E1xx``: the spec's structure, keys and values (the file, its tables, types and words);
- ``E2xx``: layers, flags, Windows and KMDF versions, architectures;
- ``E3xx``: names, GUIDs and collisions between them;
- ``W4xx``: warnings: legal choices that probably do not do what the user wants.

An ``E`` rule makes the spec unusable (exit status 2, nothing written); a ``W``
rule is printed and generation goes on. A rule's check is a small function of a
*subject* (a name, a text, a flag as written in a callout...) returning the
message for the problem it found, or None. Rules are grouped by subject in a
:class:`Group`; the walker (``checker``) visits the spec in a fixed order and
runs each group on its subjects, so the problems come out in the spec's order.
A few codes are checked where the data is read (the spec file, its tables and
types, the template's options); they are declared with :func:`declare` and have no
check here.
"""

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from wfpgen.errors import Problem

CODE = re.compile(r"[EW][1-4][0-9][0-9]")

# The hundreds digit of a code says what it is about; W rules are all 4xx, E rules 1xx-3xx.
CATEGORIES = {
    "1": "spec structure, keys and values",
    "2": "layers, flags, Windows and KMDF versions",
    "3": "names, GUIDs and collisions",
    "4": "warnings",
}


@dataclass(frozen=True)
class Rule:
    """One kind of problem: its code, what it means, how to fix it, and where that is documented."""

    code: str
    summary: str
    explanation: str
    fix: str
    source: str
    checked_in: str  # the module that finds it

    @property
    def severity(self) -> str:
        """``error`` (the spec cannot be used) or ``warning`` (it can)."""
        return "warning" if self.code.startswith("W") else "error"


RULES: dict[str, Rule] = {}
"""Every rule by code, in the order they were registered."""


def declare(
    code: str, summary: str, *, explanation: str, fix: str, source: str, checked_in: str
) -> Rule:
    """Register a rule; raise ValueError for a malformed or reused code."""
    if not CODE.fullmatch(code) or (code[0] == "W") != (code[1] == "4"):
        raise ValueError(f"rule code {code!r} does not follow the E1xx-E3xx/W4xx scheme")
    if code in RULES:
        raise ValueError(f"rule code {code} is registered twice")
    rule = Rule(code, summary, " ".join(explanation.split()), fix, source, checked_in)
    RULES[code] = rule
    return rule


def find_rule(code: str) -> Rule | None:
    """The rule with ``code`` (any case), or None."""
    return RULES.get(code.strip().upper())


def closest_codes(code: str, limit: int = 3) -> list[str]:
    """The registered codes most like ``code``: by spelling (difflib), then letter and number."""
    wanted = code.strip().upper()

    def distance(candidate: str) -> tuple[float, bool, int, str]:
        ratio = difflib.SequenceMatcher(None, wanted, candidate).ratio()
        number = abs(_number(candidate) - _number(wanted))
        return (-round(ratio, 2), candidate[0] != wanted[:1], number, candidate)

    return sorted(RULES, key=distance)[:limit]


def _number(code: str) -> int:
    digits = "".join(ch for ch in code if ch.isdigit())
    return int(digits) if digits else 0


class Subject(Protocol):
    """What a rule looks at; ``where`` is the spec field problems about it are reported at."""

    @property
    def where(self) -> str:
        """The spec field, e.g. ``callouts[0].layer``."""
        ...


S = TypeVar("S", bound=Subject)
Check = Callable[[S], str | None]


class Report:
    """The problems and warnings found so far, in the order they were found."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []

    def add(self, rule: Rule, where: str, message: str) -> None:
        """Record ``message`` at ``where`` under ``rule``'s code."""
        found = self.warnings if rule.severity == "warning" else self.problems
        found.append(Problem(where, message, code=rule.code))


class Group(Generic[S]):
    """The rules about one kind of subject, run in the order they were registered.

    With ``first_only`` the group stops at the first rule that finds a problem
    (the later rules assume the earlier ones passed, as in an if/elif chain).
    """

    def __init__(self, name: str, *, first_only: bool) -> None:
        self.name = name
        self.first_only = first_only
        self.rules: list[tuple[Rule, str, Check[S]]] = []

    def rule(
        self, code: str, summary: str, *, explanation: str, fix: str, source: str, at: str = ""
    ) -> Callable[[Check[S]], Check[S]]:
        """Register the decorated check as rule ``code``; ``at`` extends the subject's field."""

        def register(check: Check[S]) -> Check[S]:
            rule = declare(
                code,
                summary,
                explanation=explanation,
                fix=fix,
                source=source,
                checked_in=check.__module__,
            )
            self.rules.append((rule, at, check))
            return check

        return register

    def run(self, report: Report, subject: S) -> bool:
        """Run the group's rules on ``subject``; say whether any of them found something."""
        found = False
        for rule, at, check in self.rules:
            message = check(subject)
            if message is None:
                continue
            report.add(rule, subject.where + at, message)
            found = True
            if self.first_only:
                break
        return found


def sorted_rules() -> list[Rule]:
    """Every rule, by code."""
    return [RULES[code] for code in sorted(RULES)]


def markdown_list() -> str:
    """The list of codes in docs/rule-codes.md: one line per rule, grouped by category."""
    lines: list[str] = []
    category = ""
    for rule in sorted_rules():
        if rule.code[1] != category:
            category = rule.code[1]
            heading = f"{rule.code[0]}{category}xx: {CATEGORIES[category]}"
            lines += ["", f"**{heading}**", ""] if lines else [f"**{heading}**", ""]
        lines.append(f"- `{rule.code}` {rule.summary}")
    return "\n".join(lines) + "\n"
