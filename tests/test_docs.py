"""The README and the documentation site: short front page, examples that run, a strict build."""

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import RunCli
from wfpgen.cli.envelope import COMMANDS
from wfpgen.core.spec import CALLOUT_KEYS, DRIVER_KEYS, PROVIDER_KEYS, SUBLAYER_KEYS, TEMPLATE_KEYS
from wfpgen.errors import ExitCode

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DOCS = ROOT / "docs"
_BLOCK = re.compile(r"^```(\w+)\n(.*?)^```", re.M | re.S)


def _blocks(text: str, language: str) -> list[str]:
    return [body for lang, body in _BLOCK.findall(text) if lang == language]


def _section(text: str, heading: str) -> str:
    start = text.index(f"\n{heading}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def _hook() -> ModuleType:
    spec = importlib.util.spec_from_file_location("docs_reference", DOCS / "hooks" / "reference.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_readme_is_a_front_page() -> None:
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 250
    assert max(map(len, lines)) <= 160  # no 660-character table cells


def test_readme_and_docs_links_point_at_pages_that_exist() -> None:
    for page in [README, *DOCS.glob("*.md")]:
        for target in re.findall(
            r"\]\(([^)#:]+\.md)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")
        ):
            assert (page.parent / target).is_file(), f"{page.name} links to missing {target}"


@pytest.mark.parametrize("page", [README, DOCS / "getting-started.md"], ids=lambda p: p.name)
def test_example_specs_are_valid(run_cli: RunCli, tmp_path: Path, page: Path) -> None:
    specs = [b for b in _blocks(page.read_text(encoding="utf-8"), "toml") if "[[callouts]]" in b]
    assert specs
    for number, text in enumerate(specs):
        spec = tmp_path / f"spec{number}.toml"
        spec.write_text(text, encoding="utf-8")
        result = run_cli("validate", spec)
        assert result.exit_code == 0, result.stderr
        assert "warning" not in result.stderr


@pytest.mark.slow
def test_the_readme_example_runs_as_written(tmp_path: Path) -> None:
    """The spec and the commands of "An example", as a reader would run them."""
    for tool in ("cmake", "git"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed")
    if not any(shutil.which(cc) for cc in ("cc", "gcc", "clang")):
        pytest.skip("no C compiler is installed")
    example = _section(README.read_text(encoding="utf-8"), "## An example")
    [spec] = _blocks(example, "toml")
    (tmp_path / "spec.toml").write_text(spec, encoding="utf-8")
    script = "set -e\n" + "".join(_blocks(example, "sh"))
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "GIT_AUTHOR_NAME": "Reader",
        "GIT_AUTHOR_EMAIL": "reader@example.com",
        "GIT_COMMITTER_NAME": "Reader",
        "GIT_COMMITTER_EMAIL": "reader@example.com",
        "GIT_CONFIG_GLOBAL": os.devnull,
    }
    env.pop("CI", None)
    done = subprocess.run(
        ["bash", "-c", script],
        cwd=tmp_path,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    project = tmp_path / "ContosoFilter"
    assert "Block" in (project / "wfpgen.toml").read_text(encoding="utf-8")
    assert done.stdout.rstrip().endswith(".: up to date")
    assert "100% tests passed" in done.stdout


def test_every_exit_status_is_documented() -> None:
    readme = README.read_text(encoding="utf-8")
    scripting = (DOCS / "scripting.md").read_text(encoding="utf-8")
    for code in ExitCode:
        row = re.compile(rf"^\| {int(code)} \|", re.M)
        assert row.search(readme) and row.search(scripting), code
    assert "| 128+N |" in scripting


def test_the_generated_reference_covers_every_key_and_command() -> None:
    hook = _hook()
    spec = hook.render("spec-reference")
    for table in (DRIVER_KEYS, PROVIDER_KEYS, SUBLAYER_KEYS, CALLOUT_KEYS, TEMPLATE_KEYS):
        for key in table:
            assert f"| `{key}`" in spec, key
    commands = hook.render("json-commands")
    for command in COMMANDS:
        assert f"### `wfpgen {command} --json`" in commands
    assert "`exit_code`" in hook.render("json-envelope")


@pytest.mark.docs
def test_mkdocs_builds_strict(tmp_path: Path) -> None:
    """`mkdocs build --strict`: no broken link, anchor, nav entry or generated part."""
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    spec_page = (tmp_path / "site" / "spec" / "index.html").read_text(encoding="utf-8")
    assert "<code>min_os</code>" in spec_page
    scripting = (tmp_path / "site" / "scripting" / "index.html").read_text(encoding="utf-8")
    assert "wfpgen template test --json" in scripting
