"""Planted bugs: every row of tests/mutations/*.toml must make a generated project's tests fail.

Each row (format in tests/mutations/README.md) names a realistic mistake in a
generated driver: a file of the generated project, one exact text in it, what
to replace it with, the golden specs (tests/golden/<name>/spec.toml) whose
projects it applies to, and a substring the failing tests must print. For
each row and each of its specs the harness

1. generates the spec's project once per session and compiles every C file
   of its tests/ into an object, with the flags of the generated
   CMakeLists.txt (tests/simbuild.py: warnings as errors, sanitizers,
   ``-ftrivial-auto-var-init=pattern``), and checks that the unmodified
   project's tests pass;
2. copies the project, replaces ``find`` (which must occur exactly once in
   the file, so rows fail loudly when the templates change under them) with
   ``replace``, recompiles only that file (every file for a header) and
   relinks with the cached objects;
3. runs the tests one by one as ctest does (each scenario in its own
   process), stopping at the first that fails with ``expect`` in its output,
   and fails if none does.

``expect`` may also be a list, any one of which will do. A bug that makes
the build itself fail is caught too, when ``expect`` is in the compiler's
output (a warning turned into an error). test_rows_are_valid checks the rows
(required keys, kebab-case ids unique over all tables, known specs); a row
that fails it is not planted. $CC picks the compiler, as for CMake.
Budget: about 15 s for 45 cases on an idle 2-core machine.
"""

import os
import re
import shutil
import subprocess
import tomllib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.simbuild import COMPILER, compiler_command, sources
from tests.test_generate import generate_case

HERE = Path(__file__).parent
MUTATIONS = HERE / "mutations"
GOLDEN = HERE / "golden"
SPECS = sorted(p.name for p in GOLDEN.iterdir() if (p / "spec.toml").is_file())
KEYS = {"id", "specs", "file", "find", "replace", "expect", "why"}
OPTIONAL = {"also"}  # more edits of the same bug, for a mistake that spans files
EDIT_KEYS = {"file", "find", "replace"}
RUN_TIMEOUT = 30

needs_compiler = pytest.mark.skipif(
    COMPILER is None, reason="no C compiler (cc, gcc or clang) on PATH: cannot run the simulation"
)


@dataclass(frozen=True)
class Bug:
    id: str
    specs: tuple[str, ...]
    file: str
    find: str
    replace: str
    expect: tuple[str, ...]  # any one of them will do
    why: str
    table: str
    also: tuple[tuple[str, str, str], ...] = ()  # more (file, find, replace) edits

    @property
    def edits(self) -> tuple[tuple[str, str, str], ...]:
        return ((self.file, self.find, self.replace), *self.also)

    def caught_in(self, output: str) -> bool:
        return any(text in output for text in self.expect)


def _read_rows() -> list[tuple[str, dict[str, object]]]:
    rows = []
    for table in sorted(MUTATIONS.glob("*.toml")):
        with table.open("rb") as handle:
            data = tomllib.load(handle)
        rows += [(table.name, row) for row in data.get("bug", [])]
    return rows


def _nonempty_strings(value: object) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, str) and v for v in value)


def _row_problems(row: dict[str, object]) -> list[str]:
    """What is wrong with one row, apart from a duplicate id."""
    problems = []
    if missing := KEYS - row.keys():
        problems.append(f"missing {sorted(missing)}")
    if unknown := row.keys() - KEYS - OPTIONAL:
        problems.append(f"unknown keys {sorted(unknown)}")
    problems += _also_problems(row.get("also", []))
    if not all(isinstance(row.get(k), str) and row.get(k) for k in ("id", "file", "find", "why")):
        problems.append("id, file, find and why must be non-empty strings")
    elif not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", str(row["id"])):
        problems.append("id must be kebab-case")
    if not isinstance(row.get("replace"), str) or row.get("replace") == row.get("find"):
        problems.append("replace must be a string that differs from find")
    expect = row.get("expect")
    if not (isinstance(expect, str) and expect) and not _nonempty_strings(expect):
        problems.append("expect must be a non-empty string or a list of them")
    specs = row.get("specs")
    if not _nonempty_strings(specs):
        problems.append("specs must be a non-empty list of golden case names")
    elif unknown_specs := sorted(set(specs) - set(SPECS)):  # type: ignore[arg-type]
        problems.append(f"unknown specs {unknown_specs} (known: {SPECS})")
    return problems


def _also_problems(also: object) -> list[str]:
    """What is wrong with a row's extra edits (``[[bug.also]]`` tables)."""
    if not isinstance(also, list) or not all(isinstance(edit, dict) for edit in also):
        return ["also must be a list of tables"]
    problems = []
    for edit in also:
        if edit.keys() != EDIT_KEYS or not all(isinstance(v, str) for v in edit.values()):
            problems.append("each also table has exactly file, find and replace, all strings")
        elif not edit["file"] or not edit["find"] or edit["find"] == edit["replace"]:
            problems.append("an also edit needs a file, a find, and a replace that differs")
    return problems


def _problems(rows: list[tuple[str, dict[str, object]]]) -> list[str]:
    problems = []
    seen: dict[object, str] = {}
    for table, row in rows:
        name = f"{table}: {row.get('id', '(no id)')}"
        problems += [f"{name}: {problem}" for problem in _row_problems(row)]
        if row.get("id") in seen:
            problems.append(f"{name}: id already used in {seen[row.get('id')]}")
        seen.setdefault(row.get("id"), table)
    return problems


def _bug(table: str, row: dict[str, object]) -> Bug:
    expect = row["expect"]
    return Bug(
        id=str(row["id"]),
        specs=tuple(row["specs"]),  # type: ignore[arg-type]
        file=str(row["file"]),
        find=str(row["find"]),
        replace=str(row["replace"]),
        expect=(expect,) if isinstance(expect, str) else tuple(expect),  # type: ignore[arg-type]
        why=str(row["why"]),
        table=table,
        also=tuple(
            (str(e["file"]), str(e["find"]), str(e["replace"]))
            for e in row.get("also", [])  # type: ignore[union-attr]
        ),
    )


ROWS = _read_rows()
# Rows with a problem fail test_rows_are_valid and are not planted.
BUGS = [_bug(table, row) for table, row in ROWS if not _row_problems(row)]
CASES = [pytest.param(bug, spec, id=f"{bug.id}[{spec}]") for bug in BUGS for spec in bug.specs]


def test_rows_are_valid() -> None:
    assert ROWS, f"no [[bug]] rows in {MUTATIONS}/*.toml"
    problems = _problems(ROWS)
    assert not problems, "\n".join(problems)


def test_row_checks_name_each_problem() -> None:
    good = {"id": "a-b", "specs": ["default"], "file": "f.c", "find": "x", "replace": "y"}
    good |= {"expect": "BUGCHECK", "why": "w"}
    bad = {**good, "id": "a_b", "specs": ["nope"], "replace": "x", "expect": [], "extra": 1}
    assert _row_problems(good) == []
    assert _problems([("t.toml", good), ("u.toml", bad | {"id": "a-b"})]) == [
        "u.toml: a-b: unknown keys ['extra']",
        "u.toml: a-b: replace must be a string that differs from find",
        "u.toml: a-b: expect must be a non-empty string or a list of them",
        f"u.toml: a-b: unknown specs ['nope'] (known: {SPECS})",
        "u.toml: a-b: id already used in t.toml",
    ]
    assert "id must be kebab-case" in " ".join(_row_problems(bad))
    spanning = {**good, "also": [{"file": "g.c", "find": "p", "replace": "q"}]}
    assert _row_problems(spanning) == []
    assert _row_problems({**good, "also": [{"file": "g.c", "find": "p"}]}) == [
        "each also table has exactly file, find and replace, all strings"
    ]
    assert _row_problems({**good, "also": [{"file": "g.c", "find": "p", "replace": "p"}]}) == [
        "an also edit needs a file, a find, and a replace that differs"
    ]


def test_a_find_that_no_longer_matches_once_fails(tmp_path: Path) -> None:
    (tmp_path / "f.c").write_bytes(b"a();\r\nb();\r\nb();\r\n")
    bug = Bug("x", ("default",), "f.c", "a();\nb();", "a();", ("E",), "w", "t.toml")
    _plant(bug, tmp_path)
    assert (tmp_path / "f.c").read_bytes() == b"a();\r\nb();\r\n"
    with pytest.raises(AssertionError, match=r"occurs 0 times in f\.c"):
        _plant(Bug("x", ("default",), "f.c", "c();", "", ("E",), "w", "t.toml"), tmp_path)


@dataclass(frozen=True)
class Baseline:
    """A generated project whose tests' objects are compiled and known to pass."""

    project: Path
    objects: dict[Path, Path]  # source, relative to the project -> its object
    tests: list[str]


def _compile(project: Path, source: Path, obj: Path) -> subprocess.CompletedProcess[str]:
    command = compiler_command(project, "-c", str(source), "-o", str(obj))
    return subprocess.run(command, capture_output=True, text=True, check=False, timeout=120)


def _link(project: Path, objects: list[Path], binary: Path) -> subprocess.CompletedProcess[str]:
    command = compiler_command(project, *map(str, objects), "-o", str(binary))
    return subprocess.run(command, capture_output=True, text=True, check=False, timeout=120)


class BuildError(Exception):
    """The compiler or linker failed; the message is its output."""


def _compile_all(project: Path, out: Path, files: list[Path]) -> dict[Path, Path]:
    """Compile ``files`` (relative to project) into objects in ``out``, in parallel."""
    targets = {f: out / f.as_posix().replace("/", "__").replace(".c", ".o") for f in files}

    def one(source: Path) -> str:
        done = _compile(project, project / source, targets[source])
        return f"{source}:\n{done.stderr}" if done.returncode != 0 else ""

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        failed = [message for message in pool.map(one, files) if message]
    if failed:
        raise BuildError("\n".join(failed))
    return targets


def _run_tests(binary: Path, tests: list[str], bug: Bug | None) -> tuple[bool, str]:
    """Run each test in its own process; stop at the first failure that prints what ``bug`` expects.

    Returns whether one failed (as the bug expects, if given) and the output seen.
    """
    seen = []
    for test in tests:
        try:
            done = subprocess.run(
                [str(binary), test],
                capture_output=True,
                text=True,
                check=False,
                timeout=RUN_TIMEOUT,
            )
        except subprocess.TimeoutExpired:
            # A hung test fails under ctest too, but it names no rule.
            seen.append(f"--- {test} (still running after {RUN_TIMEOUT} s)")
            continue
        output = done.stdout + done.stderr
        if done.returncode != 0:
            seen.append(f"--- {test} (exit {done.returncode})\n{output}")
            if bug is None or bug.caught_in(output):
                return True, "\n".join(seen)
    return False, "\n".join(seen)


class Baselines:
    """One generated, compiled and passing project per golden spec, made on first use."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.made: dict[str, Baseline | str] = {}

    def get(self, spec: str) -> Baseline:
        if spec not in self.made:
            try:
                self.made[spec] = self._make(spec)
            except (AssertionError, BuildError) as problem:
                self.made[spec] = f"the unmodified {spec} project: {problem}"
        made = self.made[spec]
        if isinstance(made, str):
            pytest.fail(made, pytrace=False)
        return made

    def _make(self, spec: str) -> Baseline:
        counter = iter(range(1, 10_000))
        project = generate_case(
            GOLDEN / spec / "spec.toml",
            self.root / spec / "project",
            lambda: f"00000000-0000-4000-8000-{next(counter):012x}",
        )
        out = self.root / spec / "objects"
        out.mkdir()
        files = [s.relative_to(project) for s in sources(project)]
        objects = _compile_all(project, out, files)
        binary = out / "driver_tests"
        linked = _link(project, list(objects.values()), binary)
        if linked.returncode != 0:
            raise BuildError(linked.stderr)
        listed = subprocess.run(
            [str(binary), "--list"], capture_output=True, text=True, check=True, timeout=60
        )
        tests = listed.stdout.split()
        failed, output = _run_tests(binary, tests, None)
        assert not failed, f"its tests fail without any planted bug:\n{output}"
        return Baseline(project, objects, tests)


@pytest.fixture(scope="session")
def baselines(tmp_path_factory: pytest.TempPathFactory) -> Baselines:
    return Baselines(tmp_path_factory.mktemp("mutations"))


def _plant(bug: Bug, project: Path) -> None:
    """Apply the row's replacements in turn, each in its file's own line endings."""
    for file, original, replacement in bug.edits:
        target = project / file
        assert target.is_file(), f"{bug.id}: the generated project has no {file}"
        text = target.read_bytes().decode("utf-8")
        find, replace = original, replacement
        if "\r\n" in text and "\r" not in find:
            find, replace = find.replace("\n", "\r\n"), replace.replace("\n", "\r\n")
        count = text.count(find)
        assert count == 1, (
            f"{bug.id} ({bug.table}): `find` occurs {count} times in {file}, not exactly "
            f"once; update the row to the current template:\n{original}"
        )
        target.write_bytes(text.replace(find, replace).encode("utf-8"))


@needs_compiler
@pytest.mark.parametrize(("bug", "spec"), CASES)
def test_planted_bug_is_caught(bug: Bug, spec: str, baselines: Baselines, tmp_path: Path) -> None:
    base = baselines.get(spec)
    project = tmp_path / "project"
    shutil.copytree(base.project, project)
    _plant(bug, project)

    changed = {Path(file) for file, _, _ in bug.edits}
    # A changed header can reach every object; a changed .c file only its own.
    stale = sorted(changed) if changed <= base.objects.keys() else list(base.objects)
    try:
        rebuilt = _compile_all(project, tmp_path, stale)
    except BuildError as failure:
        assert bug.caught_in(str(failure)), (
            f"{bug.id}: the build failed without {bug.expect}:\n{failure}"
        )
        return
    objects = {**base.objects, **rebuilt}
    binary = tmp_path / "driver_tests"
    linked = _link(project, list(objects.values()), binary)
    if linked.returncode != 0:
        assert bug.caught_in(linked.stderr), f"{bug.id}: the link failed:\n{linked.stderr}"
        return

    caught, output = _run_tests(binary, base.tests, bug)

    assert caught, (
        f"{bug.id} ({bug.why}) went unnoticed in {spec}: no test failed with any of {bug.expect}\n"
        f"{output or 'every test passed'}"
    )
