"""`wfpgen template export|context|test`, and the export as a plain cookiecutter template."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import RunCli, tree_files
from wfpgen.checks.compile_check import check_project, format_diagnostics
from wfpgen.checks.matrix import MATRIX
from wfpgen.checks.sim_build import missing_tools

SLUG = "{{cookiecutter.project_slug}}"

needs_cmake = pytest.mark.skipif(
    missing_tools() != "", reason=f"cannot build generated tests here: {missing_tools()}"
)


def export(run_cli: RunCli, target: Path) -> Path:
    result = run_cli("template", "export", target)
    assert result.exit_code == 0, result.stderr
    return target


def test_export_writes_the_builtin_template_and_refuses_a_non_empty_folder(
    run_cli: RunCli, tmp_path: Path
) -> None:
    target = export(run_cli, tmp_path / "t")
    names = {p.as_posix() for p in tree_files(target)}
    assert {"CONTEXT.md", "cookiecutter.json", f"{SLUG}/README.md"} <= names
    again = run_cli("template", "export", target)
    assert again.exit_code == 3
    assert run_cli("template", "export", target, "--force").exit_code == 0


def test_plain_cookiecutter_on_the_export_gives_a_project_that_compiles(
    run_cli: RunCli, tmp_path: Path
) -> None:
    template = export(run_cli, tmp_path / "t")
    home = tmp_path / "home"
    home.mkdir()
    env = {**os.environ, "HOME": str(home), "USERPROFILE": str(home)}
    subprocess.run(
        [sys.executable, "-m", "cookiecutter", "--no-input", str(template), "-o", str(tmp_path)],
        check=True,
        env=env,
        capture_output=True,
    )
    project = tmp_path / "WfpCallout"
    files = tree_files(project)
    # Conditional files are left out by name, so no empty or orphan source is written.
    assert all((project / f).read_bytes().strip() for f in files)
    # Every C file gets CRLF, conditional names (engine.c) included: plain cookiecutter
    # keeps the template file's line ends, which the template's .gitattributes set.
    for name in files:
        if name.suffix in (".c", ".h", ".vcxproj", ".inx", ".ps1"):
            data = (project / name).read_bytes()
            assert data.count(b"\n") == data.count(b"\r\n"), f"{name} has LF line ends"
    # tests/ holds the user-mode simulation, built by CMake, not by the .vcxproj.
    sources = [f.name for f in files if f.suffix in (".c", ".h") and "tests" not in f.parts]
    vcxproj = (project / "driver" / "WfpCallout.vcxproj").read_text()
    for name in sources:
        assert f'"{name}"' in vcxproj, f"{name} is not in the .vcxproj"
    example = json.loads((template / "cookiecutter.json").read_text())["driver"]
    kmdf = (int(example["kmdf_major"]), int(example["kmdf_minor"]))
    diagnostics = check_project(
        project, headers="stub", ntddi=example["nt_target_version"], kmdf=kmdf
    )
    assert diagnostics == [], format_diagnostics(diagnostics, project)


def test_context_prints_what_a_template_receives(run_cli: RunCli, tmp_path: Path) -> None:
    template = export(run_cli, tmp_path / "t")
    config_path = template / "cookiecutter.json"
    config = json.loads(config_path.read_text())
    config_path.write_text(json.dumps({**config, "owner": "platform"}))
    spec = tmp_path / "spec.toml"
    spec.write_text(
        '[driver]\nname = "Contoso"\n[[callouts]]\nname = "C"\nlayer = "STREAM_V4"\n'
        '[template]\nsource = "t"\n[template.variables]\nowner = "netsec"\n'
    )
    result = run_cli("template", "context", "--config", spec)
    assert result.exit_code == 0, result.stderr
    context = json.loads(result.stdout)
    assert context["driver"]["name"] == "Contoso"
    assert context["callouts"]["C"]["fwps_layer"] == "FWPS_LAYER_STREAM_V4"
    assert context["owner"] == "netsec"
    builtin = json.loads(run_cli("template", "context").stdout)
    assert sorted(builtin) == [
        "callouts",
        "channel",
        "driver",
        "project_slug",
        "provider",
        "sublayer",
        "tests",
    ]


def test_template_test_passes_for_the_builtin_template(run_cli: RunCli) -> None:
    # Every spec compiles; building every spec's tests is test_simulation's job.
    result = run_cli("template", "test", "--no-build", "--json")
    assert result.exit_code == 0, result.stdout
    report = json.loads(result.stdout)
    assert [case["case"] for case in report["cases"]] == list(MATRIX)
    assert all(case["ok"] and case["sources"] >= 5 for case in report["cases"])
    assert all([p["phase"] for p in case["phases"]] == ["compile"] for case in report["cases"])


@needs_cmake
def test_template_test_builds_and_runs_the_generated_tests(run_cli: RunCli) -> None:
    result = run_cli("template", "test", "--spec", "stream-win10", "--json")
    assert result.exit_code == 0, result.stdout
    (case,) = json.loads(result.stdout)["cases"]
    assert [(p["phase"], p["ok"], p["skipped"]) for p in case["phases"]] == [
        ("compile", True, False),
        ("build", True, False),
        ("run", True, False),
    ]


@needs_cmake
def test_template_test_fails_when_the_generated_tests_do_not_build(
    run_cli: RunCli, tmp_path: Path
) -> None:
    """A call the simulation lacks compiles against the stand-ins but does not link."""
    template = export(run_cli, tmp_path / "t")
    notify = template / SLUG / "driver" / "notify.c"
    notify.write_text(
        notify.read_text()
        + "\nvoid RemoveLeftovers(void);\nvoid RemoveLeftovers(void) { (void)FwpmCalloutDeleteById0(NULL, 7); }\n"
    )
    result = run_cli("template", "test", template, "--spec", "stream-win10")
    assert result.exit_code == 1, result.stdout
    assert "FAIL  stream-win10" in result.stdout
    assert "tests build failed:" in result.stdout and "FwpmCalloutDeleteById0" in result.stdout


@needs_cmake
def test_template_test_fails_when_the_generated_tests_fail(run_cli: RunCli, tmp_path: Path) -> None:
    template = export(run_cli, tmp_path / "t")
    user_tests = template / SLUG / "tests" / "user_tests.c"
    text = user_tests.read_text()
    assert text.count("result.classifyCount == 1") == 1
    user_tests.write_text(text.replace("result.classifyCount == 1", "result.classifyCount == 2"))
    result = run_cli("template", "test", template, "--spec", "stream-win10", "--json")
    assert result.exit_code == 1, result.stdout
    (case,) = json.loads(result.stdout)["cases"]
    run = case["phases"][-1]
    assert (run["phase"], run["ok"]) == ("run", False)
    assert "classifyCount == 2" in run["detail"]


def test_template_test_refuses_an_unknown_spec(run_cli: RunCli) -> None:
    result = run_cli("template", "test", "--spec", "stream-win99")
    assert result.exit_code == 2
    assert "stream-win99 is not a spec of the matrix" in result.stderr


def test_template_test_fails_for_a_template_with_a_c_error(run_cli: RunCli, tmp_path: Path) -> None:
    template = export(run_cli, tmp_path / "t")
    notify = template / SLUG / "driver" / "notify.c"
    notify.write_text(notify.read_text() + "\nint Broken(void) { return missing_symbol; }\n")
    result = run_cli("template", "test", template)
    assert result.exit_code == 1
    assert "FAIL  ippacket-win7" in result.stdout
    assert "driver/notify.c" in result.stdout and "missing_symbol" in result.stdout
    assert f"{len(MATRIX)} of {len(MATRIX)} specs failed" in result.stderr


def test_template_test_reports_orphan_and_missing_sources(run_cli: RunCli, tmp_path: Path) -> None:
    template = export(run_cli, tmp_path / "t")
    driver = template / SLUG / "driver"
    (driver / "extra.c").write_text("// {{ cookiecutter.driver.name }}\nint Extra;\n")
    (driver / "notify.c").rename(driver / "notification.c")
    result = run_cli("template", "test", template, "--json")
    assert result.exit_code == 1
    case = json.loads(result.stdout)["cases"][0]
    assert (
        "driver/extra.c: not listed in driver/Matrix.vcxproj (an orphan source file)"
        in (case["diagnostics"])
    )
    assert "driver/Matrix.vcxproj: lists notify.c, which was not generated" in case["diagnostics"]


def test_template_test_needs_trust_for_jinja_extensions(run_cli: RunCli, tmp_path: Path) -> None:
    template = export(run_cli, tmp_path / "t")
    config_path = template / "cookiecutter.json"
    config = json.loads(config_path.read_text())
    config["_extensions"] = ["jinja2.ext.debug"]
    config_path.write_text(json.dumps(config))
    result = run_cli("template", "test", template)
    assert result.exit_code == 4
    assert "--trust" in result.stderr


def test_context_of_a_bad_spec_is_an_error_on_stderr_only(run_cli: RunCli, tmp_path: Path) -> None:
    """As the README says: no JSON on stdout for a spec error, exit 2."""
    spec = tmp_path / "spec.toml"
    spec.write_text('[driver]\nname = "int"\n')
    result = run_cli("template", "context", "--config", spec)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.splitlines()[0] == (
        "error: E303 driver.name: 'int' is a C keyword; choose another name"
    )


def test_context_md_documents_every_variable_of_the_context() -> None:
    """Every key of the example context is named in CONTEXT.md (context version 1)."""
    root = Path(__file__).resolve().parent.parent / "templates" / "wfp-callout"
    doc = (root / "CONTEXT.md").read_text()
    named = {word for code in re.findall(r"`([^`]+)`", doc) for word in re.split(r"\W+", code)}
    context = json.loads((root / "cookiecutter.json").read_text())
    missing = []
    for key, value in context.items():
        if key.startswith("_"):
            continue
        missing += [key] if key not in named else []
        if key == "callouts":
            value = next(iter(value.values()))
        if isinstance(value, dict):
            missing += [f"{key}.{sub}" for sub in value if sub not in named]
    assert missing == []
    assert "context version 1" in doc
