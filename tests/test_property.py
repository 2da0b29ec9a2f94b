"""Property: every spec is either refused cleanly or builds a project that compiles.

Hypothesis draws whole specs: driver and callout names in any script, C
keywords, Windows device and service names, names whose C spelling is taken,
GUIDs in every form (braced, upper case, unbalanced, nil, Windows' own keys,
junk), layers of every kind (user-mode, reserved, too new, misspelled, blank),
flags that fit or not, Windows versions known and unknown, and 1 to 64
callouts. For each spec the real command line (``wfpgen new --config SPEC
--no-input --json``, through the top-level guard) must either

- refuse it: exit 2, one ``error:`` line per problem (at most the shown cap,
  then one "... and N more" line), no other kind of line on stderr, a JSON
  failure document, and nothing written; or
- accept it: exit 0, and the project compiles with the suite's clang check
  (tests/clang_check.py, stand-in headers, plus the real WDK when
  WFPGEN_WDK_HEADERS is set) and regenerates byte for byte from its own
  ``wfpgen.toml``.

Any other outcome (exit 1, a traceback, a half-written folder) fails. The run is
derandomized, so CI sees the same examples every time; set
``WFPGEN_PROPERTY_EXAMPLES`` to run more (the default is 60). Run with ``-s``
to see how many specs were refused and accepted.
"""

import contextlib
import io
import json
import os
import tempfile
import uuid
from collections import Counter
from pathlib import Path
from string import ascii_letters
from typing import Any

import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.jsonout import check_json_output, wants_json
from tests.test_compile import REAL_HEADERS, assert_compiles
from wfpgen.cli.guard import run
from wfpgen.core.catalog import load_catalog
from wfpgen.core.reserved import windows_names
from wfpgen.core.validation import C_KEYWORDS, is_flow_target, usable_flags
from wfpgen.errors import SHOWN_PROBLEMS

EXAMPLES = int(os.environ.get("WFPGEN_PROPERTY_EXAMPLES", "60"))
CATALOG = load_catalog()
WINDOWS = [w.id for w in CATALOG.windows]
LAYERS = [layer.name for layer in CATALOG.layers]
FLAGS = [flag.name for flag in CATALOG.flags]
WINDOWS_KEYS = sorted(windows_names().guids)[:40]

RESERVED = sorted(
    {*list(C_KEYWORDS)[:8], "CON", "nul", "Com1", "LPT9", "Aux", "prn"}
    | {"tcpip", "Afd", "NDIS", "netio", "Http", "wfplwfs", "mpsdrv", "BFE"}
    | {"Index", "Count", "FwpsIncoming", "Registration", "FwpsIncomingMetadata"}
)

safe_names = st.from_regex(r"[A-Z][A-Za-z0-9]{1,14}", fullmatch=True)
any_script = st.text(st.characters(categories=["L", "Nd", "Pc"]), min_size=1, max_size=12)
names = st.one_of(
    safe_names, safe_names, safe_names, any_script, st.sampled_from(RESERVED), st.just(" ")
)


@st.composite
def guids(draw: st.DrawFn) -> str | None:
    value = str(draw(st.uuids()))
    form = draw(st.integers(0, 9))
    return [
        None,
        None,
        None,
        value,
        value.upper(),
        "{" + value + "}",
        "{" + value,
        str(uuid.UUID(int=0)),
        draw(st.sampled_from(WINDOWS_KEYS)),
        draw(st.text(max_size=40)),
    ][form]


versions = st.one_of(
    st.from_regex(r"[0-9]{1,5}(\.[0-9]{1,5}){0,3}", fullmatch=True),
    st.sampled_from(["1.0", "\u0661.\u0660", "1.\uff12", "", "1..2", "70000"]),
)


@st.composite
def wild_callout(draw: st.DrawFn) -> dict[str, Any]:
    """A callout where anything goes."""
    layer_name = draw(
        st.one_of(
            st.sampled_from(LAYERS),
            st.sampled_from(LAYERS).map(str.lower),
            st.sampled_from(["", "  ", "STREAM", "ALE_AUTH_CONNECT_V9"]),
        )
    )
    callout: dict[str, Any] = {"name": draw(names), "layer": layer_name}
    if draw(st.booleans()):
        callout["flags"] = draw(st.lists(st.sampled_from(FLAGS), max_size=3))
    guid = draw(guids())
    if guid is not None:
        callout["guid"] = guid
    if draw(st.integers(0, 4)) == 0:
        callout["flow_context"] = True
    if draw(st.integers(0, 4)) == 0:
        callout["action"] = draw(st.sampled_from(["inspection", "unknown", "permit"]))
    return callout


@st.composite
def careful_callout(draw: st.DrawFn, windows_id: str, index: int) -> dict[str, Any]:
    """A callout that is meant to be valid: a usable layer, fitting flags, a unique name."""
    windows = CATALOG.find_windows(windows_id)
    assert windows is not None
    usable = [
        layer
        for layer in CATALOG.layers
        if layer.kernel_callout != "um"
        and layer.usable
        and layer.ntddi_value <= windows.ntddi_value
    ]
    layer = draw(st.sampled_from(usable))
    unique = safe_names.map(lambda n: f"{n}{ascii_letters[index % 52]}{index}")
    # Now and then a reserved name, so careful specs are refused for it alone.
    name = draw(st.sampled_from(RESERVED) if draw(st.integers(0, 24)) == 0 else unique)
    callout: dict[str, Any] = {"name": name, "layer": layer.name}
    fitting = [f.name for f in usable_flags(CATALOG, layer, windows)]
    if fitting and draw(st.booleans()):
        callout["flags"] = draw(st.lists(st.sampled_from(fitting), max_size=2, unique=True))
    value = str(draw(st.uuids()))
    guid = draw(st.sampled_from([None, value, value.upper(), "{" + value + "}"]))
    if guid is not None:
        callout["guid"] = guid
    if is_flow_target(layer) and draw(st.booleans()):
        callout["flow_context"] = True
    if draw(st.integers(0, 3)) == 0:
        callout["action"] = draw(st.sampled_from(["inspection", "unknown"]))
    return callout


@st.composite
def careful_spec(draw: st.DrawFn) -> dict[str, Any]:
    """A spec meant to be valid, but for the odd reserved callout name."""
    windows_id = draw(st.sampled_from(WINDOWS))
    driver: dict[str, Any] = {"name": draw(safe_names), "min_os": windows_id}
    if draw(st.booleans()):
        driver["version"] = draw(st.from_regex(r"[0-9]{1,4}(\.[0-9]{1,4}){0,3}", fullmatch=True))
    spec: dict[str, Any] = {"driver": driver}
    for table in ("provider", "sublayer"):
        if draw(st.booleans()):
            spec[table] = {"guid": str(draw(st.uuids()))}
    count = draw(st.one_of(st.integers(1, 4), st.integers(1, 64)))
    spec["callouts"] = [draw(careful_callout(windows_id, i)) for i in range(count)]
    return spec


@st.composite
def specs(draw: st.DrawFn) -> dict[str, Any]:
    """Half of the specs are careful (meant to be valid), half wild."""
    if draw(st.booleans()):
        return draw(careful_spec())
    windows_id = draw(st.sampled_from([*WINDOWS, "win12"]))
    driver: dict[str, Any] = {"name": draw(names), "min_os": windows_id}
    if draw(st.booleans()):
        driver["version"] = draw(versions)
    if draw(st.integers(0, 3)) == 0:
        driver["description"] = draw(
            st.sampled_from(["A filter", "for $ARCH$ only", "50% off", "caf\u00e9"])
        )
    spec: dict[str, Any] = {"driver": driver}
    for table in ("provider", "sublayer"):
        guid = draw(guids())
        if guid is not None:
            spec[table] = {"guid": guid}
    count = draw(st.one_of(st.integers(1, 4), st.integers(1, 64)))
    spec["callouts"] = [draw(wild_callout()) for _ in range(count)]
    return spec


def wfpgen(*args: str | Path) -> tuple[int, str, str]:
    """Run the command line in-process through its top-level guard."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = run([str(a) for a in args])
    if wants_json(args) and out.getvalue().strip():
        check_json_output(out.getvalue(), code)
    return code, out.getvalue(), err.getvalue()


def files_of(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def check_spec(spec: dict[str, Any], outcomes: Counter[str]) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        spec_file = work / "spec.toml"
        spec_file.write_text(tomli_w.dumps(spec), encoding="utf-8")
        out = work / "out"
        code, stdout, stderr = wfpgen(
            "new", "--config", spec_file, "--no-input", "--json", "-o", out
        )
        lines = stderr.splitlines()
        strange = [line for line in lines if not line.startswith(("error:", "warning:", "note:"))]
        assert not strange, stderr
        report = json.loads(stdout)
        if code == 2:
            outcomes["refused"] += 1
            assert report["ok"] is False
            errors = [line for line in lines if line.startswith("error:")]
            total = report["problem_count"]
            assert len(errors) == min(total, SHOWN_PROBLEMS) + (total > SHOWN_PROBLEMS), stderr
            assert not out.exists(), "a refused spec wrote something"
            return
        assert code == 0, stderr
        outcomes["accepted"] += 1
        project = Path(report["project"])
        assert_compiles(project, "stub")
        if REAL_HEADERS:
            assert_compiles(project, Path(REAL_HEADERS))
        again = work / "again"
        code, _, stderr = wfpgen(
            "new", "--config", project / "wfpgen.toml", "--no-input", "-o", again
        )
        assert code == 0, stderr
        assert files_of(again / project.name) == files_of(project)


def test_every_spec_is_refused_cleanly_or_builds_and_regenerates() -> None:
    outcomes: Counter[str] = Counter()

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(spec=specs())
    def check(spec: dict[str, Any]) -> None:
        check_spec(spec, outcomes)

    check()
    print(f"\nproperty test: {sum(outcomes.values())} specs, {dict(outcomes)}")
    # Both halves of the property were exercised.
    assert outcomes["refused"] >= EXAMPLES // 10
    assert outcomes["accepted"] >= EXAMPLES // 10


# --- hand-edited records -------------------------------------------------------
#
# A project's .wfpgen/ record arrives with the repository, so anyone can edit it.
# Hypothesis edits a real project's record (entries added with hostile or sane
# names and matching or wrong hashes, entries dropped, hashes or the format
# changed, the archive cut short) and runs a lifecycle command on it. Whatever
# the edit: no traceback, nothing outside the project changes, a name that
# leaves the project is refused with exit 1 naming it, and a refused run
# changes nothing at all.

RECORD_EXAMPLES = int(os.environ.get("WFPGEN_PROPERTY_RECORD_EXAMPLES", "30"))
OUTSIDE_TEXT = b"outside the project\n"
HOSTILE_NAMES = [
    "../outside.txt",
    "../../outside.txt",
    "driver/../../outside.txt",
    "/tmp/outside.txt",
    "OUTSIDE_ABSOLUTE",
    "..",
    ".",
    "",
    "a//b.c",
    "./README.md",
    "driver\\..\\..\\outside.txt",
    "C:/outside.txt",
    ".git/config",
    ".GIT/HEAD",
    "driver/",
]
SANE_NAMES = ["extra.txt", "driver/extra.c", "caf\u00e9/notes.md", "README.md", "wfpgen.toml"]
COMMANDS = [
    ["diff", "{p}"],
    ["check", "{p}"],
    ["update", "{p}"],
    ["add", "callout", "Extra:ALE_AUTH_LISTEN_V4", "-p", "{p}"],
    ["remove", "callout", "Conn", "-p", "{p}"],
]


def leaves(name: str) -> bool:
    """The test's own judgement: a name that is not a plain relative path below the project."""
    parts = name.replace("\\", "/").split("/")
    return (
        name in ("", ".", "..")
        or name.startswith("/")
        or ":" in name
        or "\\" in name
        or any(part in ("", ".", "..") or part.lower() == ".git" for part in parts)
    )


@st.composite
def record_edits(draw: st.DrawFn) -> dict[str, Any]:
    added = draw(
        st.lists(
            st.tuples(
                st.sampled_from(HOSTILE_NAMES + SANE_NAMES),
                st.sampled_from([OUTSIDE_TEXT, b"random\n", b""]),
            ),
            max_size=3,
        )
    )
    return {
        "added": added,
        "dropped": draw(st.integers(0, 2)),
        "bad_hash": draw(st.booleans()) and draw(st.booleans()),
        "format": draw(st.sampled_from([1, 1, 1, 2, "1"])),
        "cut_archive": draw(st.integers(0, 12)) == 0,
        "command": draw(st.sampled_from(COMMANDS)),
    }


def edit_record(project: Path, edit: dict[str, Any], outside: Path) -> list[str]:
    """Apply ``edit`` to the record; return the names added."""
    import tomllib
    import zipfile

    from wfpgen.lifecycle.base import ARCHIVE, MANIFEST, digest, record_contents

    with zipfile.ZipFile(project / ARCHIVE) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    manifest = tomllib.loads((project / MANIFEST).read_text(encoding="utf-8"))
    for name in sorted(files)[: edit["dropped"]]:
        files.pop(name)
    names = []
    for name, data in edit["added"]:
        name = outside.as_posix() if name == "OUTSIDE_ABSOLUTE" else name
        files[name] = data
        names.append(name)
    contents = record_contents(
        files, version=manifest["wfpgen_version"], template=manifest["template"]
    )
    for name, data in contents.items():
        (project / name).write_bytes(data)
    text = (project / MANIFEST).read_text(encoding="utf-8")
    if edit["format"] != 1:
        text = text.replace("format = 1", f"format = {json.dumps(edit['format'])}")
    if edit["bad_hash"] and files:
        first = sorted(files)[0]
        text = text.replace(digest(files[first]), digest(b"something else"))
    (project / MANIFEST).write_text(text, encoding="utf-8")
    if edit["cut_archive"]:
        data = (project / ARCHIVE).read_bytes()
        (project / ARCHIVE).write_bytes(data[: len(data) // 2])
    return names


def everything_under(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes() if p.is_file() else b"<dir>"
        for p in sorted(root.rglob("*"))
    }


def check_record_edit(pristine: Path, edit: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        outside = work / "outside.txt"
        outside.write_bytes(OUTSIDE_TEXT)
        (work / "outside-dir").mkdir()
        (work / "outside-dir" / "outside.txt").write_bytes(OUTSIDE_TEXT)
        project = work / "repo" / "P"
        import shutil

        shutil.copytree(pristine, project)
        added = edit_record(project, edit, outside)
        before_project = everything_under(project)
        before_rest = {k: v for k, v in everything_under(work).items() if not k.startswith("repo/")}
        args = [a.replace("{p}", str(project)) for a in edit["command"]]
        code, stdout, stderr = wfpgen(*args)
        after_rest = {k: v for k, v in everything_under(work).items() if not k.startswith("repo/")}
        assert after_rest == before_rest, (edit, stderr)
        assert sorted(p.name for p in (work / "repo").iterdir()) == ["P"], stderr
        assert "Traceback" not in stderr and "unexpected" not in stderr, stderr
        assert OUTSIDE_TEXT.decode().strip() not in stdout or "outside" in str(added), stdout
        hostile = [name for name in added if leaves(name)]
        if hostile:
            assert code == 1, (edit, stderr)
            assert any(repr(name) in stderr.replace("\n", "") for name in hostile), stderr
        assert code in (0, 1, 5, 6), (edit, stderr)
        if code == 1:
            assert everything_under(project) == before_project, (edit, stderr)


def test_hand_edited_records_never_reach_outside_the_project(tmp_path: Path) -> None:
    pristine = tmp_path / "P"
    code, _, stderr = wfpgen(
        "new", "--no-input", "--callout", "Conn:ALE_AUTH_CONNECT_V4", "--name", "P", pristine
    )
    assert code == 0, stderr

    @settings(
        max_examples=RECORD_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(edit=record_edits())
    def check(edit: dict[str, Any]) -> None:
        check_record_edit(pristine, edit)

    check()
