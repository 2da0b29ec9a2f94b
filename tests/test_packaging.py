"""The wheel carries the templates and works on its own, away from the checkout."""

import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests.golden import assert_tree_matches

ROOT = Path(__file__).resolve().parent.parent
GOLDEN_DEFAULT = Path(__file__).parent / "golden" / "default"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    # pip leaves ~/.rustup behind on some machines: give it a home of its own.
    build_home = tmp_path_factory.mktemp("build-home")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(dist),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        env={**os.environ, "HOME": str(build_home)},
    )
    (built,) = dist.glob("wfpgen-*.whl")
    return built


def test_wheel_contains_the_templates(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "wfpgen/templates/wfp-callout/cookiecutter.json" in names
    assert "wfpgen/data/catalog.json" in names
    # `wfpgen template test` compiles against the stand-in WDK headers in the wheel.
    assert "wfpgen/templates/wfp-callout/templates/wdk/fwpsk.h" in names
    assert "wfpgen/checks/matrix.py" in names
    # The built-in template's compiled code, for a fast first run (hatch_build.py).
    assert sum(n.startswith("wfpgen/data/bytecode/") for n in names) > 40
    assert any(
        n.startswith("wfpgen/templates/wfp-callout/{{cookiecutter.project_slug}}/") for n in names
    )


def test_wheel_version_is_the_package_version(wheel: Path) -> None:
    """The build reads the version from wfpgen/__init__.py, which the CLI prints."""
    from wfpgen import __version__

    assert wheel.name.startswith(f"wfpgen-{__version__}-")
    metadata = next(n for n in zipfile.ZipFile(wheel).namelist() if n.endswith("/METADATA"))
    assert f"\nVersion: {__version__}\n" in zipfile.ZipFile(wheel).read(metadata).decode()


@pytest.mark.slow
def test_installed_wheel_generates_the_golden_project(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--no-deps",
            "--no-index",
            str(wheel),
        ],
        check=True,
        capture_output=True,
        env={**os.environ, "HOME": str(tmp_path / "pip-home")},
    )
    # The dependencies come from this environment; wfpgen itself only from the wheel.
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    Path(site, "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    where = subprocess.run(
        [str(python), "-c", "import wfpgen; print(wfpgen.__file__)"],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    ).stdout
    assert where.startswith(str(venv)), where
    out = tmp_path / "out"
    run = subprocess.run(
        [
            str(venv / "bin" / "wfpgen"),
            "new",
            "--no-input",
            "--config",
            str(GOLDEN_DEFAULT / "spec.toml"),
            "--output-dir",
            str(out),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "WFPGEN_CACHE_DIR": str(tmp_path / "cache")},
    )
    assert run.returncode == 0, run.stderr
    assert_tree_matches(out / "WfpCallout", GOLDEN_DEFAULT / "expected")
    # A first run compiled nothing: every template came from the code the
    # wheel's build compiled (hatch_build.py), and gave the golden bytes.
    assert not list((tmp_path / "cache" / "templates").glob("*.jbc"))
