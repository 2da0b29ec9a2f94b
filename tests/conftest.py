"""Shared fixtures: an isolated home, a CLI runner, and golden-file updating."""

import itertools
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from tests.jsonout import check_json_output, wants_json
from wfpgen.cli import app


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/golden/*/expected from the current templates",
    )


@pytest.fixture(scope="session")
def template_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One compiled-template cache for the whole session (as a user's runs share one)."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    template_cache: Path,
    request: pytest.FixtureRequest,
) -> Iterator[None]:
    """Point HOME somewhere empty, so nothing can read or write the real one; check it stays so.

    wfpgen's template cache goes to WFPGEN_CACHE_DIR, a folder outside HOME;
    tests of the cache location unset it and mark what they may leave with
    ``@pytest.mark.home_writes(NAME, ...)``.
    """
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("USERPROFILE", str(home))
    monkeypatch.setenv("WFPGEN_CACHE_DIR", str(template_cache))
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    for name in ("XDG_CONFIG_HOME", "APPDATA", "WFPGEN_CONFIG", "WFPGEN_TRUST"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("LOCALAPPDATA", raising=False)
    monkeypatch.delenv("CI", raising=False)
    yield
    # Nothing may be left in the home folder but what the test declares.
    marker = request.node.get_closest_marker("home_writes")
    allowed = set(marker.args) if marker else set()
    left = sorted(p.name for p in home.iterdir() if p.name not in allowed)
    assert not left, f"the test left {left} in the home folder"


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


RunCli = Callable[..., Result]


@pytest.fixture
def run_cli() -> RunCli:
    """Invoke the real Typer app in-process; stdout and stderr stay apart.

    Under ``--json`` the document is checked against its published schema.
    """
    runner = CliRunner()

    def run(*args: str, input: str | None = None) -> Result:
        result = runner.invoke(app, [str(a) for a in args], input=input, catch_exceptions=False)
        if wants_json(args) and result.stdout.strip():
            check_json_output(result.stdout, result.exit_code)
        return result

    return run


@pytest.fixture
def fixed_guids() -> Iterator[Callable[[], str]]:
    """A GUID factory that counts, for deterministic specs in tests."""
    counter = itertools.count(1)
    yield lambda: str(uuid.UUID(int=next(counter) + (0xABC << 64)))


def tree_files(root: Path) -> list[Path]:
    """Every file below ``root``, as sorted relative paths."""
    return sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file())
