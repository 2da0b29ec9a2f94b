"""Output into pipes: whole lines, no escape codes; NO_COLOR and FORCE_COLOR honoured.

Every test runs wfpgen as a real process whose stdout and stderr are pipes, as
``wfpgen new --no-input | cat`` or a CI log has them.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

_ESCAPE = re.compile(r"\x1b\[")
_COLOUR = re.compile(r"\x1b\[[0-9;]*(?:3[0-9]|9[0-7]|38;)[0-9;]*m")
_NEXT_COMMAND = "cmake -S tests -B build && cmake --build build && ctest --test-dir build"


def _piped(
    *args: str | Path, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run wfpgen with stdout and stderr as pipes, without the test's colour settings."""
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "COLUMNS", "CI"}
    }
    return subprocess.run(
        [sys.executable, "-m", "wfpgen", *map(str, args)],
        cwd=cwd,
        env={**base, **(env or {})},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


def _deep_folder(tmp_path: Path) -> Path:
    """An output folder whose path is longer than any terminal is wide."""
    return tmp_path / ("a-long-folder-name-" * 6) / ("and-another-one-" * 6)


@pytest.mark.slow
def test_new_into_a_pipe_keeps_commands_and_paths_on_one_line(tmp_path: Path) -> None:
    out = _deep_folder(tmp_path)
    done = _piped("new", "--no-input", "-o", out, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert not _ESCAPE.search(done.stdout + done.stderr)
    lines = done.stdout.splitlines()
    project = out / "WfpCallout"
    assert any(line.strip() == f"cd {project} && {_NEXT_COMMAND}" for line in lines), lines[-8:]
    assert f"Open {project / 'WfpCallout.sln'} in Visual Studio 2022" in done.stdout
    assert any(
        line.startswith("  4. Commit it all") and line.endswith("into your edits.")
        for line in lines
    )
    assert lines[1] == str(project)  # the root of the file tree, whole
    assert all(line == line.rstrip() for line in lines)
    # Messages on stderr stay one line each, too.
    notes = [line for line in done.stderr.splitlines() if line.startswith("note:")]
    assert notes and all("generated GUID" in line for line in notes)


@pytest.mark.slow
def test_errors_into_a_pipe_are_one_line_each(tmp_path: Path) -> None:
    spec = _deep_folder(tmp_path) / "spec.toml"
    done = _piped("validate", spec, cwd=tmp_path)
    assert done.returncode != 0
    [line] = done.stderr.splitlines()
    assert line.startswith("error: ") and str(spec) in line
    assert not _ESCAPE.search(done.stderr)


@pytest.mark.slow
def test_force_color_colours_a_pipe_but_keeps_lines_whole(tmp_path: Path) -> None:
    out = _deep_folder(tmp_path)
    done = _piped("new", "--no-input", "-o", out, cwd=tmp_path, env={"FORCE_COLOR": "1"})
    assert done.returncode == 0, done.stderr
    assert _COLOUR.search(done.stderr), done.stderr  # note: is cyan
    assert _NEXT_COMMAND in done.stdout.splitlines()[-1]


@pytest.mark.slow
def test_no_color_wins_over_force_color(tmp_path: Path) -> None:
    done = _piped(
        "validate", tmp_path / "none.toml", cwd=tmp_path, env={"FORCE_COLOR": "1", "NO_COLOR": "1"}
    )
    assert done.returncode != 0
    assert "error:" in done.stderr
    assert not _COLOUR.search(done.stderr), done.stderr


@pytest.mark.slow
def test_columns_still_sets_the_width_of_a_pipe(tmp_path: Path) -> None:
    """COLUMNS is how a user asks for a width; messages still do not wrap."""
    out = _deep_folder(tmp_path)
    done = _piped("new", "--no-input", "--dry-run", "-o", out, cwd=tmp_path, env={"COLUMNS": "60"})
    assert done.returncode == 0, done.stderr
    assert not _ESCAPE.search(done.stdout)
    assert done.stdout.splitlines()[0].startswith("Would write ")
