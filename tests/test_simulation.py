"""Generated drivers run: every project's tests/ builds with sanitizers and its scenarios pass.

Golden projects go through the generated CMake project exactly as a user runs it
(cmake, build, ctest). Matrix projects are built with one compiler call each,
which is several times faster than configuring CMake, and run the same binary.
Planted bugs are in tests/test_mutations.py.
Needs a C compiler (and cmake for the golden projects); CI has both.
"""

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import RunCli
from tests.simbuild import COMPILER, compiler_command, sources
from wfpgen.checks.matrix import MATRIX
from wfpgen.core.catalog import load_catalog
from wfpgen.core.project import plan_project
from wfpgen.core.spec import apply_options
from wfpgen.errors import SpecError
from wfpgen.lifecycle.generate import generate_project
from wfpgen.templating.render import template_dir

GOLDEN = Path(__file__).parent / "golden"
GOLDEN_CASES = sorted(p.name for p in GOLDEN.iterdir() if (p / "expected").is_dir())
CMAKE = shutil.which("cmake")

needs_compiler = pytest.mark.skipif(
    COMPILER is None, reason="no C compiler (cc, gcc or clang) on PATH: cannot run the simulation"
)
needs_cmake = pytest.mark.skipif(
    COMPILER is None or CMAKE is None,
    reason="no C compiler or no cmake on PATH: cannot build the generated tests/ project",
)


def render(raw: dict[str, object], target: Path, new_guid: Callable[[], str]) -> Path:
    plan = plan_project(apply_options(raw, from_file=True), load_catalog(), new_guid)
    generate_project(
        plan.resolution.spec, load_catalog(), target, template=template_dir(), version="0.0.0"
    )
    return target


def build(project: Path, out: Path) -> Path:
    """Compile the driver and its simulation with one compiler call; return the binary."""
    binary = out / "driver_tests"
    command = compiler_command(project, *map(str, sources(project)), "-o", str(binary))
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 0, f"building the simulation failed:\n{done.stderr}"
    return binary


def run(binary: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(binary)], capture_output=True, text=True, check=False, timeout=120)


@needs_cmake
@pytest.mark.parametrize("case", GOLDEN_CASES)
def test_golden_project_tests_pass_through_cmake(case: str, tmp_path: Path) -> None:
    """What a user runs: cmake -S tests -B build && cmake --build build && ctest (warnings are errors by default)."""
    source = GOLDEN / case / "expected" / "tests"
    build_dir = tmp_path / "build"
    steps = [
        [str(CMAKE), "-S", str(source), "-B", str(build_dir)],
        [str(CMAKE), "--build", str(build_dir), "--parallel", "2"],
        ["ctest", "--test-dir", str(build_dir), "--output-on-failure"],
    ]
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True, check=False, timeout=300)
        assert done.returncode == 0, f"{' '.join(step[:2])} failed:\n{done.stdout}\n{done.stderr}"
    assert "100% tests passed" in done.stdout
    assert "fault_sweep" in done.stdout


@needs_compiler
@pytest.mark.parametrize("case", sorted(MATRIX))
def test_matrix_project_tests_pass(
    case: str, tmp_path: Path, fixed_guids: Callable[[], str]
) -> None:
    project = render(MATRIX[case], tmp_path / "Matrix", fixed_guids)
    done = run(build(project, tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "fault sweep:" in done.stdout
    assert ", 0 failed check(s)" in done.stdout


@needs_compiler
def test_tests_off_means_no_tests_folder(tmp_path: Path, fixed_guids: Callable[[], str]) -> None:
    raw = {"driver": {"tests": False}, "callouts": [{"name": "C", "layer": "STREAM_V4"}]}
    project = render(raw, tmp_path / "P", fixed_guids)
    assert not (project / "tests").exists()
    assert (project / "driver" / "driver.c").is_file()


def test_tests_key_must_be_a_boolean() -> None:
    raw = {"driver": {"tests": "yes"}, "callouts": [{"name": "C", "layer": "STREAM_V4"}]}
    with pytest.raises(SpecError) as caught:
        plan_project(raw, load_catalog())
    assert [str(p) for p in caught.value.problems] == [
        "E111 driver.tests: expected true or false, got a string"
    ]


def test_next_steps_say_how_to_run_the_tests(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli("new", "--no-input", "--output-dir", tmp_path / "on")
    assert result.exit_code == 0
    assert "ctest --test-dir build" in " ".join(result.stdout.split())

    spec = tmp_path / "spec.toml"
    spec.write_text('[driver]\ntests = false\n\n[[callouts]]\nname = "C"\nlayer = "STREAM_V4"\n')
    result = run_cli("new", "--no-input", "--config", spec, "--output-dir", tmp_path / "off")
    assert result.exit_code == 0
    assert "ctest" not in result.stdout
