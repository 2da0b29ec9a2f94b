"""Generated C compiles cleanly: clang in MSVC mode, strict warnings, real or stand-in headers.

The stand-in headers (wfpgen/wdk_stubs) are always used, so CI needs no WDK. When
WFPGEN_WDK_HEADERS names a tree built by shared/tools/wdk-headers, every project
is compiled against the real WDK and KMDF headers too.
"""

import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from wfpgen.checks.compile_check import (
    STUB_INCLUDE,
    Canary,
    canaries,
    check_project,
    format_diagnostics,
)
from wfpgen.checks.matrix import MATRIX
from wfpgen.core.catalog import load_catalog
from wfpgen.core.project import plan_project
from wfpgen.core.spec import apply_options
from wfpgen.lifecycle.generate import generate_project
from wfpgen.templating.render import template_dir

GOLDEN = Path(__file__).parent / "golden"
REAL_HEADERS = os.environ.get("WFPGEN_WDK_HEADERS")
TARGET_VERSION_NTDDI = {
    "Windows7": "0x06010000",
    "Windows8": "0x06020000",
    "WindowsV6.3": "0x06030000",
}

HEADER_SETS = [
    pytest.param("stub", id="stub-headers"),
    pytest.param(
        Path(REAL_HEADERS) if REAL_HEADERS else None,
        id="real-wdk",
        marks=pytest.mark.skipif(
            not REAL_HEADERS,
            reason="WFPGEN_WDK_HEADERS is not set: no real WDK header tree to compile against",
        ),
    ),
]


def build_settings(project: Path) -> tuple[str, tuple[int, int]]:
    """NTDDI_VERSION and KMDF version MSBuild would use, read from the .vcxproj."""
    (vcxproj,) = project.glob("driver/*.vcxproj")
    text = vcxproj.read_text()

    def tag(name: str) -> str | None:
        found = re.search(rf"<{name}>([^<]+)</{name}>", text)
        return found.group(1) if found else None

    # Without _NT_TARGET_VERSION the toolset derives NTDDI_VERSION from TargetVersion.
    ntddi = tag("_NT_TARGET_VERSION") or TARGET_VERSION_NTDDI[tag("TargetVersion") or ""]
    kmdf = (int(tag("KMDF_VERSION_MAJOR") or 0), int(tag("KMDF_VERSION_MINOR") or 0))
    return ntddi, kmdf


def assert_compiles(project: Path, headers: str | Path) -> None:
    ntddi, kmdf = build_settings(project)
    diagnostics = check_project(project, headers=headers, ntddi=ntddi, kmdf=kmdf)
    assert diagnostics == [], format_diagnostics(diagnostics, project)


@pytest.mark.parametrize("headers", HEADER_SETS)
@pytest.mark.parametrize("case", sorted(MATRIX))
def test_matrix_project_compiles(
    case: str, headers: str | Path, tmp_path: Path, fixed_guids: Callable[[], str]
) -> None:
    plan = plan_project(apply_options(MATRIX[case], from_file=True), load_catalog(), fixed_guids)
    project = tmp_path / "Matrix"
    generate_project(
        plan.resolution.spec, load_catalog(), project, template=template_dir(), version="0.0.0"
    )
    assert_compiles(project, headers)


@pytest.mark.parametrize("headers", HEADER_SETS)
@pytest.mark.parametrize(
    "case", sorted(p.name for p in GOLDEN.iterdir() if (p / "expected").is_dir())
)
def test_golden_project_compiles(case: str, headers: str | Path) -> None:
    assert_compiles(GOLDEN / case / "expected", headers)


@pytest.mark.parametrize("headers", HEADER_SETS)
@pytest.mark.parametrize("canary", canaries(), ids=lambda c: c.source.stem)
def test_the_check_catches_driver_bugs(canary: Canary, headers: str | Path) -> None:
    """Each canary holds one real bug; the compile check must report it as an error."""
    errors = [d for d in canary.check(headers) if d.is_error]
    assert any(canary.expect in f"{d.option} {d.message}" for d in errors), (
        f"{canary.source.name}: expected an error mentioning {canary.expect!r}, got:\n"
        + format_diagnostics(errors)
    )


NTDDI_CONSTANT = re.compile(r"#define\s+NTDDI_\w+\s+(0x[0-9A-Fa-f]{8})\b")
PORTABLE_PROBE = """\
#define INITGUID
#include <guiddef.h>
#include <ntddk.h>
#include <ntstatus.h>
#include <wdf.h>
#include <wdmsec.h>
#include <fwpsk.h>
#include <fwpmk.h>

const GUID* ProbeLayerKey(void) { return &FWPM_LAYER_ALE_AUTH_CONNECT_V4; }
NTSTATUS ProbeUnused(PVOID unused) { UNREFERENCED_PARAMETER(unused); return STATUS_SUCCESS; }
"""


def portable_compilers() -> list[str]:
    return [cc for cc in ("gcc", "clang") if shutil.which(cc)]


@pytest.mark.skipif(not portable_compilers(), reason="neither gcc nor clang is installed")
def test_stand_ins_build_outside_msvc_mode(tmp_path: Path) -> None:
    """The stand-ins also parse as plain C11 for Linux (LLP64 types kept), every Windows version.

    This keeps them ready to serve a user-mode build, such as the generated simulation.
    """
    sdkddkver = (STUB_INCLUDE / "sdkddkver.h").read_text()
    # Exactly NTDDI_WIN10_RS2 fails on purpose, as the real kit does (fwpsk.h stand-in,
    # wfp-facts.md 1.1: FwpsCalloutRegister3 is declared before FWPS_CALLOUT3 exists).
    versions = sorted(set(NTDDI_CONSTANT.findall(sdkddkver)) - {"0x0A000003"})
    probe = tmp_path / "probe.c"
    probe.write_text(PORTABLE_PROBE)
    sizes = tmp_path / "sizes.c"
    sizes.write_text(
        "#include <ntdef.h>\n"
        '_Static_assert(sizeof(ULONG) == 4 && sizeof(LONG) == 4 && sizeof(DWORD) == 4, "LLP64");\n'
        '_Static_assert(sizeof(UINT64) == 8 && sizeof(ULONG_PTR) == sizeof(void*), "LLP64");\n'
    )
    failures = []
    for cc in portable_compilers():
        for source, ntddi in [(sizes, versions[-1])] + [(probe, v) for v in versions]:
            args = [cc, "-std=c11", "-Wall", "-Wextra", "-Werror", "-pedantic", "-fsyntax-only"]
            args += [f"-I{STUB_INCLUDE}", f"-DNTDDI_VERSION={ntddi}", "-DNDIS630"]
            args += ["-DKMDF_VERSION_MAJOR=1", "-DKMDF_VERSION_MINOR=15", str(source)]
            run = subprocess.run(args, capture_output=True, text=True, check=False)
            if run.returncode != 0:
                failures.append(f"{cc} NTDDI_VERSION={ntddi} {source.name}:\n{run.stderr}")
    assert not failures, "\n".join(failures)
