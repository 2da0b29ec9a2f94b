"""`wfpgen validate FILE`: the spec checks of `new`, with the same messages and exit status."""

import json
from pathlib import Path

import pytest

from tests.conftest import RunCli
from wfpgen import __version__

GOLDEN = Path(__file__).parent / "golden"

GOOD = """
[driver]
name = "Contoso"
min_os = "win10-1709"
[[callouts]]
name = "Connect"
layer = "ALE_AUTH_CONNECT_V4"
"""

BAD = """
[driver]
name = "int"
min_os = "win10-1709"
colour = "blue"
[[callouts]]
name = "Stream"
layer = "STREM_V4"
flags = ["ALLOW_RECLASIFY"]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "spec.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_valid_spec_exits_0(run_cli: RunCli, tmp_path: Path) -> None:
    spec = write(tmp_path, GOOD)
    result = run_cli("validate", spec)
    assert result.exit_code == 0
    assert result.stdout == (
        f"{spec}: valid; driver Contoso, 1 callout, minimum Windows win10-1709\n"
    )
    assert result.stderr == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["spec.toml"]


def test_invalid_spec_reports_like_new(run_cli: RunCli, tmp_path: Path) -> None:
    spec = write(tmp_path, BAD)
    checked = run_cli("validate", spec)
    generated = run_cli("new", "--config", spec, "--no-input", "--output-dir", tmp_path / "out")
    assert checked.exit_code == generated.exit_code == 2
    assert checked.stdout == ""
    assert checked.stderr == generated.stderr
    assert checked.stderr.splitlines() == [
        "error: E110 driver.colour: unknown key; known keys: name, description, company, version, "
        "min_os, kmdf_version, architectures, filters, start_type, tests",
        "error: E303 driver.name: 'int' is a C keyword; choose another name",
        "error: E211 callouts[0].layer: unknown layer 'STREM_V4'; did you mean STREAM_V4 or STREAM_V6?",
        "error: E220 callouts[0].flags: unknown callout flag 'ALLOW_RECLASIFY'; did you mean "
        "ALLOW_RECLASSIFY?",
    ]
    assert not (tmp_path / "out").exists()


def test_unreadable_file_reports_like_new(run_cli: RunCli, tmp_path: Path) -> None:
    spec = write(tmp_path, "[driver\n")
    checked = run_cli("validate", spec)
    generated = run_cli("new", "--config", spec, "--no-input", "--output-dir", tmp_path / "out")
    assert checked.exit_code == generated.exit_code == 2
    # Each names the file as it was given: validate's argument, new's --config.
    assert checked.stderr.startswith(f"error: E103 {spec}: not valid TOML")
    assert generated.stderr == checked.stderr.replace(
        f"error: E103 {spec}", f"error: E103 --config {spec}"
    )


def test_a_missing_file_is_named_as_the_argument_not_as_an_option(
    run_cli: RunCli, tmp_path: Path
) -> None:
    missing = tmp_path / "nonexist.toml"
    checked = run_cli("validate", missing)
    assert checked.exit_code == 2
    assert (
        checked.stderr
        == f"error: E101 {missing}: cannot read the file: No such file or directory\n"
    )


def test_warnings_are_printed_and_do_not_fail(run_cli: RunCli, tmp_path: Path) -> None:
    spec = write(
        tmp_path,
        GOOD.replace(
            '"ALE_AUTH_CONNECT_V4"', '"OUTBOUND_TRANSPORT_V4"\nflags = ["ALLOW_USO"]'
        ).replace("win10-1709", "win10-2004"),
    )
    result = run_cli("validate", spec)
    assert result.exit_code == 0
    assert result.stderr.startswith(
        "warning: W407 callouts[0].flags: Microsoft documents ALLOW_USO"
    )
    assert "valid; driver Contoso" in result.stdout


def test_architectures_are_checked_against_min_os(run_cli: RunCli, tmp_path: Path) -> None:
    spec = write(tmp_path, GOOD.replace('"win10-1709"', '"win8"\narchitectures = ["x64", "ARM64"]'))
    checked = run_cli("validate", spec)
    generated = run_cli("new", "--config", spec, "--no-input", "--output-dir", tmp_path / "out")
    assert checked.exit_code == generated.exit_code == 2
    assert (
        checked.stderr
        == generated.stderr
        == (
            "error: E205 driver.architectures: ARM64 drivers need min_os win10-1709 or later "
            "(min_os is win8); drop ARM64 or raise min_os\n"
        )
    )


def test_json_output(run_cli: RunCli, tmp_path: Path) -> None:
    good = run_cli("validate", "--json", write(tmp_path, GOOD))
    assert good.exit_code == 0
    assert json.loads(good.stdout) == {
        "wfpgen": __version__,
        "command": "validate",
        "ok": True,
        "exit_code": 0,
        "file": str(tmp_path / "spec.toml"),
        "warnings": [],
        "problems": [],
        "notes": [],
    }
    bad = run_cli("validate", "--json", write(tmp_path, BAD))
    assert bad.exit_code == 2
    report = json.loads(bad.stdout)
    assert report["ok"] is False
    assert report["exit_code"] == 2
    assert report["problems"][1] == {
        "code": "E303",
        "field": "driver.name",
        "message": "'int' is a C keyword; choose another name",
    }
    assert len(bad.stderr.splitlines()) == 4  # the human lines are still on stderr


@pytest.mark.parametrize("case", sorted(p.name for p in GOLDEN.iterdir() if p.is_dir()))
def test_golden_specs_are_valid(run_cli: RunCli, case: str) -> None:
    result = run_cli("validate", GOLDEN / case / "spec.toml")
    assert result.exit_code == 0, result.stderr
