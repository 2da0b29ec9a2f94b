"""Generating projects: golden files, determinism, reproducibility, and what gets written."""

import json
import os
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
from cookiecutter.main import cookiecutter

from tests.conftest import RunCli, tree_files
from tests.golden import assert_tree_matches
from wfpgen import __version__
from wfpgen.core.catalog import load_catalog
from wfpgen.core.context import build_context
from wfpgen.core.project import plan_project
from wfpgen.core.spec import apply_options
from wfpgen.lifecycle.answers import read_spec_file
from wfpgen.lifecycle.generate import generate_project
from wfpgen.templating.config import CONTEXT_VERSION, CONTRACT_KEY
from wfpgen.templating.render import template_dir

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p.name for p in GOLDEN.iterdir() if (p / "spec.toml").is_file())


def generate_case(spec_file: Path, target: Path, new_guid: Callable[[], str]) -> Path:
    raw = apply_options(read_spec_file(spec_file), from_file=True)
    plan = plan_project(raw, load_catalog(), new_guid)
    generate_project(
        plan.resolution.spec, load_catalog(), target, template=template_dir(), version=__version__
    )
    return target


@pytest.mark.parametrize("case", CASES)
def test_golden_project(
    case: str, tmp_path: Path, fixed_guids: Callable[[], str], update_golden: bool
) -> None:
    actual = generate_case(GOLDEN / case / "spec.toml", tmp_path / case, fixed_guids)
    assert_tree_matches(actual, GOLDEN / case / "expected", update=update_golden)


def test_same_spec_gives_same_bytes(tmp_path: Path, fixed_guids: Callable[[], str]) -> None:
    spec = GOLDEN / "win7-flows" / "spec.toml"
    first = generate_case(spec, tmp_path / "a", fixed_guids)
    second = generate_case(spec, tmp_path / "b", fixed_guids)
    assert_tree_matches(second, first)


def test_written_back_spec_reproduces_the_project(run_cli: RunCli, tmp_path: Path) -> None:
    first = run_cli("new", "--no-input", "-o", tmp_path / "one")
    assert first.exit_code == 0, first.output
    answers = tmp_path / "one" / "WfpCallout" / "wfpgen.toml"
    again = run_cli("new", "--no-input", "--config", answers, "-o", tmp_path / "two")
    assert again.exit_code == 0, again.output
    assert "generated GUID" not in again.stderr
    assert_tree_matches(tmp_path / "two" / "WfpCallout", tmp_path / "one" / "WfpCallout")


def test_generated_guids_are_written_back(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli(
        "new",
        "--no-input",
        "--name",
        "Probe",
        "--callout",
        "Stream:STREAM_V6:CONDITIONAL_ON_FLOW",
        "-o",
        tmp_path,
    )
    assert result.exit_code == 0, result.output
    answers = tomllib.loads((tmp_path / "Probe" / "wfpgen.toml").read_text())
    callouts = {c["name"]: c for c in answers["callouts"]}
    assert set(callouts) == {"Stream", "FlowEstablishedV6"}
    assert callouts["Stream"]["flow_context"] is True
    assert callouts["FlowEstablishedV6"]["layer"] == "ALE_FLOW_ESTABLISHED_V6"
    for guid in [answers["provider"]["guid"], answers["sublayer"]["guid"]] + [
        c["guid"] for c in callouts.values()
    ]:
        assert f"note: generated GUID {guid}" in result.stderr
    assert "note: added callout FlowEstablishedV6 at ALE_FLOW_ESTABLISHED_V6" in result.stderr


def test_options_override_the_file(run_cli: RunCli, tmp_path: Path) -> None:
    spec = tmp_path / "spec.toml"
    spec.write_text(
        '[driver]\nname = "FromFile"\nmin_os = "win10-1709"\n'
        '[[callouts]]\nname = "A"\nlayer = "ALE_AUTH_CONNECT_V4"\n'
    )
    result = run_cli(
        "new",
        "--config",
        spec,
        "--name",
        "FromFlag",
        "--min-os",
        "win11",
        "--callout",
        "B:fwpm_layer_stream_v4:allow_mid_stream_inspection",
        "-o",
        tmp_path / "out",
    )
    assert result.exit_code == 0, result.output
    answers = tomllib.loads((tmp_path / "out" / "FromFlag" / "wfpgen.toml").read_text())
    assert answers["driver"]["name"] == "FromFlag"
    assert answers["driver"]["min_os"] == "win11"
    assert [(c["name"], c["layer"], c["flags"]) for c in answers["callouts"]] == [
        ("B", "STREAM_V4", ["ALLOW_MID_STREAM_INSPECTION"])
    ]


def test_directory_argument_names_the_target(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli("new", "--no-input", "custom", "-o", tmp_path)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "custom" / "WfpCallout.sln").is_file()


def test_refuses_a_non_empty_target(run_cli: RunCli, tmp_path: Path) -> None:
    target = tmp_path / "WfpCallout"
    target.mkdir()
    (target / "README.md").write_text("mine")
    result = run_cli("new", "--no-input", "-o", tmp_path)
    assert result.exit_code == 3
    assert "exists and is not empty" in result.stderr and "--force" in result.stderr
    assert [p.name for p in target.iterdir()] == ["README.md"]
    assert (target / "README.md").read_text() == "mine"


def test_force_replaces_generated_files_and_keeps_others(run_cli: RunCli, tmp_path: Path) -> None:
    target = tmp_path / "WfpCallout"
    assert run_cli("new", "--no-input", "-o", tmp_path).exit_code == 0
    spec = tmp_path / "spec.toml"
    spec.write_bytes((target / "wfpgen.toml").read_bytes())
    (target / "notes.txt").write_text("keep me")
    result = run_cli("new", "--no-input", "--force", "-c", spec, "-n", "Renamed", target)
    assert result.exit_code == 0, result.output
    assert "Renamed" in (target / "README.md").read_text()  # generated, unedited: replaced
    assert (target / "notes.txt").read_text() == "keep me"  # the user's own: kept
    # A file of the user's own where wfpgen writes one is never replaced
    # (tests/test_transaction.py: refused with exit 3).


def test_empty_target_folder_is_used(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "WfpCallout").mkdir()
    result = run_cli("new", "--no-input", "-o", tmp_path)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "WfpCallout" / "wfpgen.toml").is_file()


def test_dry_run_lists_the_files_and_writes_nothing(run_cli: RunCli, tmp_path: Path) -> None:
    dry = run_cli("new", "--no-input", "--dry-run", "-o", tmp_path / "out")
    assert dry.exit_code == 0, dry.output
    assert not (tmp_path / "out").exists()
    real = run_cli("new", "--no-input", "-o", tmp_path / "real")
    written = [p for p in tree_files(tmp_path / "real" / "WfpCallout") if p.parts[0] != ".wfpgen"]
    assert f"Would write {len(written)} files" in dry.stdout
    for path in written:
        assert path.name in dry.stdout
    assert real.exit_code == 0


def test_a_render_failure_leaves_nothing_behind(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    template = tmp_path / "broken"
    (template / "{{cookiecutter.project_slug}}").mkdir(parents=True)
    (template / "cookiecutter.json").write_text('{"project_slug": "x"}')
    (template / "{{cookiecutter.project_slug}}" / "a.txt").write_text("fine\n")
    (template / "{{cookiecutter.project_slug}}" / "z.txt").write_text("{{ cookiecutter.nope }}\n")
    staging_root = tmp_path / "tmp"
    staging_root.mkdir()
    monkeypatch.setenv("TMPDIR", str(staging_root))
    monkeypatch.setattr("tempfile.tempdir", None)
    result = run_cli("new", "--no-input", "--template", template, "-o", tmp_path / "deep" / "out")
    assert result.exit_code == 1
    assert "error: rendering" in result.stderr and "nope" in result.stderr
    assert not (tmp_path / "deep").exists()
    assert list(staging_root.iterdir()) == []


def test_line_endings_and_encodings(run_cli: RunCli, tmp_path: Path) -> None:
    assert run_cli("new", "--no-input", "-o", tmp_path).exit_code == 0
    root = tmp_path / "WfpCallout"
    crlf = {".c", ".h", ".rc", ".sln", ".vcxproj", ".filters", ".inf", ".inx", ".ps1"}
    for path in tree_files(root):
        if path.as_posix() == ".wfpgen/base.zip":
            continue  # the base record's archive: binary
        data = (root / path).read_bytes()
        data.decode("ascii")  # every generated file is plain ASCII
        lone_lf = data.replace(b"\r\n", b"").count(b"\n")
        if path.suffix in crlf:
            assert lone_lf == 0 and b"\r\n" in data, f"{path} must use CRLF only"
        else:
            assert b"\r" not in data, f"{path} must use LF only"


def test_template_context_contract(fixed_guids: Callable[[], str], update_golden: bool) -> None:
    """cookiecutter.json is exactly the context wfpgen builds for its example spec."""
    example = json.loads((template_dir() / "cookiecutter.json").read_text())
    settings = {key: example.pop(key) for key in list(example) if key.startswith("_")}
    assert settings == {CONTRACT_KEY: CONTEXT_VERSION}
    raw = {
        "provider": {"guid": example["provider"]["guid"]},
        "sublayer": {"guid": example["sublayer"]["guid"]},
        "callouts": [
            {"name": c["name"], "layer": c["layer"], "guid": c["guid"]}
            for c in example["callouts"].values()
        ],
    }
    plan = plan_project(apply_options(raw, from_file=True), load_catalog(), fixed_guids)
    context = build_context(plan.resolution.spec, load_catalog(), version=__version__)
    if update_golden:
        written = {CONTRACT_KEY: CONTEXT_VERSION, **context}
        (template_dir() / "cookiecutter.json").write_text(json.dumps(written, indent=2) + "\n")
        return
    example["driver"]["wfpgen_version"] = __version__
    assert context == example


def test_template_stays_a_plain_cookiecutter_template(tmp_path: Path) -> None:
    # cookiecutter fixes its default folders below the home folder when it is
    # imported, whatever HOME the test set: give it folders of the test's own.
    own = {"replay_dir": str(tmp_path / "replay"), "cookiecutters_dir": str(tmp_path / "repos")}
    project = cookiecutter(
        str(template_dir()),
        no_input=True,
        output_dir=str(tmp_path / "out"),
        accept_hooks=False,
        default_config=own,
    )
    assert (Path(project) / "WfpCallout.sln").is_file()
    assert [p.name for p in (tmp_path / "replay").iterdir()] == ["wfp-callout.json"]
    assert list(Path(os.environ["HOME"]).iterdir()) == []


@pytest.mark.home_writes(".cookiecutterrc")
def test_home_directory_is_never_touched(run_cli: RunCli, tmp_path: Path) -> None:
    home = Path(os.environ["HOME"])
    (home / ".cookiecutterrc").write_text("default_context:\n  project_slug: Hijacked\n")
    result = run_cli("new", "--no-input", "-o", tmp_path)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "WfpCallout" / "WfpCallout.sln").is_file()
    assert [p.name for p in home.iterdir()] == [".cookiecutterrc"]
