"""Write the list of rule codes in docs/rule-codes.md from the rule table (wfpgen.core.validation).

The list sits between ``<!-- codes:start -->`` and ``<!-- codes:end -->``;
tests/test_rules.py fails until it matches the rules. Run from the repository
root after adding or changing a rule::

    python tools/rule_codes.py          # rewrite the list in docs/rule-codes.md
    python tools/rule_codes.py --check  # exit 1 if it is out of date
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from wfpgen.core.validation import markdown_list

PAGE = Path(__file__).resolve().parent.parent / "docs" / "rule-codes.md"
START, END = "<!-- codes:start -->\n", "<!-- codes:end -->"


def with_codes(text: str) -> str:
    """``text`` (the page) with its list of codes rewritten."""
    head, start, rest = text.partition(START)
    _, end, tail = rest.partition(END)
    if not start or not end:
        raise SystemExit(f"{PAGE.name} has no {START.strip()} ... {END} block")
    return f"{head}{START}\n{markdown_list()}\n{END}{tail}"


def main() -> int:
    """Rewrite or check the list; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report whether it is current")
    args = parser.parse_args()
    text = PAGE.read_text(encoding="utf-8")
    wanted = with_codes(text)
    if args.check:
        if wanted != text:
            print(f"{PAGE.name}'s list of codes is out of date: python tools/rule_codes.py")
            return 1
        return 0
    PAGE.write_text(wanted, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
