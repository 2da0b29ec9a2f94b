"""`wfpgen new` without a terminal: options, --json, and the exit statuses scripts rely on."""

import json
import tomllib
from pathlib import Path

import pytest

from tests.conftest import RunCli
from wfpgen import __version__


@pytest.fixture
def tiny_template(tmp_path: Path) -> Path:
    """A minimal cookiecutter template: one README naming the driver."""
    root = tmp_path / "tiny"
    project = root / "{{cookiecutter.project_slug}}"
    project.mkdir(parents=True)
    (root / "cookiecutter.json").write_text('{"project_slug": "x"}\n', encoding="utf-8")
    (project / "README.md").write_text("# {{cookiecutter.project_slug}}\n", encoding="utf-8")
    return root


def test_name_and_min_os_options_apply_without_a_config(
    run_cli: RunCli, tmp_path: Path, tiny_template: Path
) -> None:
    result = run_cli(
        "new",
        "--name",
        "Contoso",
        "--min-os",
        "win10-1709",
        "--template",
        tiny_template,
        "--output-dir",
        tmp_path,
    )
    assert result.exit_code == 0, result.stderr
    spec = tomllib.loads((tmp_path / "Contoso" / "wfpgen.toml").read_text(encoding="utf-8"))
    assert spec["driver"]["name"] == "Contoso"
    assert spec["driver"]["min_os"] == "win10-1709"
    assert spec["driver"]["kmdf_version"] == "1.23"
    assert [c["layer"] for c in spec["callouts"]] == ["ALE_AUTH_CONNECT_V4", "ALE_AUTH_CONNECT_V6"]


def test_default_architectures_follow_min_os(
    run_cli: RunCli, tmp_path: Path, tiny_template: Path
) -> None:
    # Without architectures in the spec, ARM64 is built only where Windows has it.
    old = run_cli("new", "--min-os", "win7", "--template", tiny_template, "-o", tmp_path / "a")
    new = run_cli("new", "--min-os", "win11", "--template", tiny_template, "-o", tmp_path / "b")
    assert old.exit_code == new.exit_code == 0, old.stderr + new.stderr
    for folder, expected in (("a", ["x64"]), ("b", ["x64", "ARM64"])):
        answers = tomllib.loads((tmp_path / folder / "WfpCallout" / "wfpgen.toml").read_text())
        assert answers["driver"]["architectures"] == expected


def test_json_output_of_a_run(run_cli: RunCli, tmp_path: Path, tiny_template: Path) -> None:
    result = run_cli(
        "new",
        "--json",
        "--callout",
        "Stream:STREAM_V4:conditional_on_flow",
        "--template",
        tiny_template,
        "--output-dir",
        tmp_path,
    )
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["ok"] is True
    assert report["written"] is True
    assert report["project"] == str(tmp_path / "WfpCallout")
    assert report["command"] == "new" and report["exit_code"] == 0
    assert report["files"] == ["README.md", "wfpgen.toml"]
    assert [c["name"] for c in report["spec"]["callouts"]] == ["Stream", "FlowEstablishedV4"]
    assert report["notes"][0].startswith("added callout FlowEstablishedV4")
    on_disk = tomllib.loads((tmp_path / "WfpCallout" / "wfpgen.toml").read_text(encoding="utf-8"))
    assert on_disk["callouts"] == report["spec"]["callouts"]
    assert "note: added callout FlowEstablishedV4" in result.stderr  # humans still hear it


def test_json_output_of_a_dry_run(run_cli: RunCli, tmp_path: Path, tiny_template: Path) -> None:
    result = run_cli(
        "new", "--json", "--dry-run", "--template", tiny_template, "--output-dir", tmp_path
    )
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert report["written"] is False and report["dry_run"] is True
    assert not (tmp_path / "WfpCallout").exists()


def test_json_output_of_failures(run_cli: RunCli, tmp_path: Path, tiny_template: Path) -> None:
    bad = run_cli("new", "--json", "--callout", "A:NOPE", "--output-dir", tmp_path)
    assert bad.exit_code == 2
    problem = {
        "code": "E211",
        "field": "callouts[0].layer",
        "message": "unknown layer 'NOPE'; run `wfpgen layers` to list them",
    }
    assert json.loads(bad.stdout) == {
        "wfpgen": __version__,
        "command": "new",
        "ok": False,
        "exit_code": 2,
        "error": f"{problem['code']} {problem['field']}: {problem['message']}",
        "hint": "",
        "problem_count": 1,
        "warnings": [],
        "problems": [problem],
        "notes": [],
    }
    (tmp_path / "WfpCallout").mkdir()
    (tmp_path / "WfpCallout" / "keep.txt").write_text("x", encoding="utf-8")
    taken = run_cli("new", "--json", "--template", tiny_template, "--output-dir", tmp_path)
    assert taken.exit_code == 3
    report = json.loads(taken.stdout)
    assert report["ok"] is False
    assert report["exit_code"] == 3
    assert report["error"].endswith("exists and is not empty")
    assert report["hint"].startswith("choose another directory")


def test_piped_input_is_never_read(run_cli: RunCli, tmp_path: Path, tiny_template: Path) -> None:
    # CliRunner's stdin is not a terminal: the answers below must be ignored.
    result = run_cli(
        "new", "--template", tiny_template, "--output-dir", tmp_path, input="Typed\nwin7\n"
    )
    assert result.exit_code == 0, result.stderr
    assert "Driver name" not in result.output
    assert (tmp_path / "WfpCallout" / "README.md").is_file()
