"""wfpgen update, add/remove callout, check, diff and new --force, on real git repositories.

Every test generates a real project into a real git work tree, commits it,
edits it as a developer would, and runs the real command line. Template
changes are simulated with a copy of the built-in template (``--template``).
"""

import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pexpect
import pytest

from tests.conftest import RunCli
from tests.test_cli_catalog import _probe
from tests.test_compile import assert_compiles
from tests.test_transaction import FailingRename, disk_full, leftovers, snapshot
from wfpgen import __version__
from wfpgen.templating.render import template_dir

REAL_HEADERS = os.environ.get("WFPGEN_WDK_HEADERS")
HEADERS: list[str | Path] = ["stub", *([Path(REAL_HEADERS)] if REAL_HEADERS else [])]
CALLOUTS = ("Conn:ALE_AUTH_CONNECT_V4", "Stream:STREAM_V4:CONDITIONAL_ON_FLOW")
USER_LOGIC = (
    b"    if (values->RemotePort != NULL && *values->RemotePort == 23) {\r\n"
    b"        verdict = FWP_ACTION_BLOCK; // no telnet\r\n"
    b"    }\r\n\r\n"
)


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=Dev", "-c", "user.email=dev@example.com", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def commit_all(repo: Path, message: str = "work") -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    return root


def generate(run_cli: RunCli, repo: Path, *extra: str) -> Path:
    project = repo / "Drv"
    args = [a for c in CALLOUTS for a in ("--callout", c)]
    result = run_cli("new", "--no-input", "--name", "Drv", *args, *extra, project)
    assert result.exit_code == 0, result.output
    commit_all(repo, "generated")
    return project


def add_user_logic(project: Path) -> None:
    """Block telnet in Conn's classifyFn, right after the TODO comment block."""
    path = project / "driver" / "classify.c"
    data = path.read_bytes()
    todo = data.index(b"TODO: Your filtering logic for Conn (")
    end = data.index(b"    //\r\n\r\n", todo) + len(b"    //\r\n\r\n")
    path.write_bytes(data[:end] + USER_LOGIC + data[end:])


def spec(project: Path) -> dict[str, object]:
    return tomllib.loads((project / "wfpgen.toml").read_text(encoding="utf-8"))


def guids(project: Path) -> dict[str, str]:
    raw = spec(project)
    found = {"provider": raw["provider"]["guid"], "sublayer": raw["sublayer"]["guid"]}  # type: ignore[index]
    return found | {c["name"]: c["guid"] for c in raw["callouts"]}  # type: ignore[attr-defined]


def team_template(tmp_path: Path) -> Path:
    """A team's copy of the built-in template, to change like a new template commit."""
    copy = tmp_path / "team-template"
    shutil.copytree(template_dir(), copy)
    return copy


def edit_template(template: Path, name: str, old: str, new: str) -> None:
    (path,) = template.glob(f"*/{name}")
    text = path.read_text()
    assert old in text, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new, 1))


def test_add_callout_keeps_the_edit_registers_the_callout_and_compiles(
    run_cli: RunCli, repo: Path
) -> None:
    project = generate(run_cli, repo)
    add_user_logic(project)
    commit_all(repo, "block telnet")
    before = guids(project)

    result = run_cli("add", "callout", "Listen:ALE_AUTH_LISTEN_V4", "--project", project)

    assert result.exit_code == 0, result.output
    assert "merged      driver/classify.c" in result.stdout
    classify = (project / "driver" / "classify.c").read_bytes()
    assert USER_LOGIC in classify
    assert b"ListenClassify(" in classify
    callouts = (project / "driver" / "callouts.c").read_text()
    assert "ListenClassify" in callouts
    after = guids(project)
    assert {k: after[k] for k in before} == before  # GUIDs never change
    assert "Listen" in after
    assert (
        f"Listen at ALE_AUTH_LISTEN_V4: {after['Listen']}"
        in (project / "driver" / "guids.h").read_text()
    )
    for headers in HEADERS:
        assert_compiles(project, headers)
    # the new base is recorded: nothing left to update, and only the user's edit differs
    assert run_cli("check", project).exit_code == 0
    assert run_cli("diff", project).stdout.count("+++ b/") == 1


def test_same_lines_changed_by_user_and_template_conflict_with_markers(
    run_cli: RunCli, repo: Path, tmp_path: Path
) -> None:
    template = team_template(tmp_path)
    project = generate(run_cli, repo, "--template", str(template))
    banner = "// use spin locks only, never wait, and call no Fwpm* function."
    classify = project / "driver" / "classify.c"
    classify.write_bytes(
        classify.read_bytes().replace(banner.encode(), b"// Contoso: no locks at all here.")
    )
    commit_all(repo)
    edit_template(template, "driver/classify.c", banner, "// use spin locks only; never block.")
    edit_template(template, "driver/driver.h", "#pragma once", "#pragma once // team v2")

    result = run_cli("update", project, "--json")

    assert result.exit_code == 5, result.output
    report = json.loads(result.stdout)
    assert report["conflicts"] == ["driver/classify.c"]
    assert report["exit_code"] == 5 and report["ok"] is False
    assert report["error"] == "the update left conflicts in 1 file"
    actions = {f["path"]: f["action"] for f in report["files"]}
    assert actions["driver/driver.h"] == "updated"
    assert "conflict: driver/classify.c: you and the new render changed the same lines" in (
        result.stderr
    )
    text = classify.read_bytes()
    # diff3 markers: yours, the base, then the new render.
    assert (
        b"<<<<<<< yours\r\n// Contoso: no locks at all here.\r\n"
        b"||||||| generated before\r\n" + banner.encode() + b"\r\n=======\r\n"
    ) in text
    assert b"// use spin locks only; never block.\r\n>>>>>>> generated now\r\n" in text
    assert b"\n" not in text.replace(b"\r\n", b"")  # CRLF kept, markers included
    assert "#pragma once // team v2" in (project / "driver" / "driver.h").read_text()

    # git sees the conflict as after git merge: three unmerged stages.
    stages = git(repo, "ls-files", "-u", "--", "Drv/driver/classify.c").splitlines()
    assert [line.split()[2] for line in stages] == ["1", "2", "3"]
    # Markers left in a generated file are refused by check and update.
    refused = run_cli("check", project)
    assert refused.exit_code == 5
    assert "driver/classify.c still holds conflict markers" in refused.stderr
    assert run_cli("update", project, "--force").exit_code == 5

    # Resolve the git way: take the new render, add, commit.
    git(repo, "checkout", "--theirs", "--", "Drv/driver/classify.c")
    assert b"// use spin locks only; never block." in classify.read_bytes()
    git(repo, "add", "Drv/driver/classify.c")
    commit_all(repo, "resolved")
    assert run_cli("check", project).exit_code == 0  # the new base was recorded


def test_update_across_a_template_change_merges(
    run_cli: RunCli, repo: Path, tmp_path: Path
) -> None:
    template = team_template(tmp_path)
    project = generate(run_cli, repo, "--template", str(template))
    add_user_logic(project)
    commit_all(repo)
    old = "// Everything here runs at up to DISPATCH_LEVEL"
    edit_template(template, "driver/classify.c", old, "// Team rule: review every verdict.\n" + old)
    assert run_cli("check", project).exit_code == 6

    result = run_cli("update", project)

    assert result.exit_code == 0, result.output
    assert "merged      driver/classify.c" in result.stdout
    text = (project / "driver" / "classify.c").read_bytes()
    assert USER_LOGIC in text and b"// Team rule: review every verdict.\r\n" in text
    assert b"<<<<<<<" not in text
    assert_compiles(project, "stub")
    assert run_cli("check", project).exit_code == 0


def test_removing_the_flow_callout_deletes_unedited_flow_files(run_cli: RunCli, repo: Path) -> None:
    project = generate(run_cli, repo)
    add_user_logic(project)
    commit_all(repo)
    assert (project / "driver" / "flow.c").is_file()

    result = run_cli("remove", "callout", "Stream", "--project", project)

    assert result.exit_code == 0, result.output
    assert "removed callout FlowEstablishedV4" in result.stderr
    assert [c["name"] for c in spec(project)["callouts"]] == ["Conn"]  # type: ignore[union-attr]
    assert not (project / "driver" / "flow.c").exists()
    assert not (project / "driver" / "flow.h").exists()
    assert "flow.c" not in (project / "driver" / "Drv.vcxproj").read_text()
    assert USER_LOGIC in (project / "driver" / "classify.c").read_bytes()
    assert_compiles(project, "stub")


def test_removing_the_flow_callout_keeps_an_edited_flow_file_as_a_conflict(
    run_cli: RunCli, repo: Path
) -> None:
    project = generate(run_cli, repo)
    flow = project / "driver" / "flow.c"
    flow.write_bytes(flow.read_bytes() + b"// my flow statistics\r\n")
    commit_all(repo)
    edited = flow.read_bytes()

    result = run_cli("remove", "callout", "Stream", "--project", project)

    assert result.exit_code == 5, result.output
    assert "conflict: driver/flow.c: you edited it and wfpgen no longer generates it" in (
        result.stderr
    )
    assert flow.read_bytes() == edited
    assert not (project / "driver" / "flow.h").exists()
    assert "flow.c" not in (project / "driver" / "Drv.vcxproj").read_text()


def test_uncommitted_changes_are_refused_unless_forced(run_cli: RunCli, repo: Path) -> None:
    project = generate(run_cli, repo)
    add_user_logic(project)  # not committed
    before = snapshot(repo)

    refused = run_cli("add", "callout", "Listen:ALE_AUTH_LISTEN_V4", "-p", project)

    assert refused.exit_code == 3
    assert "uncommitted changes" in refused.stderr and "driver/classify.c" in refused.stderr
    assert snapshot(repo) == before
    forced = run_cli("add", "callout", "Listen:ALE_AUTH_LISTEN_V4", "-p", project, "--force")
    assert forced.exit_code == 0, forced.output
    assert USER_LOGIC in (project / "driver" / "classify.c").read_bytes()


def test_dry_run_prints_the_plan_and_a_diff_and_writes_nothing(run_cli: RunCli, repo: Path) -> None:
    project = generate(run_cli, repo)
    add_user_logic(project)
    commit_all(repo)
    before = snapshot(repo)

    result = run_cli("add", "callout", "Listen:ALE_AUTH_LISTEN_V4", "-p", project, "--dry-run")

    assert result.exit_code == 0, result.output
    assert snapshot(repo) == before
    assert "merged      driver/classify.c" in result.stdout
    assert "updated     wfpgen.toml" in result.stdout
    assert "+++ b/driver/callouts.c" in result.stdout
    assert "+    if (values->RemotePort" not in result.stdout  # the user's edit is not a change
    assert "nothing was written" in result.stderr
    assert leftovers(repo) == []


@pytest.mark.parametrize("fraction", [0.0, 0.3, 0.6, 0.99])
def test_a_failure_half_way_leaves_the_tree_byte_identical(
    run_cli: RunCli, repo: Path, monkeypatch: pytest.MonkeyPatch, fraction: float
) -> None:
    project = generate(run_cli, repo)
    add_user_logic(project)
    commit_all(repo)
    before = snapshot(repo)
    probe = repo.parent / "probe"
    shutil.copytree(repo, probe)
    counter = FailingRename(0, lambda: None)
    monkeypatch.setattr(Path, "rename", counter.rename)
    add = ("add", "callout", "Listen:ALE_AUTH_LISTEN_V4")
    assert run_cli(*add, "-p", probe / "Drv").exit_code == 0
    steps = counter.calls
    assert steps > 10

    failing = FailingRename(1 + int(fraction * (steps - 1)), disk_full)
    monkeypatch.setattr(Path, "rename", failing.rename)
    result = run_cli(*add, "-p", project)

    assert result.exit_code == 1, result.output
    assert "No space left on device" in result.stderr
    assert snapshot(repo) == before
    assert leftovers(repo) == []


def test_check_exits_6_with_the_reason_when_an_update_would_change_something(
    run_cli: RunCli, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = generate(run_cli, repo)
    add_user_logic(project)  # the user's edits are not drift
    assert run_cli("check", project).exit_code == 0

    answers = project / "wfpgen.toml"
    answers.write_text(answers.read_text().replace('version = "1.0.0.0"', 'version = "1.2.0.0"'))
    result = run_cli("check", project, "--json")
    assert result.exit_code == 6
    report = json.loads(result.stdout)
    assert report["ok"] is True and report["exit_code"] == 6  # drift is an answer, not a failure
    assert report["up_to_date"] is False
    assert report["reasons"] == ["wfpgen.toml was edited and the edit is not applied yet"]
    assert "driver/Drv.rc" in report["changed"]

    answers.write_text(answers.read_text() + "# a comment changes nothing\n")
    answers.write_text(answers.read_text().replace('version = "1.2.0.0"', 'version = "1.0.0.0"'))
    assert run_cli("check", project).exit_code == 0

    monkeypatch.setattr("wfpgen.cli.update.__version__", "9.9.9")
    newer = run_cli("check", project)
    assert newer.exit_code == 6
    assert f"reason: generated by wfpgen {__version__}; this is wfpgen 9.9.9" in newer.stdout


def test_diff_shows_the_users_edits_and_exit_code_says_whether_there_are_any(
    run_cli: RunCli, repo: Path
) -> None:
    project = generate(run_cli, repo)
    clean = run_cli("diff", project, "--exit-code")
    assert clean.exit_code == 0 and clean.stdout == ""
    readme = project / "README.md"
    readme.write_bytes(readme.read_bytes().replace(b"\n", b"\r\n"))  # a Windows checkout
    assert run_cli("diff", project, "--exit-code").exit_code == 0
    add_user_logic(project)
    (project / "scripts" / "uninstall.ps1").unlink()

    result = run_cli("diff", project, "--exit-code")

    assert result.exit_code == 6
    assert "--- a/driver/classify.c\n+++ b/driver/classify.c\n" in result.stdout
    assert "+    if (values->RemotePort != NULL && *values->RemotePort == 23) {" in result.stdout
    assert "--- a/scripts/uninstall.ps1\n+++ /dev/null\n" in result.stdout
    assert "README.md" not in result.stdout


def test_new_force_refuses_a_project_with_edited_generated_files(
    run_cli: RunCli, repo: Path
) -> None:
    project = generate(run_cli, repo)
    callouts = [a for c in CALLOUTS for a in ("--callout", c)]
    args = ("new", "--no-input", "--name", "Drv", *callouts, "--force", project)
    assert run_cli(*args).exit_code == 0  # nothing edited: --force still writes
    commit_all(repo, "regenerated")
    add_user_logic(project)
    before = snapshot(repo)

    result = run_cli(*args)

    assert result.exit_code == 3
    assert "generated files were edited since they were generated: driver/classify.c" in (
        result.stderr
    )
    assert f"run `wfpgen update {project}`" in result.stderr
    assert snapshot(repo) == before


def test_update_with_nothing_to_do_writes_nothing(run_cli: RunCli, repo: Path) -> None:
    project = generate(run_cli, repo)
    before = snapshot(repo)
    result = run_cli("update", project)
    assert result.exit_code == 0, result.output
    assert "already up to date" in result.stderr
    assert snapshot(repo) == before


def test_a_newer_wfpgen_updates_the_record_and_keeps_guids(
    run_cli: RunCli, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = generate(run_cli, repo)
    add_user_logic(project)
    commit_all(repo)
    before = guids(project)
    monkeypatch.setattr("wfpgen.cli.update.__version__", "9.9.9")

    result = run_cli("update", project)

    assert result.exit_code == 0, result.output
    assert spec(project)["wfpgen"] == {"version": "9.9.9"}
    assert 'wfpgen_version = "9.9.9"' in (project / ".wfpgen" / "base.toml").read_text()
    assert guids(project) == before
    assert run_cli("check", project).exit_code == 0


def test_a_damaged_base_record_is_reported_not_merged(run_cli: RunCli, repo: Path) -> None:
    project = generate(run_cli, repo)
    manifest = project / ".wfpgen" / "base.toml"
    text = manifest.read_text()
    manifest.write_text(text.replace('"README.md" = "sha256:', '"README.md" = "sha256:0', 1))
    commit_all(repo)
    before = snapshot(repo)
    result = run_cli("update", project)
    assert result.exit_code == 1
    assert "README.md does not match its hash" in result.stderr
    assert snapshot(repo) == before


def test_a_bad_callout_is_refused_with_the_new_checks_and_nothing_written(
    run_cli: RunCli, repo: Path
) -> None:
    project = generate(run_cli, repo)
    before = snapshot(repo)
    result = run_cli("add", "callout", "Conn:ALE_AUTH_LISTEN_V4", "-p", project)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: E312 callouts[")
    unknown = run_cli("remove", "callout", "Nope", "-p", project)
    assert unknown.exit_code == 2
    assert "no callout named 'Nope'; the callouts are: Conn, Stream, FlowEstablishedV4" in (
        unknown.stderr
    )
    assert snapshot(repo) == before


def test_adding_a_flow_callout_adds_the_flow_files_and_its_establisher(
    run_cli: RunCli, repo: Path
) -> None:
    project = repo / "Plain"
    assert run_cli("new", "--no-input", "--callout", CALLOUTS[0], project).exit_code == 0
    commit_all(repo)
    result = run_cli("add", "callout", CALLOUTS[1], "-p", project, "--action", "inspection")
    assert result.exit_code == 0, result.output
    assert "created     driver/flow.c" in result.stdout
    assert "added callout FlowEstablishedV4" in result.stderr
    names = [c["name"] for c in spec(project)["callouts"]]  # type: ignore[union-attr]
    assert names == ["Conn", "Stream", "FlowEstablishedV4"]
    assert_compiles(project, "stub")


@pytest.mark.skipif(sys.platform == "win32", reason="pexpect needs a POSIX terminal")
def test_add_callout_in_a_terminal_asks_for_the_callout(run_cli: RunCli, repo: Path) -> None:
    project = generate(run_cli, repo)
    child = pexpect.spawn(
        sys.executable,
        ["-m", "wfpgen", "add", "callout", "--project", str(project)],
        env={k: v for k, v in os.environ.items() if k != "CI"} | {"TERM": "dumb"},
        encoding="utf-8",
        timeout=60,
        dimensions=(50, 200),
    )
    for question, answer in [
        ("Callout name", "Listen"),
        ("Layer (? lists them)", "auth listen v4"),
        ("Flags, comma-separated names or numbers", ""),
        ("GUID", ""),
        ("Filter action", "inspection"),
    ]:
        child.expect_exact(question)
        child.expect_exact(": ")
        child.sendline(answer)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    listen = spec(project)["callouts"][-1]  # type: ignore[index]
    assert (listen["name"], listen["layer"], listen["action"]) == (
        "Listen",
        "ALE_AUTH_LISTEN_V4",
        "inspection",
    )
    assert "ListenClassify" in (project / "driver" / "callouts.c").read_text()


def test_a_clone_with_crlf_checkouts_has_the_base_and_updates(
    run_cli: RunCli, repo: Path, tmp_path: Path
) -> None:
    """A Windows-style clone (core.autocrlf) changes line ends, never the record."""
    project = generate(run_cli, repo)
    add_user_logic(project)
    commit_all(repo)
    clone = tmp_path / "clone"
    git(tmp_path, "-c", "core.autocrlf=true", "clone", "-q", str(repo), str(clone))
    git(clone, "config", "core.autocrlf", "true")
    copy = clone / "Drv"
    assert (copy / "README.md").read_bytes().count(b"\r\n") > 10  # converted on checkout
    assert (copy / ".wfpgen" / "base.zip").read_bytes() == (
        project / ".wfpgen" / "base.zip"
    ).read_bytes()
    assert run_cli("check", copy).exit_code == 0
    edits = run_cli("diff", copy, "--exit-code")
    assert edits.exit_code == 6 and edits.stdout.count("+++ b/") == 1  # classify.c only

    result = run_cli("add", "callout", "Listen:ALE_AUTH_LISTEN_V4", "-p", copy)

    assert result.exit_code == 0, result.output
    readme = (copy / "README.md").read_bytes()
    assert b"`Listen`" in readme and b"\n" not in readme.replace(b"\r\n", b"")  # CRLF kept
    assert USER_LOGIC in (copy / "driver" / "classify.c").read_bytes()


def test_removing_the_flow_callout_from_wfpgen_toml_by_hand_then_updating(
    run_cli: RunCli, repo: Path
) -> None:
    project = generate(run_cli, repo)
    answers = project / "wfpgen.toml"
    text = answers.read_text()
    start = text.index('[[callouts]]\nname = "Stream"')
    end = text.index("[[callouts]]", start + 1)
    answers.write_text(text[:start] + text[end:])
    commit_all(repo)
    assert run_cli("check", project).exit_code == 6

    result = run_cli("update", project)

    assert result.exit_code == 0, result.output
    assert "deleted     driver/flow.c" in result.stdout
    assert [c["name"] for c in spec(project)["callouts"]] == ["Conn"]  # type: ignore[union-attr]


def test_update_outside_git_needs_no_commit(run_cli: RunCli, tmp_path: Path) -> None:
    project = tmp_path / "plain" / "Drv"
    assert run_cli("new", "--no-input", "--callout", CALLOUTS[0], project).exit_code == 0
    add_user_logic(project)
    result = run_cli("add", "callout", "Listen:ALE_AUTH_LISTEN_V4", "-p", project)
    assert result.exit_code == 0, result.output
    assert USER_LOGIC in (project / "driver" / "classify.c").read_bytes()


@pytest.mark.parametrize(
    "args",
    [["update", "--help"], ["check", "--help"], ["diff", "--help"], ["add", "callout", "--help"]],
)
def test_update_commands_help_imports_nothing_heavy(args: list[str]) -> None:
    assert _probe(args) == {"code": 0, "loaded": []}


def test_update_across_a_team_template_commit_merges_and_records_the_commit(
    run_cli: RunCli, repo: Path, tmp_path: Path
) -> None:
    template = team_template(tmp_path)
    git(template, "init", "-q")
    commit_all(template, "v1")
    first = git(template, "rev-parse", "HEAD").strip()
    source = f"file://{template}"
    project = generate(run_cli, repo, "--template", source)
    assert spec(project)["template"] == {"source": source, "commit": first}
    add_user_logic(project)
    commit_all(repo)
    old = "// Everything here runs at up to DISPATCH_LEVEL"
    edit_template(template, "driver/classify.c", old, "// Team rule: review every verdict.\n" + old)
    commit_all(template, "v2")
    second = git(template, "rev-parse", "HEAD").strip()
    check = run_cli("check", project)
    assert check.exit_code == 6
    assert f"reason: the template is now {source}@{second} (was {source}@{first})" in check.stdout

    result = run_cli("update", project)

    assert result.exit_code == 0, result.output
    assert spec(project)["template"] == {"source": source, "commit": second}
    text = (project / "driver" / "classify.c").read_bytes()
    assert USER_LOGIC in text and b"// Team rule: review every verdict.\r\n" in text
    assert b"<<<<<<<" not in text
    assert_compiles(project, "stub")
    assert run_cli("check", project).exit_code == 0


def test_a_trusted_templates_hooks_run_in_updates_and_their_files_stay(
    run_cli: RunCli, repo: Path, tmp_path: Path
) -> None:
    template = team_template(tmp_path)
    (template / "hooks").mkdir()
    (template / "hooks" / "post_gen_project.py").write_text(
        "from pathlib import Path\nPath('HOOKED.txt').write_text('{{ cookiecutter.driver.name }}')\n"
    )
    project = generate(run_cli, repo, "--template", str(template), "--trust")
    assert (project / "HOOKED.txt").read_text() == "Drv"
    refused = run_cli("update", project)
    assert refused.exit_code == 4 and "--trust" in refused.stderr
    # The refusal names the template as recorded, not the folder it was fetched into.
    assert f"the template {template} has hooks" in refused.stderr
    # check and dry runs run no hooks: they need no --trust.
    assert run_cli("check", project).exit_code == 0
    edit_template(template, "driver/driver.h", "#pragma once", "#pragma once // team v2")

    dry = run_cli("update", project, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "HOOKED.txt" not in dry.stdout and "hooks do not run in a dry run" in dry.stderr
    result = run_cli("update", project, "--trust")

    assert result.exit_code == 0, result.output
    assert "HOOKED.txt" not in result.stdout  # made again by the hook: unchanged
    assert (project / "HOOKED.txt").read_text() == "Drv"
    assert "#pragma once // team v2" in (project / "driver" / "driver.h").read_text()
    assert run_cli("check", project, "--trust").exit_code == 0


def test_a_project_without_a_record_is_adopted_then_updated(run_cli: RunCli, repo: Path) -> None:
    """Projects generated before wfpgen recorded a base: --adopt records one, writing nothing else."""
    project = generate(run_cli, repo)
    shutil.rmtree(project / ".wfpgen")
    add_user_logic(project)
    commit_all(repo)
    refused = run_cli("update", project)
    assert refused.exit_code == 1
    assert f"record one with `wfpgen update --adopt {project}`" in refused.stderr
    before = snapshot(project)

    adopted = run_cli("update", project, "--adopt")

    assert adopted.exit_code == 0, adopted.output
    after = snapshot(project)
    assert {k: v for k, v in after.items() if not k.startswith(".wfpgen")} == before
    commit_all(repo)
    assert run_cli("diff", project).stdout.count("+++ b/") == 1  # classify.c: the user's
    added = run_cli("add", "callout", "Listen:ALE_AUTH_LISTEN_V4", "-p", project)
    assert added.exit_code == 0, added.output
    assert USER_LOGIC in (project / "driver" / "classify.c").read_bytes()


def test_comments_lost_from_wfpgen_toml_are_pointed_out(run_cli: RunCli, repo: Path) -> None:
    project = generate(run_cli, repo)
    answers = project / "wfpgen.toml"
    answers.write_text(answers.read_text() + "\n# why Conn blocks telnet: ticket 42\n")
    commit_all(repo)

    result = run_cli("add", "callout", "Dgram:DATAGRAM_DATA_V4", "--project", project)

    assert result.exit_code == 0, result.output
    assert "your comments in it are not kept" in result.output
    assert "ticket 42" not in answers.read_text()


def test_an_older_wfpgen_says_so_in_one_line(
    run_cli: RunCli, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A project last generated by a later wfpgen: check and update warn, once, and go on."""
    project = generate(run_cli, repo)
    monkeypatch.setattr("wfpgen.cli.update.__version__", "0.0.1")
    line = (
        "warning: .wfpgen/base.toml: the project was generated by wfpgen "
        f"{__version__}, and this wfpgen is 0.0.1, older"
    )
    checked = run_cli("check", project, "--json")
    assert checked.exit_code == 6
    warnings = [w for w in checked.stderr.splitlines() if w.startswith("warning:")]
    assert len(warnings) == 1 and warnings[0].startswith(line)
    report = json.loads(checked.stdout)
    assert report["warnings"][0]["field"] == ".wfpgen/base.toml"
    dry = run_cli("update", project, "--dry-run", "--json")
    assert dry.stderr.count(line) == 1
    assert json.loads(dry.stdout)["warnings"][0]["field"] == ".wfpgen/base.toml"
    monkeypatch.setattr("wfpgen.cli.update.__version__", __version__)
    assert "warning:" not in run_cli("check", project).stderr


def test_check_with_a_ref_naming_the_recorded_commit_is_up_to_date(
    run_cli: RunCli, repo: Path, tmp_path: Path
) -> None:
    """check compares commits, not ref names: --checkout main at the recorded commit is no change."""
    template = team_template(tmp_path)
    git(template, "init", "-q")
    commit_all(template, "v1")
    git(template, "branch", "-M", "main")
    git(template, "tag", "v1.0")
    project = generate(run_cli, repo, "--template", f"file://{template}")

    for ref in ("main", "v1.0"):
        result = run_cli("check", project, "--checkout", ref, "--json")
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["reasons"] == []


def test_check_reports_a_later_release_and_update_latest_takes_it(
    run_cli: RunCli, repo: Path, tmp_path: Path
) -> None:
    template = team_template(tmp_path)
    git(template, "init", "-q")
    commit_all(template, "v1.0")
    git(template, "tag", "v1.0")
    source = f"file://{template}"
    project = generate(run_cli, repo, "--template", source, "--checkout", "v1.0")
    assert run_cli("check", project).exit_code == 0
    edit_template(template, "driver/driver.h", "#pragma once", "#pragma once // team v1.1")
    commit_all(template, "v1.1")
    git(template, "tag", "v1.1")
    git(template, "tag", "nightly")  # not a release

    check = run_cli("check", project, "--json")
    assert check.exit_code == 6, check.output
    report = json.loads(check.stdout)
    assert report["release"] == "v1.1"
    assert report["reasons"] == [
        "template release v1.1 is out; this project uses v1.0: "
        "wfpgen update --checkout v1.1 (or --latest)"
    ]
    assert report["changed"] == []  # v1.0 itself renders as before

    result = run_cli("update", project, "--latest")
    assert result.exit_code == 0, result.output
    assert spec(project)["template"]["checkout"] == "v1.1"  # type: ignore[index]
    assert "team v1.1" in (project / "driver" / "driver.h").read_text()
    commit_all(repo, "update to v1.1")
    assert run_cli("check", project).exit_code == 0


def test_update_latest_without_release_tags_is_bad_input(
    run_cli: RunCli, repo: Path, tmp_path: Path
) -> None:
    template = team_template(tmp_path)
    git(template, "init", "-q")
    commit_all(template, "first")
    project = generate(run_cli, repo, "--template", f"file://{template}")
    result = run_cli("update", project, "--latest")
    assert result.exit_code == 2
    assert "has no release tags" in result.stderr


def test_every_project_command_takes_dash_p(run_cli: RunCli, repo: Path) -> None:
    project = generate(run_cli, repo)
    assert run_cli("check", "-p", project).exit_code == 0
    assert run_cli("diff", "--project", project, "--exit-code").exit_code == 0
    assert run_cli("update", "-p", project).exit_code == 0
    assert run_cli("check", project, "-p", project).exit_code == 0  # the same folder twice
    twice = run_cli("check", project, "-p", repo)
    assert twice.exit_code == 2 and "the project is named twice" in twice.stderr


@pytest.mark.home_writes(".config")
def test_trusting_a_source_once_lets_every_command_run_its_hooks(
    run_cli: RunCli, repo: Path, tmp_path: Path
) -> None:
    template = team_template(tmp_path)
    (template / "hooks").mkdir()
    (template / "hooks" / "post_gen_project.py").write_text(
        "from pathlib import Path\nPath('HOOKED.txt').write_text('x')\n"
    )
    git(template, "init", "-q")
    commit_all(template, "v1")
    source = f"file://{template}"
    args = [a for c in CALLOUTS for a in ("--callout", c)]
    refused = run_cli("new", "--no-input", "--name", "Drv", *args, "--template", source, repo / "D")
    assert refused.exit_code == 4
    assert f"the template {source} has hooks" in refused.stderr  # the source, not a temp folder
    assert "wfpgen trust SOURCE" in refused.stderr

    trusted = run_cli("trust", source, "--refs", "*")
    assert trusted.exit_code == 0, trusted.output
    config = Path(os.environ["HOME"]) / ".config" / "wfpgen" / "config.toml"
    assert tomllib.loads(config.read_text()) == {"trust": {"sources": [f"{source}@@*"]}}
    listed = run_cli("trust", "--list", "--json")
    assert json.loads(listed.stdout)["saved"] == [f"{source}@@*"]

    project = generate(run_cli, repo, "--template", source)  # no --trust
    assert (project / "HOOKED.txt").is_file()
    edit_template(template, "driver/driver.h", "#pragma once", "#pragma once // v2")
    commit_all(template, "v2")
    assert run_cli("update", project).exit_code == 0
    commit_all(repo, "v2")
    assert run_cli("add", "callout", "Two:ALE_AUTH_CONNECT_V4", "-p", project).exit_code == 0

    assert run_cli("trust", source, "--refs", "*", "--remove").exit_code == 0
    commit_all(repo, "two")
    assert run_cli("remove", "callout", "Two", "-p", project).exit_code == 4


def test_wfpgen_trust_in_the_environment_trusts_for_ci(
    run_cli: RunCli, repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    template = team_template(tmp_path)
    (template / "hooks").mkdir()
    (template / "hooks" / "post_gen_project.py").write_text("print('hook')\n")
    monkeypatch.setenv("WFPGEN_TRUST", f"gh:nobody/else; {tmp_path}")  # a folder prefix
    project = generate(run_cli, repo, "--template", str(template))
    assert (project / "wfpgen.toml").is_file()
