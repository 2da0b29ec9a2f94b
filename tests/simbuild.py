"""Build a generated project's tests/ without CMake: the compiler flags its CMakeLists.txt uses.

The generated ``tests/CMakeLists.txt`` is what users run; the suite compiles
many projects, and calling the compiler directly is several times faster than
configuring CMake. The flags here mirror that file for gcc and clang: C11,
``-Wall -Wextra`` as errors, AddressSanitizer and UndefinedBehaviorSanitizer,
``-ftrivial-auto-var-init=pattern`` and clang's uninitialised-variable
warnings where the compiler has them.
tests/test_simulation.py runs every golden project through the real CMake.
"""

import functools
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

# $CC, as CMake honours it, else the first C compiler on PATH.
COMPILER = next(
    (c for c in (os.environ.get("CC"), "cc", "gcc", "clang") if c and shutil.which(c)), None
)
SANITIZERS = [
    "-fsanitize=address,undefined",
    "-fno-sanitize-recover=all",
    "-fno-omit-frame-pointer",
]
# An uninitialised local holds a recognisable garbage value, never a lucky zero.
AUTO_VAR_INIT = ["-ftrivial-auto-var-init=pattern"]
WARNINGS = ["-Wall", "-Wextra", "-Werror", "-Wno-unknown-pragmas", "-Wno-multichar"]
# clang only: variables that only some paths initialise.
UNINITIALIZED = ["-Wsometimes-uninitialized", "-Wconditional-uninitialized"]


def _accepted(flags: list[str]) -> bool:
    with tempfile.TemporaryDirectory() as folder:
        probe = Path(folder) / "probe.c"
        probe.write_text("int main(void) { return 0; }\n")
        done = subprocess.run(
            [str(COMPILER), *flags, str(probe), "-o", str(Path(folder) / "probe")],
            capture_output=True,
            check=False,
        )
    return done.returncode == 0


@functools.cache
def compile_flags() -> tuple[str, ...]:
    """Flags for every source file (and, for the sanitizers, the link)."""
    flags = ["-std=c11", "-g", *WARNINGS]
    flags += SANITIZERS if _accepted(SANITIZERS) else []
    flags += AUTO_VAR_INIT if _accepted(AUTO_VAR_INIT) else []
    flags += UNINITIALIZED if _accepted(UNINITIALIZED) else []
    return tuple(flags)


def defines(project: Path) -> list[str]:
    """The preprocessor definitions the generated CMakeLists.txt passes."""
    text = (project / "tests" / "CMakeLists.txt").read_text()
    line = next(x for x in text.splitlines() if "target_compile_definitions" in x)
    names = line.split("PRIVATE", 1)[1].rstrip(")").split()
    return [f"-D{name}" for name in names]


def includes(project: Path) -> list[str]:
    tests = project / "tests"
    found = [f"-I{tests / 'sim' / 'include'}", f"-I{tests / 'sim'}", f"-I{project / 'driver'}"]
    # The companion's logic, which scenarios_app.c runs against the simulated driver.
    return found + ([f"-I{project / 'app'}"] if (project / "app").is_dir() else [])


def sources(project: Path) -> list[Path]:
    """Every C file of the test program: simulation, driver, scenarios, user tests, companion logic."""
    tests = project / "tests"
    companion = [project / "app" / name for name in ("ctl.c", "filters.c")]
    return [
        *sorted((tests / "sim").glob("*.c")),
        *sorted((project / "driver").glob("*.c")),
        *sorted(tests.glob("scenarios*.c")),
        tests / "user_tests.c",
        *[source for source in companion if source.is_file()],
    ]


def compiler_command(project: Path, *arguments: str) -> list[str]:
    return [str(COMPILER), *compile_flags(), *defines(project), *includes(project), *arguments]
