"""Generated drivers run: every project's tests/ builds with sanitizers and its scenarios pass.

Golden projects go through the generated CMake project exactly as a user runs it
(cmake, build, ctest). Matrix projects are built with one compiler call each,
which is several times faster than configuring CMake, and run the same binary.
Four bugs seeded into a generated driver must each make the simulation fail.
Needs a C compiler (and cmake for the golden projects); CI has both.
"""

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import RunCli
from wfpgen.checks.matrix import MATRIX
from wfpgen.core.catalog import load_catalog
from wfpgen.core.project import plan_project
from wfpgen.core.spec import apply_options
from wfpgen.errors import SpecError
from wfpgen.lifecycle.generate import generate_project
from wfpgen.templating.render import template_dir

GOLDEN = Path(__file__).parent / "golden"
GOLDEN_CASES = sorted(p.name for p in GOLDEN.iterdir() if (p / "expected").is_dir())
COMPILER = next((c for c in ("cc", "gcc", "clang") if shutil.which(c)), None)
CMAKE = shutil.which("cmake")
SANITIZERS = ["-fsanitize=address,undefined", "-fno-sanitize-recover=all"]

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


def _sanitizers_work(tmp: Path) -> bool:
    probe = tmp / "probe.c"
    probe.write_text("int main(void) { return 0; }\n")
    done = subprocess.run(
        [str(COMPILER), *SANITIZERS, str(probe), "-o", str(tmp / "probe")],
        capture_output=True,
        check=False,
    )
    return done.returncode == 0


def _defines(project: Path) -> list[str]:
    """The preprocessor definitions the generated CMakeLists.txt passes."""
    text = (project / "tests" / "CMakeLists.txt").read_text()
    line = next(x for x in text.splitlines() if "target_compile_definitions" in x)
    names = line.split("PRIVATE", 1)[1].rstrip(")").split()
    return [f"-D{name}" for name in names]


def build(project: Path, out: Path) -> Path:
    """Compile the driver and its simulation with one compiler call; return the binary."""
    tests = project / "tests"
    sources = [
        *sorted((tests / "sim").glob("*.c")),
        *sorted((project / "driver").glob("*.c")),
        tests / "scenarios.c",
        tests / "user_tests.c",
    ]
    binary = out / "driver_tests"
    flags = ["-std=c11", "-g", "-Wall", "-Wextra", "-Werror", "-Wno-unknown-pragmas"]
    flags += ["-Wno-multichar", *(SANITIZERS if _sanitizers_work(out) else [])]
    includes = [f"-I{tests / 'sim' / 'include'}", f"-I{tests / 'sim'}", f"-I{project / 'driver'}"]
    done = subprocess.run(
        [
            str(COMPILER),
            *flags,
            *_defines(project),
            *includes,
            *map(str, sources),
            "-o",
            str(binary),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, f"building the simulation failed:\n{done.stderr}"
    return binary


def run(binary: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(binary)], capture_output=True, text=True, check=False, timeout=120)


@needs_cmake
@pytest.mark.parametrize("case", GOLDEN_CASES)
def test_golden_project_tests_pass_through_cmake(case: str, tmp_path: Path) -> None:
    """What a user runs: cmake -S tests -B build && cmake --build build && ctest."""
    source = GOLDEN / case / "expected" / "tests"
    build_dir = tmp_path / "build"
    steps = [
        [str(CMAKE), "-S", str(source), "-B", str(build_dir), "-DSIM_WERROR=ON"],
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


# A driver with filter contexts, flow contexts and an ALE_FLOW_ESTABLISHED callout.
SEEDED_SPEC = {
    "driver": {"name": "Seeded", "min_os": "win10-2004"},
    "callouts": [
        {"name": "ConnectV4", "layer": "ALE_AUTH_CONNECT_V4"},
        {"name": "StreamV4", "layer": "STREAM_V4", "flags": ["CONDITIONAL_ON_FLOW"]},
    ],
}

# (file, [(text to replace, replacement), ...], what the simulation must say)
SEEDED_BUGS = {
    "delete-filter-leaks-its-context": (
        "notify.c",
        [
            (
                "            ExFreePoolWithTag(context, FILTER_CONTEXT_TAG);\r\n        }\r\n",
                "        }\r\n",
            )
        ],
        "pool leak after unload: 3 block(s), 72 bytes with tag 'SeeF' still allocated",
    ),
    "error-path-skips-one-unregister": (
        "callouts.c",
        [
            (
                "            CalloutsUnregister();\r\n            break;",
                "            if (CalloutsRegistered > 0) {\r\n                CalloutsRegistered--;\r\n"
                "            }\r\n            CalloutsUnregister();\r\n            break;",
            )
        ],
        "BUGCHECK in fault_sweep: WdfObjectDelete: the control device still has 1 registered callout(s)",
    ),
    "unload-skips-flow-remove-context": (
        "flow.c",
        [
            (
                "        (void)FwpsFlowRemoveContext0(flowId, layerId, calloutId);",
                "        UNREFERENCED_PARAMETER(flowId);\r\n        UNREFERENCED_PARAMETER(layerId);\r\n"
                "        UNREFERENCED_PARAMETER(calloutId);",
            )
        ],
        "keeps returning STATUS_DEVICE_BUSY because 1 flow context(s) of the callout are still associated",
    ),
    "flow-context-freed-twice": (
        "flow.c",
        [
            (
                "        (void)FwpsFlowRemoveContext0(flowId, layerId, calloutId);",
                "        (void)FwpsFlowRemoveContext0(flowId, layerId, calloutId);\r\n"
                "        ExFreePoolWithTag(context, FLOW_CONTEXT_TAG);",
            )
        ],
        "BAD_POOL_CALLER: double free",
    ),
    # More of the documented mistakes: removing a flow context while holding the
    # lock its flowDeleteFn takes, waiting in a classifyFn, freeing with another tag.
    "lock-held-across-flow-remove-context": (
        "flow.c",
        [
            (
                "        calloutId = context->CalloutId;\r\n\r\n        KeReleaseInStackQueuedSpinLock(&lockHandle);",
                "        calloutId = context->CalloutId;",
            ),
            (
                "        (void)FwpsFlowRemoveContext0(flowId, layerId, calloutId);",
                "        (void)FwpsFlowRemoveContext0(flowId, layerId, calloutId);\r\n"
                "        KeReleaseInStackQueuedSpinLock(&lockHandle);",
            ),
        ],
        "SPIN_LOCK_ALREADY_OWNED: KeAcquireInStackQueuedSpinLock on a spin lock this processor already holds",
    ),
    "classify-waits-at-dispatch-level": (
        "classify.c",
        [
            (
                "    ConnectV4ReadFields(inFixedValues, &values);",
                "    ConnectV4ReadFields(inFixedValues, &values);\r\n"
                "    {\r\n        LARGE_INTEGER pause;\r\n        pause.QuadPart = -10000;\r\n"
                "        (void)KeDelayExecutionThread(KernelMode, FALSE, &pause);\r\n    }",
            )
        ],
        "IRQL_NOT_LESS_OR_EQUAL: KeDelayExecutionThread called at DISPATCH_LEVEL",
    ),
    "filter-context-freed-with-another-tag": (
        "notify.c",
        [
            (
                "            ExFreePoolWithTag(context, FILTER_CONTEXT_TAG);",
                "            ExFreePoolWithTag(context, 'gaTx');",
            )
        ],
        "with tag 'xTag', but the block was allocated with tag 'SeeF'",
    ),
}


@pytest.fixture(scope="module")
def seeded_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    counter = iter(range(1, 1000))
    return render(
        SEEDED_SPEC,
        tmp_path_factory.mktemp("seeded") / "Seeded",
        lambda: f"00000000-0000-4000-8000-{next(counter):012x}",
    )


@needs_compiler
def test_the_unbroken_seeded_project_passes(seeded_project: Path, tmp_path: Path) -> None:
    done = run(build(seeded_project, tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr


@needs_compiler
@pytest.mark.parametrize("bug", sorted(SEEDED_BUGS))
def test_the_simulation_catches_a_seeded_bug(
    bug: str, seeded_project: Path, tmp_path: Path
) -> None:
    name, edits, message = SEEDED_BUGS[bug]
    project = tmp_path / "Seeded"
    shutil.copytree(seeded_project, project)
    source = project / "driver" / name
    text = source.read_bytes().decode()
    for old, new in edits:
        assert text.count(old) == 1, f"the seed no longer applies to {name}: {old!r}"
        text = text.replace(old, new)
    source.write_bytes(text.encode())

    done = run(build(project, tmp_path))

    assert done.returncode != 0, f"{bug} went unnoticed:\n{done.stdout}"
    assert message in done.stderr, done.stderr


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
