"""The code base stays ruff-clean (lint and format) and mypy --strict clean."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_ruff_check() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "."], cwd=ROOT, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stdout + run.stderr


def test_ruff_format() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr


def test_mypy_strict() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "wfpgen"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr


FENCES = {
    # layer: an import its ruff.toml must refuse
    "core": "import wfpgen.templating.render",
    "templating": "import wfpgen.lifecycle.generate",
    "checks": "import wfpgen.lifecycle.generate",
    "lifecycle": "import wfpgen.cli.app",
}


def test_each_layer_refuses_imports_from_above() -> None:
    """Code in each subpackage that imports from a layer above fails ruff's banned-api rule."""
    for layer, statement in FENCES.items():
        # --stdin-filename: ruff applies the config that file would get, nothing is written.
        run = subprocess.run(
            [
                sys.executable,
                "-m",
                "ruff",
                "check",
                "--select",
                "TID251",
                "--stdin-filename",
                f"wfpgen/{layer}/probe.py",
                "-",
            ],
            input=f'"""Probe."""\n\n{statement}\n',
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        assert run.returncode == 1 and "TID251" in run.stdout, (layer, run.stdout + run.stderr)
