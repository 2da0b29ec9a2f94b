"""Write ``wfpgen/data/c_names.json``: how spec names are spelled in C, and what is taken.

A callout called ``Index`` makes the generated code define ``CALLOUT_INDEX``
twice; one called ``FwpsIncoming`` defines ``FWPS_INCOMING_VALUES``, a WDK
macro. Instead of a hand list that drifts from the templates, this script
derives both halves of the check from the sources themselves:

* **spellings**: it renders the built-in template for every golden spec
  (``tests/golden/*/spec.toml``) with the driver and callouts renamed to
  sentinels (``Qzdrv``, ``Qzxa``, ``Qzxb``, ...), and records every C
  identifier of the generated ``.c``/``.h`` files that contains a sentinel as
  a prefix and suffix around the name (``CALLOUT_`` + upper-snake name,
  name + ``Classify``, ...);
* **taken**: every other identifier of the generated code (the names the
  template defines itself) and every identifier of the WDK stand-in headers
  (``templates/wfp-callout/templates/wdk``), kept only when some spelling could produce it.

Comments and string literals are skipped. The validator (``wfpgen.core.reserved``)
refuses a name whose C spelling is taken. Run from the repository root after a
template or stub header changes (a test fails until you do)::

    python tools/build_c_names.py          # rewrite the data file
    python tools/build_c_names.py --check  # exit 1 if it is out of date
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import tomllib
from dataclasses import replace
from pathlib import Path
from string import ascii_lowercase

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from wfpgen.core.catalog import load_catalog  # noqa: E402
from wfpgen.core.context import build_context  # noqa: E402
from wfpgen.core.names import upper_snake  # noqa: E402
from wfpgen.core.project import plan_project  # noqa: E402
from wfpgen.core.spec import ProjectSpec  # noqa: E402
from wfpgen.templating.render import render_project, template_dir  # noqa: E402

OUTPUT = ROOT / "wfpgen" / "data" / "c_names.json"
GOLDEN = ROOT / "tests" / "golden"
DRIVER_SENTINEL = "Qzdrv"
C_SUFFIXES = (".c", ".h")

_COMMENT_OR_LITERAL = re.compile(
    r"""/\*.*?\*/|//[^\n]*|L?"(?:\\.|[^"\\\n])*"|L?'(?:\\.|[^'\\\n])*'""", re.DOTALL
)
_IDENTIFIER = re.compile(r"\b[A-Za-z_][A-Za-z0-9_]*\b")


def stub_headers() -> Path:
    """The WDK stand-in headers, shipped in the package for ``wfpgen template test``."""
    return ROOT / "templates" / "wfp-callout" / "templates" / "wdk"


def identifiers(text: str) -> set[str]:
    """The identifiers of C source ``text``, outside comments and literals."""
    return set(_IDENTIFIER.findall(_COMMENT_OR_LITERAL.sub(" ", text)))


def _sentinel(index: int) -> str:
    return "Qzx" + ascii_lowercase[index % 26] + ascii_lowercase[index // 26]


def _renamed(spec: ProjectSpec) -> ProjectSpec:
    """``spec`` with the driver and every callout (added ones too) named by sentinels."""
    callouts = tuple(replace(c, name=_sentinel(i)) for i, c in enumerate(spec.callouts))
    return replace(spec, driver=replace(spec.driver, name=DRIVER_SENTINEL), callouts=callouts)


def generated_sources() -> list[tuple[str, str, int]]:
    """Text of every generated .c/.h file, with its golden case and callout count."""
    catalog = load_catalog()
    sources = []
    for spec_file in sorted(GOLDEN.glob("*/spec.toml")):
        raw = tomllib.loads(spec_file.read_text(encoding="utf-8"))
        plan = plan_project(raw, catalog, new_guid=lambda: "00000000-0000-4000-8000-000000000001")
        spec = _renamed(plan.resolution.spec)
        context = build_context(spec, catalog, version="0")
        with tempfile.TemporaryDirectory() as scratch:
            project = render_project(template_dir(), context, Path(scratch))
            for path in sorted(project.rglob("*")):
                if path.suffix in C_SUFFIXES:
                    text = path.read_text(encoding="utf-8")
                    sources.append((spec_file.parent.name, text, len(spec.callouts)))
    return sources


def build() -> str:
    """The JSON text of the data file."""
    spellings: dict[str, set[tuple[str, str, str]]] = {"callout": set(), "driver": set()}
    own: set[str] = set()
    for _case, text, count in generated_sources():
        forms = [("driver", DRIVER_SENTINEL)] + [("callout", _sentinel(i)) for i in range(count)]
        for token in identifiers(text):
            hits = [
                (owner, style, form)
                for owner, name in forms
                for style, form in (("name", name), ("upper", upper_snake(name)))
                if form in token
            ]
            if not hits:
                own.add(token)
            elif len(hits) == 1:
                owner, style, form = hits[0]
                prefix, _, suffix = token.partition(form)
                spellings[owner].add((prefix, suffix, style))
    headers = stub_headers()
    wdk: dict[str, str] = {}
    for header in sorted(headers.glob("*.h")):
        for token in identifiers(header.read_text(encoding="utf-8")):
            wdk.setdefault(token, header.name)
    patterns = spellings["callout"] | spellings["driver"]

    def could_be_spelled(token: str) -> bool:
        return any(
            token.startswith(p) and token.endswith(s) and len(token) > len(p) + len(s)
            for p, s, _ in patterns
        )

    taken = {t: f"the WDK ({wdk[t]})" for t in wdk if could_be_spelled(t)}
    # The generated simulation includes the stand-ins: a WDK name stays the WDK's.
    taken |= {t: "the generated code" for t in own if could_be_spelled(t) and t not in wdk}
    data = {
        "source": "tools/build_c_names.py: the built-in template rendered for the golden specs, "
        "and the WDK stand-in headers in " + headers.relative_to(ROOT).as_posix(),
        "spellings": {
            owner: [list(p) for p in sorted(found)] for owner, found in spellings.items()
        },
        "taken": dict(sorted(taken.items())),
    }
    return json.dumps(data, indent=1) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write (or with --check, compare) the data file."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is out of date")
    args = parser.parse_args(argv)
    text = build()
    if args.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current != text:
            print(f"{OUTPUT} is out of date; run tools/{Path(__file__).name}", file=sys.stderr)
            return 1
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
