"""Never trust what is on disk: records, journals and folders that arrive with a repository.

A pull request can put anything in a project's ``.wfpgen/`` record, beside
the project (a staging folder with a journal) or in its folders (symbolic
links). Every test plants such a thing in a real project in a real git work
tree, runs the real command line, and checks that nothing outside the
project was read, written, moved or deleted, that the command says what it
refused, and that the project is as it was. Then: concurrent ``add callout``
runs never lose a reported change, and a run killed with the equivalent of
SIGKILL is rolled back by the next run, which then does its work.
"""

import hashlib
import hmac
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import RunCli
from tests.test_transaction import (
    NEW_FILES,
    FailingRename,
    existing_project,
    killed_mid_commit,
    leftovers,
    snapshot,
    staged,
)
from tests.test_update import commit_all, generate, git
from wfpgen.cli import app
from wfpgen.lifecycle.base import ARCHIVE, MANIFEST, record_contents
from wfpgen.lifecycle.transaction import (
    STAGE_MARK,
    DestinationTransaction,
    reporting_notes,
)

POSIX_ONLY = pytest.mark.skipif(sys.platform == "win32", reason="POSIX links and fork")
SECRET = "TOP-SECRET-TOKEN-4711\n"
GUID = "6d1a84b0-4a40-4a1c-9a52-0f0f1e2d3c4b"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git work tree in ``tmp_path/ws/repo``; ``tmp_path/ws`` holds what is "outside"."""
    root = tmp_path / "ws" / "repo"
    root.mkdir(parents=True)
    git(root, "init", "-q")
    return root


def outside(repo: Path) -> Path:
    """A secret file outside the project and outside the repository."""
    victim = repo.parent / "victim.txt"
    victim.write_text(SECRET)
    return victim


def tamper_record(project: Path, extra: dict[str, bytes]) -> None:
    """Add entries to the record with hashes that match: as a careful attacker would."""
    with zipfile.ZipFile(project / ARCHIVE) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    manifest = tomllib.loads((project / MANIFEST).read_text(encoding="utf-8"))
    files.update(extra)
    contents = record_contents(
        files, version=manifest["wfpgen_version"], template=manifest["template"]
    )
    for name, data in contents.items():
        (project / name).write_bytes(data)


def everything(root: Path) -> dict[str, str]:
    """``snapshot`` that also tells links apart (a link is its target's name)."""
    state = {}
    for path in sorted(root.rglob("*")):
        name = path.relative_to(root).as_posix()
        if path.is_symlink():
            state[name] = f"-> {path.readlink()}"
        elif path.is_file():
            state[name] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            state[name] = "<dir>"
    return state


WRITING_COMMANDS: list[list[str]] = [
    ["update", "{p}"],
    ["update", "--force", "{p}"],
    ["add", "callout", "Extra:ALE_AUTH_LISTEN_V4", "--project", "{p}"],
    ["remove", "callout", "Conn", "--project", "{p}"],
    ["add", "channel", "--project", "{p}"],
    ["new", "--no-input", "--force", "--config", "{p}/wfpgen.toml", "{p}"],
]
READING_COMMANDS: list[list[str]] = [
    ["diff", "{p}"],
    ["diff", "--exit-code", "{p}"],
    ["check", "{p}"],
]


def run_all(run_cli: RunCli, project: Path, commands: list[list[str]]) -> list[tuple[str, object]]:
    results = []
    for command in commands:
        args = [a.replace("{p}", str(project)) for a in command]
        results.append((" ".join(command[:2]), run_cli(*args)))
    return results


# --- 1. the base record ------------------------------------------------------


@pytest.mark.parametrize(
    "entry",
    [
        "../../victim.txt",
        "driver/../../../victim.txt",
        "ABSOLUTE",
        "./README.md",
        "driver//classify.c",
        "..\\..\\victim.txt",
        "C:/victim.txt",
        ".git/config",
    ],
)
def test_a_record_naming_a_path_outside_the_project_is_damaged(
    run_cli: RunCli, repo: Path, entry: str
) -> None:
    project = generate(run_cli, repo)
    victim = outside(repo)
    if entry == "ABSOLUTE":
        entry = victim.as_posix()
    tamper_record(project, {entry: SECRET.encode()})
    commit_all(repo, "a pull request")
    before = everything(repo.parent)
    for command, result in run_all(run_cli, project, WRITING_COMMANDS + READING_COMMANDS):
        assert result.exit_code == 1, (command, result.output)  # type: ignore[attr-defined]
        stderr = result.stderr  # type: ignore[attr-defined]
        assert ".wfpgen/base." in stderr, (command, stderr)
        assert repr(entry) in stderr.replace("\n", ""), (command, stderr)
        assert "nothing was read, written or deleted" in stderr.replace("\n", " "), command
        assert SECRET.strip() not in result.output  # type: ignore[attr-defined]
        assert "deleted" not in result.stdout, command  # type: ignore[attr-defined]
    assert everything(repo.parent) == before
    assert victim.read_text() == SECRET


def test_the_update_that_deleted_an_outside_file_no_longer_does(
    run_cli: RunCli, repo: Path
) -> None:
    """The issue's reproduction: ``../victim.txt`` with a matching hash, then ``update``."""
    project = generate(run_cli, repo)
    victim = repo / "victim.txt"  # beside the project, inside the repository
    victim.write_text(SECRET)
    tamper_record(project, {"../victim.txt": SECRET.encode()})
    commit_all(repo, "a pull request")
    result = run_cli("update", project)
    assert result.exit_code == 1, result.output
    assert f"{project / MANIFEST} names '../victim.txt', which leads out of the folder" in (
        result.stderr.replace("\n", "")
    )
    assert victim.read_text() == SECRET
    assert git(repo, "status", "--porcelain") == ""


def test_a_zip_that_holds_a_name_twice_is_damaged(run_cli: RunCli, repo: Path) -> None:
    project = generate(run_cli, repo)
    with (
        zipfile.ZipFile(project / ARCHIVE, "a") as archive,
        pytest.warns(UserWarning, match="Duplicate name"),
    ):
        archive.writestr("README.md", b"something else\n")
    result = run_cli("diff", project)
    assert result.exit_code == 1
    assert "holds a file twice" in result.stderr


@POSIX_ONLY
def test_a_generated_file_that_is_a_link_out_of_the_project_is_never_read(
    run_cli: RunCli, repo: Path
) -> None:
    project = generate(run_cli, repo)
    victim = outside(repo)
    classify = project / "driver" / "classify.c"
    classify.unlink()
    classify.symlink_to(victim)
    commit_all(repo, "a pull request")
    before = everything(repo.parent)
    for command, result in run_all(run_cli, project, [*WRITING_COMMANDS, ["diff", "{p}"]]):
        assert result.exit_code == 1, (command, result.output)  # type: ignore[attr-defined]
        stderr = result.stderr.replace("\n", "")  # type: ignore[attr-defined]
        assert f"{classify} is a symbolic link to {victim}, outside" in stderr, (command, stderr)
        assert SECRET.strip() not in result.output  # type: ignore[attr-defined]
    assert everything(repo.parent) == before


@POSIX_ONLY
def test_a_link_inside_the_project_is_the_users_file(run_cli: RunCli, repo: Path) -> None:
    """A generated file replaced by a link to another file of the project: an edit, nothing more."""
    project = generate(run_cli, repo)
    script = project / "scripts" / "uninstall.ps1"
    (project / "docs").mkdir()
    (project / "docs" / "uninstall.ps1").write_bytes(script.read_bytes() + b"# ours\r\n")
    script.unlink()
    script.symlink_to(Path("..") / "docs" / "uninstall.ps1")
    commit_all(repo, "script kept in docs")
    result = run_cli("diff", project)
    assert result.exit_code == 0, result.output
    assert "+# ours" in result.stdout
    result = run_cli("add", "callout", "Extra:ALE_AUTH_LISTEN_V4", "-p", project)
    assert result.exit_code == 0, result.output
    assert script.is_symlink()  # kept: the user's edit, and the render did not change it


@POSIX_ONLY
def test_the_project_folder_itself_may_be_reached_through_a_link(
    run_cli: RunCli, repo: Path, tmp_path: Path
) -> None:
    project = generate(run_cli, repo)
    alias = tmp_path / "alias"
    alias.symlink_to(project)
    result = run_cli("add", "callout", "Extra:ALE_AUTH_LISTEN_V4", "-p", alias)
    assert result.exit_code == 0, result.output
    assert "Extra" in (project / "wfpgen.toml").read_text()


# --- 2. linked folders ---------------------------------------------------------


@POSIX_ONLY
@pytest.mark.parametrize("folder", ["driver", ".wfpgen"])
def test_a_project_folder_that_is_a_link_is_not_written_through(
    run_cli: RunCli, repo: Path, folder: str
) -> None:
    project = generate(run_cli, repo)
    elsewhere = repo.parent / "elsewhere"
    shutil.move(project / folder, elsewhere)  # the same files, so every hash matches
    (project / folder).symlink_to(elsewhere)
    commit_all(repo, "a pull request")
    before = everything(repo.parent)
    commands = [*WRITING_COMMANDS, *READING_COMMANDS]
    for command, result in run_all(run_cli, project, commands):
        assert result.exit_code == 1, (command, result.output)  # type: ignore[attr-defined]
        stderr = result.stderr.replace("\n", "")  # type: ignore[attr-defined]
        assert f"{project / folder} is a symbolic link" in stderr, (command, stderr)
        assert "does not read or write through linked folders" in stderr
    assert everything(repo.parent) == before


@POSIX_ONLY
def test_a_linked_folder_where_a_new_file_goes_is_refused(run_cli: RunCli, repo: Path) -> None:
    """Only the render names the path (no record entry): the writer itself refuses the link."""
    project = generate(run_cli, repo)
    elsewhere = repo.parent / "elsewhere"
    elsewhere.mkdir()
    (project / "docs").symlink_to(elsewhere)
    template = repo.parent / "team"
    shutil.copytree(Path(__file__).parents[1] / "templates" / "wfp-callout", template)
    # The project folder; templates/ beside it holds what it includes.
    (slug,) = [p for p in template.iterdir() if p.is_dir() and p.name.startswith("{{")]
    (slug / "docs").mkdir()
    (slug / "docs" / "design.md").write_text("# design\n")
    commit_all(repo)
    result = run_cli("update", "--template", template, project)
    assert result.exit_code == 1, result.output
    assert f"{project / 'docs'} is a symbolic link" in result.stderr.replace("\n", "")
    assert list(elsewhere.iterdir()) == []


# --- 3. journals ---------------------------------------------------------------


def planted_stage(project: Path, lines: list[dict[str, object]]) -> Path:
    """A staging folder as a pull request could bring it, beside the project."""
    stage = project.parent / f".{project.name}{STAGE_MARK}evil"
    (stage / "kept").mkdir(parents=True)
    (stage / "kept" / "payload.c").write_text("/* planted */\n")
    with (stage / "journal.jsonl").open("w") as journal:
        for line in lines:
            journal.write(json.dumps(line) + "\n")
    return stage


def forged_chain(lines: list[dict[str, object]], key: bytes) -> list[dict[str, object]]:
    """``lines`` signed as wfpgen signs them, with a key that is not the user's."""
    signed, previous = [], ""
    for line in lines:
        body = json.dumps(line, sort_keys=True, separators=(",", ":")).encode()
        previous = hmac.new(key, previous.encode() + body, hashlib.sha256).hexdigest()
        signed.append({**line, "mac": previous})
    return signed


def hostile_steps(repo: Path) -> list[dict[str, object]]:
    """Steps whose undo, taken at their word, deletes and steals outside the project."""
    victim = outside(repo)
    other = repo.parent / "other-secret.txt"
    other.write_text(SECRET)
    (repo.parent / "victim-dir").mkdir()
    return [
        # undone: the outside folder is removed (it is empty)
        {"op": "mkdir", "path": "../../victim-dir"},
        # undone: an outside file is moved into the project
        {"op": "keep", "path": "stolen.txt", "to": str(other)},
        # undone: an outside file whose hash matches is deleted
        {
            "op": "place",
            "path": "../../victim.txt",
            "sha256": hashlib.sha256(victim.read_bytes()).hexdigest(),
            "from": "/nonexistent",
        },
        {"op": "place", "path": victim.as_posix(), "sha256": "0", "from": "render/x"},
    ]


@pytest.mark.parametrize("proof", ["none", "forged", "signed-for-another-folder"])
def test_a_planted_journal_is_left_alone_and_reported(
    run_cli: RunCli, repo: Path, proof: str
) -> None:
    project = generate(run_cli, repo)
    steps = hostile_steps(repo)
    header = {"op": "begin", "project": os.path.realpath(project), "stage": "x"}
    if proof == "none":
        lines = steps
    elif proof == "forged":
        lines = forged_chain([header, *steps], b"k" * 32)
    else:
        lines = forged_chain([{**header, "project": "/elsewhere"}, *steps], user_key())
    stage = planted_stage(project, lines)
    commit_all(repo, "a pull request")
    before = everything(repo.parent)
    result = run_cli("add", "callout", "Extra:ALE_AUTH_LISTEN_V4", "-p", project)
    assert result.exit_code == 0, result.output
    notes = [line for line in result.stderr.splitlines() if stage.name in line]
    assert len(notes) == 1, result.stderr
    assert "left alone beside" in notes[0]
    after = everything(repo.parent)
    changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    prefix = f"repo/{project.name}/"
    assert all(name.startswith(prefix) for name in changed), sorted(changed)
    assert not any(name.startswith(f"repo/{stage.name}") for name in changed)
    assert (repo.parent / "victim.txt").read_text() == SECRET
    assert (repo.parent / "other-secret.txt").read_text() == SECRET
    assert (repo.parent / "victim-dir").is_dir()
    assert not (project / "stolen.txt").exists()


def user_key() -> bytes:
    """The signing key a first run left in this test's cache (it is not a secret from tests)."""
    return (Path(os.environ["WFPGEN_CACHE_DIR"]) / "journal.key").read_bytes()


@POSIX_ONLY
def test_a_real_journal_moved_beside_another_project_is_left_alone(tmp_path: Path) -> None:
    first = existing_project(tmp_path / "a")
    killed_mid_commit(first, 7)
    (stage,) = [p for p in first.parent.iterdir() if STAGE_MARK in p.name]
    second = existing_project(tmp_path / "b")
    before = snapshot(second)
    moved = second.parent / stage.name
    shutil.copytree(stage, moved, symlinks=True)
    # A signed journal of "a" beside "b" under b's name: its header names a, so b ignores it.
    notes: list[str] = []
    with reporting_notes(notes.append), DestinationTransaction(second):
        pass
    assert snapshot(second) == before
    assert moved.exists()
    assert len(notes) == 1 and "left alone beside" in notes[0], notes
    # And the original is still rolled back where it belongs.
    with reporting_notes(notes.append), DestinationTransaction(first):
        pass
    assert "rolled back" in notes[-1]


# --- 4. the lock covers the whole read-modify-write --------------------------


@pytest.mark.slow
def test_six_concurrent_add_callouts_lose_no_reported_change(run_cli: RunCli, repo: Path) -> None:
    project = generate(run_cli, repo)
    env = {**os.environ, "CI": "true"}
    runs = [
        subprocess.Popen(
            [
                *(sys.executable, "-m", "wfpgen", "add", "callout"),
                *(f"Added{i}:ALE_AUTH_LISTEN_V4", "--force", "--project", str(project)),
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(6)
    ]
    results = [(p.wait(timeout=300), p.communicate()[1]) for p in runs]
    final = (project / "wfpgen.toml").read_text()
    succeeded = [i for i, (code, _) in enumerate(results) if code == 0]
    assert succeeded, results
    for i, (code, stderr) in enumerate(results):
        assert "damaged" not in stderr, stderr
        if code == 0:
            assert f'name = "Added{i}"' in final, (i, results)
        else:
            assert code == 1, stderr
            assert f"another wfpgen run is working on {project}" in stderr.replace("\n", " ")
            assert f'name = "Added{i}"' not in final
    assert run_cli("check", project).exit_code == 0
    assert leftovers(repo) == []


def test_a_run_refused_by_the_lock_has_read_nothing(run_cli: RunCli, repo: Path) -> None:
    from wfpgen.lifecycle.locking import FolderLock

    project = generate(run_cli, repo)
    (project / "wfpgen.toml").write_text("this is not toml [\n")  # read it, and it fails with 2
    with FolderLock(project):
        for command, result in run_all(run_cli, project, WRITING_COMMANDS):
            assert result.exit_code == 1, (command, result.output)  # type: ignore[attr-defined]
            assert "another wfpgen run is working on" in result.stderr  # type: ignore[attr-defined]


# --- 5. a killed run is recovered by the next run, which does its work -------


def _killed_cli(args: list[str], step: int) -> None:
    failing = FailingRename(step, lambda: os._exit(9))
    Path.rename = failing.rename  # type: ignore[method-assign]
    CliRunner().invoke(app, args, catch_exceptions=False)
    os._exit(0)  # the run had fewer moves than step


def killed_cli(args: list[str], step: int) -> int | None:
    child = multiprocessing.get_context("fork").Process(target=_killed_cli, args=(args, step))
    child.start()
    child.join()
    return child.exitcode


def counted_run(run_cli: RunCli, args: list[str], monkeypatch: pytest.MonkeyPatch) -> int:
    """Run ``args`` to the end, counting its moves; the result is the uninterrupted outcome."""
    counter = FailingRename(0, lambda: None)
    monkeypatch.setattr(Path, "rename", counter.rename)
    result = run_cli(*args)
    monkeypatch.undo()
    assert result.exit_code == 0, result.output
    return counter.calls


def prepare_update(project: Path) -> list[str]:
    text = (project / "wfpgen.toml").read_text()
    text += f'\n[[callouts]]\nname = "ByHand"\nlayer = "ALE_AUTH_LISTEN_V4"\nguid = "{GUID}"\n'
    (project / "wfpgen.toml").write_text(text)
    commit_all(project.parent, "a callout added by hand")
    return ["update", str(project)]


def prepare_add(project: Path) -> list[str]:
    return ["add", "callout", "Listen:ALE_AUTH_LISTEN_V4", "--guid", GUID, "-p", str(project)]


def prepare_new_force(project: Path) -> list[str]:
    spec = project.parent.parent / "spec.toml"
    shutil.copy(project / "wfpgen.toml", spec)
    return [
        "new",
        "--no-input",
        "--force",
        "--config",
        str(spec),
        "--name",
        "Renamed",
        str(project),
    ]


@POSIX_ONLY
@pytest.mark.parametrize(
    "prepare",
    [prepare_update, prepare_add, prepare_new_force],
    ids=["update", "add", "new-force"],
)
def test_a_killed_run_is_rolled_back_by_the_next_run_which_does_its_work(
    run_cli: RunCli,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    prepare: Callable[[Path], list[str]],
) -> None:
    template = tmp_path / "template"
    template.mkdir()
    git(template, "init", "-q")
    origin = generate(run_cli, template)
    args = prepare(origin)
    reference = tmp_path / "reference"
    shutil.copytree(template, reference, symlinks=True)
    moves = counted_run(
        run_cli, [a.replace(str(template), str(reference)) for a in args], monkeypatch
    )
    expected = snapshot(reference / origin.name)
    assert moves >= 4
    for step in sorted({1, 2, moves // 2, moves - 1}):
        work = tmp_path / f"kill{step}"
        shutil.copytree(template, work, symlinks=True)
        project = work / origin.name
        run_args = [a.replace(str(template), str(work)) for a in args]
        assert killed_cli(run_args, step) == 9
        result = run_cli(*run_args)
        assert result.exit_code == 0, (step, result.output)
        rolled = [line for line in result.stderr.splitlines() if "rolled back" in line]
        assert len(rolled) == 1, result.stderr
        assert "edited" not in result.stderr and "uncommitted" not in result.stderr
        assert snapshot(project) == expected, step
        assert leftovers(work) == []


def _killed_while_rendering(target: Path) -> None:
    with DestinationTransaction(target) as tx:
        staged(tx, NEW_FILES)
        os._exit(9)


@POSIX_ONLY
def test_a_run_killed_before_it_moved_anything_leaves_nothing_to_report(tmp_path: Path) -> None:
    target = existing_project(tmp_path)
    before = snapshot(target)
    child = multiprocessing.get_context("fork").Process(
        target=_killed_while_rendering, args=(target,)
    )
    child.start()
    child.join()
    assert child.exitcode == 9
    assert any(STAGE_MARK in p.name for p in tmp_path.iterdir())
    notes: list[str] = []
    with reporting_notes(notes.append), DestinationTransaction(target):
        pass
    assert notes == []  # its signed journal proves it ours; nothing was moved, so silence
    assert snapshot(target) == before
    assert leftovers(tmp_path) == []


@POSIX_ONLY
@pytest.mark.parametrize("to_missing", [False, True])
def test_a_lock_file_that_is_a_link_is_not_followed(
    run_cli: RunCli, repo: Path, to_missing: bool
) -> None:
    project = generate(run_cli, repo)
    victim = repo.parent / "created-by-wfpgen.txt" if to_missing else outside(repo)
    lock = project.parent / f".{project.name}.wfpgen-lock"
    lock.symlink_to(victim)
    commit_all(repo, "a pull request")
    before = everything(repo.parent)
    result = run_cli("add", "callout", "Extra:ALE_AUTH_LISTEN_V4", "-p", project)
    assert result.exit_code == 1, result.output
    assert f"{lock} is a symbolic link, not wfpgen's lock file" in result.stderr.replace("\n", "")
    assert everything(repo.parent) == before


def test_with_the_cache_turned_off_a_killed_runs_staging_is_left_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No cache, no key: nothing proves a staging folder is ours, so none is touched."""
    monkeypatch.setenv("WFPGEN_CACHE_DIR", "")
    target = existing_project(tmp_path)
    killed_mid_commit(target, 4)
    half_written = snapshot(target)
    notes: list[str] = []
    with reporting_notes(notes.append), DestinationTransaction(target):
        pass
    assert len(notes) == 1 and "left alone beside" in notes[0], notes
    assert snapshot(target) == half_written


def test_a_reader_during_another_runs_commit_says_busy_not_damaged(
    run_cli: RunCli, repo: Path
) -> None:
    """``diff`` and ``check`` take no lock; a record half old, half new is another run's commit."""
    from wfpgen.lifecycle.locking import FolderLock

    project = generate(run_cli, repo)
    old_archive = (project / ARCHIVE).read_bytes()
    assert run_cli("add", "callout", "Extra:ALE_AUTH_LISTEN_V4", "-p", project).exit_code == 0
    (project / ARCHIVE).write_bytes(old_archive)  # the new manifest, the old archive
    with FolderLock(project):
        for command in (["diff"], ["check"]):
            result = run_cli(*command, project)
            assert result.exit_code == 1, result.output
            assert "another wfpgen run is working on" in result.stderr
            assert "damaged" not in result.stderr and "different files" not in result.stderr
    result = run_cli("diff", project)  # nobody is writing: it is damage
    assert result.exit_code == 1
    assert "does not match its hash" in result.stderr


@pytest.mark.slow
@POSIX_ONLY
def test_sigkill_at_random_moments_then_the_same_command_gives_the_uninterrupted_result(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A real SIGKILL to a real ``wfpgen add callout`` process, then the same command again."""
    import random
    import signal
    import time

    template = tmp_path / "template"
    template.mkdir()
    git(template, "init", "-q")
    origin = generate(run_cli, template)
    args = prepare_add(origin)
    reference = tmp_path / "reference"
    shutil.copytree(template, reference, symlinks=True)
    counted_run(run_cli, [a.replace(str(template), str(reference)) for a in args], monkeypatch)
    expected = snapshot(reference / origin.name)
    rng = random.Random(17)
    outcomes: list[str] = []
    for attempt in range(6):
        work = tmp_path / f"kill{attempt}"
        shutil.copytree(template, work, symlinks=True)
        run_args = [a.replace(str(template), str(work)) for a in args]
        process = subprocess.Popen(
            [sys.executable, "-m", "wfpgen", *run_args],
            env={**os.environ, "CI": "true"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.1, 1.0))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        if snapshot(work / origin.name) == expected:
            # Committed before the kill (maybe not cleaned up): the next writing run
            # removes its staging without a word, and finds nothing to do.
            result = run_cli("update", "--force", work / origin.name)
            assert result.exit_code == 0, (attempt, result.output)
            assert "rolled back" not in result.stderr
            assert snapshot(work / origin.name) == expected, attempt
            outcomes.append("finished before the kill")
        else:
            result = run_cli(*run_args)
            assert result.exit_code == 0, (attempt, result.output)
            assert "edited" not in result.stderr and "uncommitted" not in result.stderr
            assert snapshot(work / origin.name) == expected, attempt
            outcomes.append("rerun")
        assert leftovers(work) == []
    print(f"\nSIGKILL loop: {outcomes}")
