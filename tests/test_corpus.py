"""The bad-input corpus (tests/corpus): every class gets its expected message and status.

See tests/corpus/README.md for the layout. Each case runs through the real
command line, top-level guard included, in-process.
"""

import json
from pathlib import Path

import pytest

from tests.test_property import files_of, wfpgen
from wfpgen.errors import SHOWN_PROBLEMS

CORPUS = Path(__file__).parent / "corpus"
CASES = sorted(CORPUS.glob("*/*.toml"))


def expectation(case: Path) -> tuple[str, str]:
    outcome, _, text = (case.parent / "EXPECTED").read_text(encoding="utf-8").partition(": ")
    return outcome, text.rstrip("\n")


def test_the_corpus_covers_every_class_of_the_issue() -> None:
    classes = {p.name for p in CORPUS.iterdir() if p.is_dir()}
    assert len(CASES) >= 80
    assert {
        "windows-driver-name",
        "device-name",
        "c-name-collision",
        "non-ascii-version",
        "inf-token",
        "guid-braces",
        "empty-layer",
        "deep-nesting",
        "many-problems",
        "windows-encodings",
        "windows-keys",
    } <= classes
    for folder in classes:
        assert (CORPUS / folder / "EXPECTED").is_file(), folder


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_corpus_case(case: Path, tmp_path: Path) -> None:
    outcome, text = expectation(case)
    out = tmp_path / "out"
    code, stdout, stderr = wfpgen("new", "--config", case, "--no-input", "--json", "-o", out)
    lines = stderr.splitlines()
    assert all(line.startswith(("error:", "warning:", "note:")) for line in lines), stderr
    report = json.loads(stdout)
    checked, _, checked_err = wfpgen("validate", case)
    if outcome == "refused":
        assert code == 2, stderr
        assert checked == 2, checked_err
        errors = [line for line in lines if line.startswith("error:")]
        assert any(text in line for line in errors), stderr
        total = report.get("problem_count", 1)
        assert len(errors) == min(total, SHOWN_PROBLEMS) + (total > SHOWN_PROBLEMS), stderr
        assert not out.exists(), "a refused spec wrote something"
    else:
        assert outcome == "accepted"
        assert code == 0, stderr
        assert checked == 0, checked_err
        assert report["ok"] is True
        assert files_of(Path(report["project"]))
        if text:
            assert any(text in line for line in lines if line.startswith("warning:")), stderr
