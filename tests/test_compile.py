"""Generated C compiles cleanly: clang in MSVC mode, strict warnings, real or stand-in headers.

The stand-in headers (wfpgen/wdk_stubs) are always used, so CI needs no WDK. When
WFPGEN_WDK_HEADERS names a tree built by shared/tools/wdk-headers, every project
is compiled against the real WDK and KMDF headers too.
"""

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from wfpgen.checks.compile_check import Canary, canaries, check_project, format_diagnostics
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
    (vcxproj,) = project.glob("*/*.vcxproj")
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
