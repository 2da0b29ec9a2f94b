"""Templates a team owns: exported, edited, kept in git or a zip, with variables and hooks.

Everything runs for real: the CLI in process, git repositories and zip files
made in temporary folders (no network), hooks as Python scripts.
"""

import json
import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from tests.conftest import RunCli, tree_files
from tests.jsonout import check_json_output, wants_json

GOLDEN_SPEC = Path(__file__).parent / "golden" / "win10-1709-mixed" / "spec.toml"
SLUG = "{{cookiecutter.project_slug}}"


@pytest.fixture
def builtin_project(run_cli: RunCli, tmp_path: Path) -> Path:
    """The golden spec rendered with the built-in template."""
    result = run_cli("new", "--config", GOLDEN_SPEC, "-o", tmp_path / "builtin")
    assert result.exit_code == 0, result.stderr
    return tmp_path / "builtin" / "AdventureWorks"


@pytest.fixture
def exported(run_cli: RunCli, tmp_path: Path) -> Path:
    target = tmp_path / "team-template"
    result = run_cli("template", "export", target)
    assert result.exit_code == 0, result.stderr
    return target


@pytest.fixture
def git_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in ("GIT_AUTHOR", "GIT_COMMITTER"):
        monkeypatch.setenv(f"{key}_NAME", "Template Team")
        monkeypatch.setenv(f"{key}_EMAIL", "team@example.com")
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "init.defaultBranch=main", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def assert_same_project(actual: Path, expected: Path, *, answers_too: bool = False) -> None:
    """Same files, same bytes; wfpgen.toml may differ only by its [template] table."""
    assert tree_files(actual) == tree_files(expected)
    for path in tree_files(expected):
        # the base record (.wfpgen/) holds wfpgen.toml: it differs where that does
        if (path.name == "wfpgen.toml" or path.parts[0] == ".wfpgen") and not answers_too:
            continue
        assert (actual / path).read_bytes() == (expected / path).read_bytes(), path
    if not answers_too:
        mine = tomllib.loads((actual / "wfpgen.toml").read_text())
        theirs = tomllib.loads((expected / "wfpgen.toml").read_text())
        mine.pop("template", None)
        assert mine == theirs


def recorded(project: Path) -> dict[str, object]:
    answers = tomllib.loads((project / "wfpgen.toml").read_text())
    return answers.get("template", {})


def add_team_changes(template: Path) -> None:
    """A header on every .c (a conditional one too), a CODEOWNERS file, two variables."""
    config_path = template / "cookiecutter.json"
    config = json.loads(config_path.read_text())
    config["owner"] = "platform-team"
    config["ticket_prefix"] = "NET"
    config["__prompts__"] = {"owner": "Team that owns the driver"}
    config_path.write_text(json.dumps(config, indent=2))
    project = template / SLUG
    # flow.c is conditional: its name renders empty without flow contexts.
    sources = [
        p for p in (project / "driver").iterdir() if p.name.endswith((".c", ".c{% endif %}"))
    ]
    assert len(sources) >= 7
    for source in sorted(sources):
        text = source.read_bytes()
        source.write_bytes(b"// Copyright Acme. Owner: {{ cookiecutter.owner }}\r\n" + text)
    (project / "CODEOWNERS").write_text("* @acme/{{ cookiecutter.owner }}\n")


def test_export_then_render_gives_the_builtin_project_byte_for_byte(
    run_cli: RunCli, tmp_path: Path, exported: Path, builtin_project: Path
) -> None:
    assert (exported / "CONTEXT.md").is_file()
    config = json.loads((exported / "cookiecutter.json").read_text())
    assert config["_wfpgen_context"] == 1
    answers = builtin_project / "wfpgen.toml"
    result = run_cli("new", "--config", answers, "--template", exported, "-o", tmp_path / "o")
    assert result.exit_code == 0, result.stderr
    project = tmp_path / "o" / "AdventureWorks"
    assert_same_project(project, builtin_project)
    assert recorded(project) == {"source": "../../team-template"}
    # The built-in template records nothing.
    assert recorded(builtin_project) == {}


def test_a_modified_export_renders_the_team_changes(
    run_cli: RunCli, tmp_path: Path, exported: Path, builtin_project: Path
) -> None:
    add_team_changes(exported)
    spec = tmp_path / "spec.toml"
    spec.write_text(
        (builtin_project / "wfpgen.toml").read_text()
        + '\n[template]\nsource = "team-template"\n[template.variables]\nowner = "netsec"\n'
    )
    result = run_cli("new", "--config", spec, "--set", "ticket_prefix=SEC", "-o", tmp_path / "o")
    assert result.exit_code == 0, result.stderr
    project = tmp_path / "o" / "AdventureWorks"
    assert (project / "CODEOWNERS").read_text() == "* @acme/netsec\n"
    for source in (project / "driver").glob("*.c"):
        assert source.read_bytes().startswith(b"// Copyright Acme. Owner: netsec\r\n//\r\n"), source
        builtin = (builtin_project / "driver" / source.name).read_bytes()
        assert source.read_bytes().endswith(builtin)
    assert recorded(project) == {
        "source": "../../team-template",
        "variables": {"owner": "netsec", "ticket_prefix": "SEC"},
    }
    # Regenerating from the answers file uses the same template and values.
    again = run_cli("new", "--config", project / "wfpgen.toml", "-o", tmp_path / "again")
    assert again.exit_code == 0, again.stderr
    assert_same_project(tmp_path / "again" / "AdventureWorks", project, answers_too=True)


def test_a_header_comment_keeps_a_conditional_file_out(
    run_cli: RunCli, tmp_path: Path, exported: Path
) -> None:
    add_team_changes(exported)
    result = run_cli("new", "--no-input", "--template", exported, "-o", tmp_path)
    assert result.exit_code == 0, result.stderr
    driver = tmp_path / "WfpCallout" / "driver"
    assert not (driver / "flow.c").exists()
    assert not (driver / "flow.h").exists()
    assert b"flow.c" not in (driver / "WfpCallout.vcxproj").read_bytes()


def test_an_undeclared_variable_is_refused_with_a_suggestion(
    run_cli: RunCli, tmp_path: Path, exported: Path
) -> None:
    add_team_changes(exported)
    result = run_cli(
        "new", "--no-input", "--template", exported, "--set", "ownr=x", "-o", tmp_path / "o"
    )
    assert result.exit_code == 2
    assert (
        "error: E140 --set ownr: the template declares no such variable; did you mean 'owner'?"
        in (result.stderr)
    )
    assert not (tmp_path / "o").exists()
    builtin = run_cli("new", "--no-input", "--set", "owner=x", "-o", tmp_path / "o")
    assert builtin.exit_code == 2
    assert "declares no variables of its own" in builtin.stderr


def test_a_bad_variable_value_is_refused(run_cli: RunCli, tmp_path: Path, exported: Path) -> None:
    config_path = exported / "cookiecutter.json"
    config = json.loads(config_path.read_text())
    config["signing"] = ["test", "release"]
    config_path.write_text(json.dumps(config))
    result = run_cli(
        "new", "--no-input", "--template", exported, "--set", "signing=prod", "-o", tmp_path / "o"
    )
    assert result.exit_code == 2
    assert "--set signing: expected one of test, release" in result.stderr


@pytest.mark.usefixtures("git_env")
def test_git_source_at_a_tag_then_the_recorded_commit_reproduces_the_project(
    run_cli: RunCli, tmp_path: Path, exported: Path
) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(exported, repo / "template")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "v1")
    git(repo, "tag", "v1")
    first_commit = git(repo, "rev-parse", "HEAD")
    readme = repo / "template" / SLUG / "README.md"
    readme.write_text("# changed after v1\n")
    git(repo, "commit", "-q", "-am", "v2")
    url = f"file://{repo}"

    result = run_cli(
        "new",
        "--config",
        GOLDEN_SPEC,
        "--template",
        url,
        "--checkout",
        "v1",
        "--directory",
        "template",
        "-o",
        tmp_path / "o",
    )
    assert result.exit_code == 0, result.stderr
    project = tmp_path / "o" / "AdventureWorks"
    assert "changed after v1" not in (project / "README.md").read_text()
    assert recorded(project) == {
        "source": url,
        "checkout": "v1",
        "commit": first_commit,
        "directory": "template",
    }
    # Someone moves the tag: the recorded commit still gives the same project.
    git(repo, "tag", "-f", "v1", "HEAD")
    again = run_cli("new", "--config", project / "wfpgen.toml", "-o", tmp_path / "again")
    assert again.exit_code == 0, again.stderr
    assert_same_project(tmp_path / "again" / "AdventureWorks", project, answers_too=True)
    # --checkout overrides the recorded commit.
    newest = run_cli(
        "new", "--config", project / "wfpgen.toml", "--checkout", "main", "-o", tmp_path / "new"
    )
    assert newest.exit_code == 0, newest.stderr
    assert "changed after v1" in (tmp_path / "new" / "AdventureWorks" / "README.md").read_text()
    # Clones go to wfpgen's cache folder and are removed after use.
    cache = Path(os.environ["WFPGEN_CACHE_DIR"])
    assert list((cache / "sources").iterdir()) == []


@pytest.mark.usefixtures("git_env")
def test_an_unknown_git_ref_is_a_one_line_error(
    run_cli: RunCli, tmp_path: Path, exported: Path
) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(exported, repo)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "v1")
    result = run_cli(
        "new", "--no-input", "--template", f"git+file://{repo}", "--checkout", "v9",
        "-o", tmp_path / "o",
    )  # fmt: skip
    assert result.exit_code == 1
    assert "error: template git+file://" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "o").exists()


def test_zip_source(run_cli: RunCli, tmp_path: Path, exported: Path, builtin_project: Path) -> None:
    archive = shutil.make_archive(str(tmp_path / "team"), "zip", tmp_path, exported.name)
    answers = builtin_project / "wfpgen.toml"
    result = run_cli("new", "--config", answers, "--template", archive, "-o", tmp_path / "o")
    assert result.exit_code == 0, result.stderr
    project = tmp_path / "o" / "AdventureWorks"
    assert_same_project(project, builtin_project)
    assert recorded(project) == {"source": "../../team.zip"}


def test_a_ref_for_a_folder_is_bad_input(run_cli: RunCli, tmp_path: Path, exported: Path) -> None:
    result = run_cli(
        "new", "--no-input", "--template", exported, "--checkout", "v1", "-o", tmp_path / "o"
    )
    assert result.exit_code == 2
    assert "only git sources have refs" in result.stderr


def add_hook(template: Path, name: str, body: str) -> None:
    hooks = template / "hooks"
    hooks.mkdir(exist_ok=True)
    (hooks / name).write_text(body)


def test_hooks_are_refused_without_trust_and_run_with_it(
    run_cli: RunCli, tmp_path: Path, exported: Path
) -> None:
    add_hook(
        exported,
        "post_gen_project.py",
        "from pathlib import Path\n"
        "Path('HOOKED.txt').write_text('{{ cookiecutter.driver.name }}')\n",
    )
    refused = run_cli("new", "--no-input", "--template", exported, "-o", tmp_path / "o")
    assert refused.exit_code == 4
    assert "hooks/post_gen_project.py" in refused.stderr and "--trust" in refused.stderr
    assert not (tmp_path / "o").exists()
    as_json = run_cli("new", "--no-input", "--template", exported, "--json", "-o", tmp_path / "o")
    assert as_json.exit_code == 4
    assert json.loads(as_json.stdout)["exit_code"] == 4

    dry = run_cli("new", "--no-input", "--template", exported, "--dry-run", "-o", tmp_path / "o")
    assert dry.exit_code == 0, dry.stderr
    assert "HOOKED.txt" not in dry.stdout
    assert "hooks do not run in a dry run" in dry.stderr
    assert not (tmp_path / "o").exists()

    trusted = run_cli("new", "--no-input", "--template", exported, "--trust", "-o", tmp_path / "o")
    assert trusted.exit_code == 0, trusted.stderr
    assert (tmp_path / "o" / "WfpCallout" / "HOOKED.txt").read_text() == "WfpCallout"


@pytest.mark.parametrize("hook", ["pre_gen_project.py", "post_gen_project.py"])
def test_a_failing_trusted_hook_leaves_nothing(
    run_cli: RunCli, tmp_path: Path, exported: Path, hook: str
) -> None:
    add_hook(
        exported,
        hook,
        "import sys\nfrom pathlib import Path\nPath('partial.txt').write_text('x')\nsys.exit(3)\n",
    )
    output = tmp_path / "o"
    result = run_cli("new", "--no-input", "--template", exported, "--trust", "-o", output)
    assert result.exit_code == 1
    assert f"hooks/{hook} failed" in result.stderr
    assert not output.exists()


def wfpgen_process(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """wfpgen as a real process: a hook's output goes to file descriptors, not sys.stdout."""
    done = subprocess.run(
        [sys.executable, "-m", "wfpgen", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    if wants_json(args):
        check_json_output(done.stdout, done.returncode)
    return done


@pytest.mark.parametrize("hook", ["pre_gen_project.py", "post_gen_project.py"])
def test_a_hooks_output_goes_to_stderr_so_json_stays_json(
    tmp_path: Path, exported: Path, hook: str
) -> None:
    add_hook(
        exported,
        hook,
        "import sys\nprint('hook says hello')\nprint('hook warns', file=sys.stderr)\n",
    )
    result = wfpgen_process(
        "new", "--no-input", "--template", exported, "--trust", "--json", "-o", "x", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["ok"] is True
    assert "hook says hello" in result.stderr and "hook warns" in result.stderr


def test_a_failing_hooks_output_and_a_hint_are_on_stderr_and_in_json(
    tmp_path: Path, exported: Path
) -> None:
    add_hook(exported, "pre_gen_project.py", "import sys\nprint('no compiler')\nsys.exit(7)\n")
    result = wfpgen_process(
        "new", "--no-input", "--template", exported, "--trust", "--json", "-o", "x", cwd=tmp_path
    )
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["error"] == (
        "the template's hook hooks/pre_gen_project.py failed with exit status 7; nothing was written"
    )
    assert "fix the hook" in report["hint"]
    assert result.stderr.splitlines()[0] == "no compiler"
    assert not (tmp_path / "x").exists()


def test_a_run_that_writes_nothing_prints_no_notes_about_what_it_generated(
    run_cli: RunCli, tmp_path: Path, exported: Path
) -> None:
    """Notes say what the written project holds: a failed run has no project."""
    occupied = tmp_path / "occupied"
    (occupied / "WfpCallout").mkdir(parents=True)
    (occupied / "WfpCallout" / "keep.txt").write_text("x")
    exists = run_cli("new", "--no-input", "-o", occupied)
    add_hook(exported, "pre_gen_project.py", "import sys\nsys.exit(7)\n")
    untrusted = run_cli("new", "--no-input", "--template", exported, "-o", tmp_path / "u")
    failed = run_cli("new", "--no-input", "--template", exported, "--trust", "-o", tmp_path / "f")
    assert [r.exit_code for r in (exists, untrusted, failed)] == [3, 4, 1]
    for result in (exists, untrusted, failed):
        assert "note:" not in result.stderr, result.stderr
        assert result.stderr.startswith("error: ")
    written = run_cli("new", "--no-input", "-o", tmp_path / "w")
    assert written.exit_code == 0
    assert "note: generated GUID" in written.stderr


def test_a_template_for_a_newer_context_is_refused(
    run_cli: RunCli, tmp_path: Path, exported: Path
) -> None:
    config_path = exported / "cookiecutter.json"
    config = json.loads(config_path.read_text())
    config["_wfpgen_context"] = 2
    config_path.write_text(json.dumps(config))
    result = run_cli("new", "--no-input", "--template", exported, "-o", tmp_path / "o")
    assert result.exit_code == 1
    assert "written for wfpgen context version 2" in result.stderr
    assert "this wfpgen provides version 1" in result.stderr
    assert not (tmp_path / "o").exists()


def test_template_errors_name_the_file_and_line(
    run_cli: RunCli, tmp_path: Path, exported: Path
) -> None:
    driver_c = exported / SLUG / "driver" / "driver.c"
    driver_c.write_text("// header\n{{ cookiecutter.acme_owner }}\n")
    undefined = run_cli("new", "--no-input", "--template", exported, "-o", tmp_path / "o")
    assert undefined.exit_code == 1
    assert "driver/driver.c, line 2" in undefined.stderr
    assert "acme_owner" in undefined.stderr
    driver_c.write_text("// header\n\n{% if %}\n")
    syntax = run_cli("new", "--no-input", "--template", exported, "-o", tmp_path / "o")
    assert syntax.exit_code == 1
    assert "driver/driver.c, line 3" in syntax.stderr
    assert not (tmp_path / "o").exists()


def test_a_missing_source_is_a_one_line_error(run_cli: RunCli, tmp_path: Path) -> None:
    for source in ("no-such-folder", "no-such.zip", f"file://{tmp_path}/no-such-repo"):
        result = run_cli("new", "--no-input", "--template", source, "-o", tmp_path / "o")
        assert result.exit_code == 1, source
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"error: template {source}"), lines
    assert not (tmp_path / "o").exists()


def one_error(run_cli: RunCli, tmp_path: Path, *args: str | Path) -> str:
    """The one stderr line of a failed ``new`` that wrote nothing."""
    result = run_cli("new", "--no-input", *args, "-o", tmp_path / "o")
    assert result.exit_code == 1, result.stderr
    assert not (tmp_path / "o").exists()
    (line,) = result.stderr.splitlines()
    return line


def test_a_folder_that_is_not_a_repository_names_gits_reason(
    run_cli: RunCli, tmp_path: Path
) -> None:
    source = f"file://{tmp_path}/nosuch"
    assert one_error(run_cli, tmp_path, "--template", source) == (
        f"error: template {source}: git cannot clone it: '{tmp_path}/nosuch' does not appear "
        "to be a git repository; check the URL: it must name a git repository you can read"
    )


@pytest.mark.usefixtures("git_env")
def test_an_unknown_checkout_names_the_ref(run_cli: RunCli, tmp_path: Path, exported: Path) -> None:
    git(exported, "init", "-q")
    git(exported, "add", "-A")
    git(exported, "commit", "-q", "-m", "v1")
    source = f"file://{exported}"
    assert one_error(run_cli, tmp_path, "--template", source, "--checkout", "v9") == (
        f"error: template {source}: no branch, tag or commit named 'v9'; "
        "check --checkout: `git ls-remote SOURCE` lists the branches and tags"
    )


def test_zip_archives_that_are_no_template_say_why(
    run_cli: RunCli, tmp_path: Path, exported: Path
) -> None:
    flat = tmp_path / "flat.zip"
    with zipfile.ZipFile(flat, "w") as archive:  # the folder's contents, not the folder
        for path in tree_files(exported):
            archive.write(exported / path, path.as_posix())
    assert one_error(run_cli, tmp_path, "--template", flat) == (
        f"error: template {flat}: the zip archive has no top-level folder; zip the template's "
        "folder itself, so the archive holds one folder with cookiecutter.json inside"
    )
    not_zip = tmp_path / "not.zip"
    not_zip.write_text("not a zip")
    assert one_error(run_cli, tmp_path, "--template", not_zip) == (
        f"error: template {not_zip}: not a zip archive; give a .zip archive of the template's folder"
    )


@pytest.mark.home_writes(".cache")
@pytest.mark.usefixtures("git_env")
def test_fetching_uses_wfpgen_s_cache_and_never_cookiecutter_s_folders(
    run_cli: RunCli, tmp_path: Path, exported: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(exported, repo)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "v1")
    archive = shutil.make_archive(str(tmp_path / "team"), "zip", tmp_path, exported.name)
    monkeypatch.delenv("WFPGEN_CACHE_DIR")
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    home = Path(os.environ["HOME"])
    for source in (f"file://{repo}", archive):
        output = tmp_path / Path(source).stem
        result = run_cli("new", "--no-input", "--template", source, "-o", output)
        assert result.exit_code == 0, result.stderr
    assert [p.name for p in home.iterdir()] == [".cache"]
    assert [p.name for p in (home / ".cache").iterdir()] == ["wfpgen"]
    assert list((home / ".cache" / "wfpgen" / "sources").iterdir()) == []
