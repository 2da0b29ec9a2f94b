"""A release is one version everywhere: `wfpgen --version`, the package metadata, the CHANGELOG.

Cutting a release means bumping ``wfpgen/__init__.py``, turning the CHANGELOG's
``[Unreleased]`` section into ``[X.Y.Z] - DATE`` (with a new empty
``[Unreleased]`` above it), reinstalling (``pip install -e .``) and tagging
``vX.Y.Z``; these tests fail until all of them agree.
"""

import re
from importlib.metadata import version
from pathlib import Path

from tests.conftest import RunCli
from wfpgen import __version__

CHANGELOG = Path(__file__).resolve().parents[1] / "CHANGELOG.md"
_RELEASE = re.compile(r"^## \[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2})$", re.M)


def test_the_version_is_semantic() -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+", __version__)


def test_the_command_prints_the_version(run_cli: RunCli) -> None:
    result = run_cli("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"wfpgen {__version__}"


def test_the_installed_metadata_has_the_version() -> None:
    assert version("wfpgen") == __version__, "the install is stale: run pip install -e ."


def test_the_newest_changelog_release_is_the_version() -> None:
    text = CHANGELOG.read_text(encoding="utf-8")
    releases = _RELEASE.findall(text)
    assert releases, "the CHANGELOG has no `## [X.Y.Z] - YYYY-MM-DD` section"
    newest, _ = releases[0]
    assert newest == __version__, f"CHANGELOG's newest release is {newest}, wfpgen is {__version__}"
    headings = re.findall(r"^## \[([^\]]+)\]", text, re.M)
    assert headings[0] in ("Unreleased", __version__)
    # Newest first, each version once.
    numbers = [tuple(map(int, v.split("."))) for v, _ in releases]
    assert numbers == sorted(set(numbers), reverse=True)
