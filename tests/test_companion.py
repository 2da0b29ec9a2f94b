"""The companion program (app/, issue 19) builds with mingw-w64, warnings as errors.

The generated workflow's Linux job runs ``make -C app`` with mingw-w64's gcc;
these tests do the same for every golden project with a companion. The
compiler comes from Debian's gcc-mingw-w64-x86-64 package: when it is missing,
the session installs it with apt-get where it can (as root, or with sudo that
needs no password), else the tests are skipped, naming the package. Where
wine is installed, the built program runs too: with no driver loaded,
``status`` must say so and exit with status 1.

The companion's logic also runs in-process against the simulated driver: the
generated tests/scenarios_app.c, run with the other scenarios by
tests/test_simulation.py.
"""

import os
import shutil
import subprocess
import tomllib
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest

from wfpgen.core.catalog import load_catalog
from wfpgen.core.project import plan_project
from wfpgen.core.spec import apply_options
from wfpgen.lifecycle.generate import generate_project
from wfpgen.templating.render import template_dir

GOLDEN = Path(__file__).parent / "golden"
COMPANION_CASES = sorted(p.parents[2].name for p in GOLDEN.glob("*/expected/app/Makefile"))
MINGW = "x86_64-w64-mingw32-gcc"
MINGW_PACKAGE = "gcc-mingw-w64-x86-64"
MSBUILD = "{http://schemas.microsoft.com/developer/msbuild/2003}"


def _install_command() -> list[str] | None:
    """apt-get as root, or through sudo when it asks no password; None when neither works."""
    if shutil.which("apt-get") is None:
        return None
    if os.geteuid() == 0:
        return ["apt-get"]
    sudo = shutil.which("sudo")
    if (
        sudo
        and subprocess.run([sudo, "-n", "true"], capture_output=True, check=False).returncode == 0
    ):
        return [sudo, "-n", "apt-get"]
    return None


@pytest.fixture(scope="session")
def mingw() -> str:
    """The path of mingw-w64's gcc, installed on first use where the machine allows it."""
    found = shutil.which(MINGW)
    if found:
        return found
    apt = _install_command()
    if apt is None:
        pytest.skip(
            f"{MINGW} is missing and cannot be installed here: apt-get install {MINGW_PACKAGE}"
        )
    environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = [*apt, "install", "-y", "-q", "--no-install-recommends", MINGW_PACKAGE]
    done = subprocess.run(install, capture_output=True, text=True, check=False, env=environment)
    if done.returncode != 0:
        # The package lists may be missing or stale (a fresh container).
        subprocess.run([*apt, "update", "-q"], capture_output=True, check=False, env=environment)
        done = subprocess.run(install, capture_output=True, text=True, check=False, env=environment)
    found = shutil.which(MINGW)
    if found is None:
        pytest.skip(f"installing {MINGW_PACKAGE} failed: {done.stderr.strip()[-300:]}")
    return found


def _build(project: Path, mingw: str) -> Path:
    """make -C app, as the generated workflow runs it; returns the program."""
    done = subprocess.run(
        ["make", "-C", str(project / "app"), f"CC={mingw}"],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, f"building the companion failed:\n{done.stdout}\n{done.stderr}"
    (program,) = (project / "app").glob("*.exe")
    return program


def _render(spec: dict[str, object], target: Path, new_guid: Callable[[], str]) -> Path:
    plan = plan_project(apply_options(spec, from_file=True), load_catalog(), new_guid)
    generate_project(
        plan.resolution.spec, load_catalog(), target, template=template_dir(), version="0.0.0"
    )
    return target


def test_golden_projects_with_a_companion_exist() -> None:
    assert {"channel-dynamic", "channel-none"} <= set(COMPANION_CASES)


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
@pytest.mark.parametrize("case", COMPANION_CASES)
def test_companion_builds_with_mingw(case: str, mingw: str, tmp_path: Path) -> None:
    project = tmp_path / case
    shutil.copytree(GOLDEN / case / "expected", project)
    program = _build(project, mingw)
    assert program.name == f"{_app_name(project)}.exe"

    wine = shutil.which("wine") or shutil.which("wine64")
    if wine is None:
        return
    # No driver is loaded under wine: the device does not exist.
    done = subprocess.run(
        [wine, str(program), "status"], capture_output=True, text=True, check=False, timeout=120
    )
    assert done.returncode == 1, done.stderr
    assert "driver not loaded" in done.stderr


def _app_name(project: Path) -> str:
    spec = tomllib.loads((project / "wfpgen.toml").read_text())
    name: str = spec["driver"]["name"]
    return f"{name.lower()}ctl"


@pytest.mark.parametrize(
    ("channel", "expect_app"),
    [({"enabled": True, "app": False}, False), ({"enabled": True}, True), ({}, False)],
)
def test_app_folder_only_with_the_companion(
    channel: dict[str, object],
    expect_app: bool,
    tmp_path: Path,
    fixed_guids: Callable[[], str],
) -> None:
    spec = tomllib.loads((GOLDEN / "channel-dynamic" / "spec.toml").read_text())
    spec["channel"] = channel
    project = _render(spec, tmp_path / "p", fixed_guids)
    solution = next(project.glob("*.sln")).read_text()
    workflow = (project / ".github" / "workflows" / "build.yml").read_text()
    assert (project / "app").exists() == expect_app
    assert ("litwaremonitorctl.vcxproj" in solution) == expect_app
    assert ("make -C app" in workflow) == expect_app
    if expect_app:
        listed = {p.name for p in (project / "app").iterdir()}
        assert listed == {"Makefile", "ctl.c", "ctl.h", "main.c", "litwaremonitorctl.vcxproj"}


@pytest.mark.parametrize("case", COMPANION_CASES)
def test_companion_project_lists_its_sources_and_is_in_the_solution(case: str) -> None:
    project = GOLDEN / case / "expected"
    (path,) = (project / "app").glob("*.vcxproj")
    root = ET.parse(path).getroot()
    listed = {
        e.attrib["Include"]
        for kind in ("ClCompile", "ClInclude")
        for e in root.iter(f"{MSBUILD}{kind}")
        if "Include" in e.attrib
    }
    here = {name for name in listed if not name.startswith("..")}
    assert here == {p.name for p in (project / "app").iterdir() if p.suffix in (".c", ".h")}
    for name in listed - here:
        assert (project / "app" / name.replace("\\", "/")).is_file(), name
    guid = root.findtext(f"{MSBUILD}PropertyGroup/{MSBUILD}ProjectGuid")
    solution = next(project.glob("*.sln")).read_text()
    assert f'"app\\{path.name}", "{guid}"' in solution
    # Every solution platform builds the companion too.
    platforms = {c.attrib["Include"] for c in root.iter(f"{MSBUILD}ProjectConfiguration")}
    for platform in platforms:
        assert f"{guid}.{platform.split('|')[0]}|" in solution
        assert f".Build.0 = {platform}" in solution
