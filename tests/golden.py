"""Compare a generated tree with an expected tree: exact file set and bytes."""

import difflib
import shutil
from collections.abc import Callable
from pathlib import Path

# The base record's archive is binary: the goldens check it through the hashes
# in .wfpgen/base.toml, and test_base_record_is_the_generated_tree reads it.
SKIPPED = frozenset({".wfpgen/base.zip"})


def _files(root: Path) -> dict[str, Path]:
    files = {p.relative_to(root).as_posix(): p for p in root.rglob("*") if p.is_file()}
    return {name: path for name, path in files.items() if name not in SKIPPED}


def _skipped(root: Path) -> Callable[[str, list[str]], set[str]]:
    def ignore(folder: str, names: list[str]) -> set[str]:
        here = Path(folder).relative_to(root)
        return {n for n in names if (here / n).as_posix() in SKIPPED}

    return ignore


def assert_tree_matches(actual: Path, expected: Path, *, update: bool = False) -> None:
    """Fail with a readable report unless both trees hold the same files and bytes.

    With ``update``, ``expected`` is replaced by ``actual`` instead.
    """
    if update:
        shutil.rmtree(expected, ignore_errors=True)
        shutil.copytree(actual, expected, ignore=_skipped(actual))
        return
    have, want = _files(actual), _files(expected)
    report = [f"missing: {name}" for name in sorted(want.keys() - have.keys())]
    report += [f"unexpected: {name}" for name in sorted(have.keys() - want.keys())]
    for name in sorted(want.keys() & have.keys()):
        got, exp = have[name].read_bytes(), want[name].read_bytes()
        if got != exp:
            report.append(f"differs: {name}\n{_diff(exp, got, name)}")
    assert not report, (
        "generated tree does not match the golden files "
        "(run pytest --update-golden to accept):\n" + "\n".join(report)
    )


def _diff(expected: bytes, actual: bytes, name: str) -> str:
    try:
        old = expected.decode("utf-8").replace("\r", "\\r").splitlines()
        new = actual.decode("utf-8").replace("\r", "\\r").splitlines()
    except UnicodeDecodeError:
        return "  (binary content differs)"
    lines = difflib.unified_diff(old, new, f"expected/{name}", f"actual/{name}", lineterm="", n=2)
    return "\n".join(list(lines)[:80])
