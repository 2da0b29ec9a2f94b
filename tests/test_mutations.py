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

A bug that makes the build itself fail is caught too, when ``expect`` is in
the compiler's output (e.g. a warning turned into an error).
The rows are validated first: unique ids, known specs, the required keys.
"""

import os
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
RUN_TIMEOUT = 60

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

    def caught_in(self, output: str) -> bool:
        return any(text in output for text in self.expect)


def _read_rows() -> list[tuple[str, dict[str, object]]]:
    rows = []
    for table in sorted(MUTATIONS.glob("*.toml")):
        with table.open("rb") as handle:
            data = tomllib.load(handle)
        rows += [(table.name, row) for row in data.get("bug", [])]
    return rows


def _row_problems(rows: list[tuple[str, dict[str, object]]]) -> list[str]:
    problems = []
    seen: dict[str, str] = {}
    for table, row in rows:
        name = f"{table}: {row.get('id', '(no id)')}"
        if missing := KEYS - row.keys():
            problems.append(f"{name}: missing {sorted(missing)}")
        if unknown := row.keys() - KEYS:
            problems.append(f"{name}: unknown {sorted(unknown)}")
        texts = ["id", "file", "find", "why"]
        if any(not isinstance(row.get(k), str) or not row.get(k) for k in texts if k in row):
            problems.append(f"{name}: {', '.join(texts)} must be non-empty strings")
        if not isinstance(row.get("replace", ""), str) or row.get("replace") == row.get("find"):
            problems.append(f"{name}: replace must be a string that differs from find")
        expect = row.get("expect")
        expect = [expect] if isinstance(expect, str) else expect
        if not isinstance(expect, list) or not expect or not all(isinstance(e, str) and e for e in expect):
            problems.append(f"{name}: expect must be a non-empty string or list of them")
        specs = row.get("specs")
        if not isinstance(specs, list) or not specs or not all(isinstance(s, str) for s in specs):
            problems.append(f"{name}: specs must be a non-empty list of golden case names")
        elif unknown_specs := sorted(set(specs) - set(SPECS)):
            problems.append(f"{name}: unknown specs {unknown_specs} (known: {SPECS})")
        identifier = row.get("id")
        if isinstance(identifier, str):
            if identifier != identifier.lower() or " " in identifier or "_" in identifier:
                problems.append(f"{name}: id must be kebab-case")
            if identifier in seen:
                problems.append(f"{name}: id already used in {seen[identifier]}")
            seen[identifier] = table
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
    )


ROWS = _read_rows()
BUGS = [] if _row_problems(ROWS) else [_bug(table, row) for table, row in ROWS]
CASES = [pytest.param(bug, spec, id=f"{bug.id}[{spec}]") for bug in BUGS for spec in bug.specs]


def test_rows_are_valid() -> None:
    assert ROWS, f"no [[bug]] rows in {MUTATIONS}/*.toml"
    assert not _row_problems(ROWS), "\n".join(_row_problems(ROWS))


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


def _compile_all(project: Path, out: Path, files: list[Path]) -> dict[Path, Path]:
    """Compile ``files`` (relative to project) into ``out``, two at a time."""
    targets = {f: out / f.as_posix().replace("/", "__").replace(".c", ".o") for f in files}
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        done = dict(zip(files, pool.map(lambda f: _compile(project, project / f, targets[f]), files)))
    failed = [f"{f}:\n{d.stderr}" for f, d in done.items() if d.returncode != 0]
    if failed:
        raise BuildFailed("\n".join(failed))
    return targets


class BuildFailed(Exception):
    pass


def _run_tests(binary: Path, tests: list[str], bug: Bug | None) -> tuple[bool, str]:
    """Run each test in its own process; stop at the first failure that prints what ``bug`` expects.

    Returns whether one failed (as the bug expects, if given) and the output seen.
    """
    seen = []
    for test in tests:
        done = subprocess.run(
            [str(binary), test], capture_output=True, text=True, check=False, timeout=RUN_TIMEOUT
        )
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
            except (AssertionError, BuildFailed) as problem:
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
            raise BuildFailed(linked.stderr)
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
    """Apply the row's one replacement, in the file's own line endings."""
    target = project / bug.file
    assert target.is_file(), f"{bug.id}: the generated project has no {bug.file}"
    text = target.read_bytes().decode("utf-8")
    find, replace = bug.find, bug.replace
    if "\r\n" in text and "\r" not in find:
        find, replace = find.replace("\n", "\r\n"), replace.replace("\n", "\r\n")
    count = text.count(find)
    assert count == 1, (
        f"{bug.id} ({bug.table}): `find` occurs {count} times in {bug.file}, not exactly once; "
        f"update the row to the current template:\n{bug.find}"
    )
    target.write_bytes(text.replace(find, replace).encode("utf-8"))


@needs_compiler
@pytest.mark.parametrize(("bug", "spec"), CASES)
def test_planted_bug_is_caught(bug: Bug, spec: str, baselines: Baselines, tmp_path: Path) -> None:
    base = baselines.get(spec)
    project = tmp_path / "project"
    shutil.copytree(base.project, project)
    _plant(bug, project)

    changed = Path(bug.file)
    stale = [changed] if changed in base.objects else list(base.objects)
    try:
        rebuilt = _compile_all(project, tmp_path, stale)
    except BuildFailed as failure:
        assert bug.caught_in(str(failure)), f"{bug.id}: the build failed without {bug.expect}:\n{failure}"
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
