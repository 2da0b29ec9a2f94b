"""Build and run a generated project's tests (the user-mode simulation) the way its user does.

``wfpgen template test`` compiles the driver against WDK stand-ins, which
proves it is valid C; it does not prove that the generated ``tests/`` project
builds, nor that the driver passes its own scenarios. This module runs the
same three commands the generated README gives (``cmake -S tests -B build``,
``cmake --build build``, ``ctest --test-dir build``), each with a time limit,
and reports the first phase that failed with its first error line.
"""

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

#: Seconds each phase may take before it counts as failed (a hung scenario).
PHASE_TIMEOUT = 300

# What names a failure best, most telling first: the simulation's own verdict,
# then a compiler or CMake error, then ctest's summary.
_TELLING = (
    re.compile(r"BUGCHECK|VIOLATION|FAILED in"),
    re.compile(r"undefined reference|unresolved external|error:", re.IGNORECASE),
    re.compile(r"\berror\b", re.IGNORECASE),
    re.compile(r"fail", re.IGNORECASE),
)


@dataclass(frozen=True)
class PhaseResult:
    """One phase of a build-and-run: ``build`` (configure and compile) or ``run`` (ctest)."""

    phase: str
    ok: bool
    detail: str = ""  # the first line that says what went wrong, or why the phase was skipped
    skipped: bool = False


def missing_tools() -> str:
    """Why the generated tests cannot be built here ("" when cmake, ctest and a compiler exist)."""
    if shutil.which("cmake") is None or shutil.which("ctest") is None:
        return "cmake/ctest not found on PATH"
    if not any(shutil.which(c) for c in ("cc", "gcc", "clang")):
        return "no C compiler (cc, gcc or clang) on PATH"
    return ""


def _first_error(output: str) -> str:
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    for pattern in _TELLING:
        found = next((line for line in lines if pattern.search(line)), None)
        if found:
            return found
    return lines[-1] if lines else "no output"


def _run(command: list[str], cwd: Path) -> tuple[bool, str]:
    try:
        done = subprocess.run(
            command,
            cwd=cwd,
            capture_output=True,
            text=True,
            errors="replace",
            timeout=PHASE_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return False, f"{command[0]} did not finish in {PHASE_TIMEOUT} s"
    if done.returncode == 0:
        return True, ""
    return False, _first_error(done.stdout + "\n" + done.stderr)


def build_and_run(project: Path, build_dir: Path) -> tuple[PhaseResult, ...]:
    """Build ``project``'s ``tests/`` in ``build_dir`` and run them; one result per phase.

    A project without ``tests/CMakeLists.txt`` (``[driver] tests = false``)
    or a machine without the tools gets skipped phases, which are not failures.
    """
    if not (project / "tests" / "CMakeLists.txt").is_file():
        reason = "the project has no tests/ (tests = false)"
        return (PhaseResult("build", True, reason, True), PhaseResult("run", True, reason, True))
    reason = missing_tools()
    if reason:
        return (PhaseResult("build", True, reason, True), PhaseResult("run", True, reason, True))
    ok, detail = _run(["cmake", "-S", "tests", "-B", str(build_dir)], project)
    if ok:
        ok, detail = _run(["cmake", "--build", str(build_dir)], project)
    if not ok:
        return (PhaseResult("build", False, detail), PhaseResult("run", False, "not built", True))
    ok, detail = _run(["ctest", "--test-dir", str(build_dir), "--output-on-failure"], project)
    return (PhaseResult("build", True), PhaseResult("run", ok, detail))
