"""The destination writer: all or nothing, one run at a time, nothing left behind.

Failures are injected for real: a rename that fails at each step of a
commit, a process killed in the middle of one, SIGTERM at random moments
of a real `wfpgen new` subprocess, and eight runs racing for one folder.
"""

import hashlib
import multiprocessing
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import RunCli
from wfpgen.lifecycle.locking import LOCK_SUFFIX, DestinationBusyError, FolderLock
from wfpgen.lifecycle.transaction import (
    STAGE_MARK,
    DestinationTransaction,
    DestinationWriteError,
    reporting_notes,
)


def snapshot(root: Path) -> dict[str, str]:
    """Every file and folder below ``root`` with a digest of its bytes."""
    if not root.exists():
        return {}
    return {
        p.relative_to(root).as_posix(): (
            hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "<dir>"
        )
        for p in sorted(root.rglob("*"))
    }


def leftovers(parent: Path) -> list[str]:
    """Staging folders and lock files a transaction might leave beside its target."""
    return sorted(p.name for p in parent.iterdir() if STAGE_MARK in p.name or LOCK_SUFFIX in p.name)


def existing_project(root: Path) -> Path:
    """A project with user edits and a file of the user's own."""
    target = root / "proj"
    (target / "driver").mkdir(parents=True)
    (target / "driver" / "classify.c").write_text("/* the user's logic */\n")
    (target / "driver" / "flow.c").write_text("old flow\n")
    (target / "README.md").write_text("old readme\n")
    (target / "NOTES.txt").write_text("mine\n")
    return target


def staged(tx: DestinationTransaction, files: dict[str, str]) -> Path:
    source = tx.scratch / "project"
    for name, text in files.items():
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_text(text)
    return source


NEW_FILES = {
    "README.md": "new readme\n",
    "driver/classify.c": "new classify\n",
    "driver/notify.c": "new notify\n",
    "scripts/install.ps1": "install\n",
}


def test_commit_replaces_adds_and_deletes_and_keeps_the_rest(tmp_path: Path) -> None:
    target = existing_project(tmp_path)
    with DestinationTransaction(target) as tx:
        tx.commit(staged(tx, NEW_FILES), list(NEW_FILES), delete=["driver/flow.c"])
    assert (target / "driver" / "classify.c").read_text() == "new classify\n"
    assert (target / "scripts" / "install.ps1").read_text() == "install\n"
    assert not (target / "driver" / "flow.c").exists()
    assert (target / "NOTES.txt").read_text() == "mine\n"
    assert leftovers(tmp_path) == []


def test_a_new_folder_is_created_whole_with_its_parents(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "proj"
    with DestinationTransaction(target) as tx:
        tx.commit(staged(tx, NEW_FILES), list(NEW_FILES))
    assert snapshot(target)["driver/notify.c"]
    assert leftovers(target.parent) == []


def test_a_failure_before_commit_removes_the_parents_it_created(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "proj"
    with pytest.raises(RuntimeError), DestinationTransaction(target):
        raise RuntimeError("render failed")
    assert list(tmp_path.iterdir()) == []


class FailingRename:
    """A Path.rename that fails (or kills the process) at its Nth call."""

    def __init__(self, fail_at: int, action: Callable[[], None]) -> None:
        self.calls = 0
        self.fail_at = fail_at
        self.action = action
        real = Path.rename

        def rename(path: Path, target: str | os.PathLike[str]) -> Path:
            self.calls += 1
            if self.calls == self.fail_at:
                self.action()
            return real(path, target)

        self.rename = rename


def disk_full() -> None:
    raise OSError(28, "No space left on device")


def count_renames(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    target = existing_project(tmp_path / "probe")
    counter = FailingRename(0, lambda: None)
    monkeypatch.setattr(Path, "rename", counter.rename)
    with DestinationTransaction(target) as tx:
        source = staged(tx, NEW_FILES)
        counter.calls = 0
        tx.commit(source, list(NEW_FILES), delete=["driver/flow.c"])
    monkeypatch.undo()
    return counter.calls


def test_a_failing_move_at_every_step_leaves_the_folder_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    steps = count_renames(tmp_path, monkeypatch)
    assert steps >= 7  # one move aside and one into place per file, and the delete
    for step in range(1, steps + 1):
        target = existing_project(tmp_path / f"step{step}")
        before = snapshot(target)
        failing = FailingRename(0, disk_full)
        with (
            pytest.raises(DestinationWriteError, match="No space left"),
            DestinationTransaction(target) as tx,
        ):
            source = staged(tx, NEW_FILES)
            failing.fail_at = step
            monkeypatch.setattr(Path, "rename", failing.rename)
            tx.commit(source, list(NEW_FILES), delete=["driver/flow.c"])
        monkeypatch.undo()
        assert snapshot(target) == before, f"step {step}"
        assert leftovers(target.parent) == []


def _killed_commit(target: Path, step: int) -> None:
    failing = FailingRename(0, lambda: os._exit(9))
    with DestinationTransaction(target) as tx:
        source = staged(tx, NEW_FILES)
        failing.fail_at = step
        Path.rename = failing.rename  # type: ignore[method-assign]
        tx.commit(source, list(NEW_FILES), delete=["driver/flow.c"])


def killed_mid_commit(target: Path, step: int) -> None:
    child = multiprocessing.get_context("fork").Process(target=_killed_commit, args=(target, step))
    child.start()
    child.join()
    assert child.exitcode == 9
    assert any(STAGE_MARK in p.name for p in target.parent.iterdir())


@pytest.mark.skipif(sys.platform == "win32", reason="needs fork")
def test_the_next_run_rolls_back_a_run_killed_mid_commit(tmp_path: Path) -> None:
    for step in (2, 4, 7):
        target = existing_project(tmp_path / f"kill{step}")
        before = snapshot(target)
        killed_mid_commit(target, step)
        notes: list[str] = []
        with reporting_notes(notes.append), DestinationTransaction(target):
            # Rolled back before the run goes on: it sees the folder as it was.
            assert snapshot(target) == before, f"step {step}"
        assert len(notes) == 1, notes
        assert "interrupted; its half-done changes were rolled back" in notes[0]
        assert snapshot(target) == before, f"step {step}"
        assert leftovers(target.parent) == []


@pytest.mark.skipif(sys.platform == "win32", reason="needs fork")
def test_work_done_after_a_killed_run_is_never_rolled_back(tmp_path: Path) -> None:
    target = existing_project(tmp_path)
    killed_mid_commit(target, 7)  # README.md and classify.c are in place by then
    (target / "driver" / "classify.c").write_text("/* logic written after the crash */\n")
    after = snapshot(target)
    with (
        pytest.raises(DestinationWriteError, match=r"changed since: driver/classify\.c"),
        DestinationTransaction(target),
    ):
        pass
    assert snapshot(target) == after
    kept = next(p for p in tmp_path.iterdir() if STAGE_MARK in p.name) / "kept"
    assert (kept / "driver" / "classify.c").read_text() == "/* the user's logic */\n"


def test_a_folder_where_a_file_goes_is_refused_before_anything_moves(tmp_path: Path) -> None:
    target = existing_project(tmp_path)
    (target / "scripts" / "install.ps1").mkdir(parents=True)
    before = snapshot(target)
    with (
        pytest.raises(DestinationWriteError, match="is a folder where wfpgen writes a file"),
        DestinationTransaction(target) as tx,
    ):
        tx.commit(staged(tx, NEW_FILES), list(NEW_FILES))
    assert snapshot(target) == before
    assert leftovers(tmp_path) == []


def test_a_second_holder_of_the_lock_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "proj"
    with FolderLock(target), pytest.raises(DestinationBusyError, match="another wfpgen run"):
        FolderLock(target).acquire()
    with FolderLock(target):
        pass  # free again once released
    assert leftovers(tmp_path) == []


# --- the real command line ---------------------------------------------------


def wfpgen(*args: str | Path, cwd: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "HOME": str(cwd), "CI": "true"}
    return subprocess.Popen(
        [sys.executable, "-m", "wfpgen", *map(str, args)],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def test_force_over_a_folder_in_the_way_changes_nothing(run_cli: RunCli, tmp_path: Path) -> None:
    target = tmp_path / "P"
    assert run_cli("new", "--no-input", target).exit_code == 0
    (target / "README.md").unlink()
    (target / "README.md").mkdir()
    (target / "README.md" / "notes.txt").write_text("mine\n")
    before = snapshot(target)
    result = run_cli("new", "--no-input", "--force", "--config", target / "wfpgen.toml", target)
    assert result.exit_code == 1, result.stderr
    assert "README.md is a folder where wfpgen writes a file" in result.stderr
    assert snapshot(target) == before
    assert leftovers(tmp_path) == []


def test_force_never_overwrites_a_file_wfpgen_did_not_generate(
    run_cli: RunCli, tmp_path: Path
) -> None:
    target = tmp_path / "P"
    assert run_cli("new", "--no-input", target).exit_code == 0
    spec = (target / "wfpgen.toml").read_text()
    (target / "driver" / "redirect.c").write_text("/* the user's own redirect.c */\n")
    redirect = '[[callouts]]\nname = "Redir"\nlayer = "ALE_CONNECT_REDIRECT_V4"\n'
    (tmp_path / "spec.toml").write_text(spec + "\n" + redirect)
    before = snapshot(target)
    result = run_cli("new", "--no-input", "--force", "--config", tmp_path / "spec.toml", target)
    assert result.exit_code == 3, result.stderr
    assert "no record of generating: driver/redirect.c" in result.stderr
    assert snapshot(target) == before
    # A folder with no record at all: every file that would be replaced is listed.
    bare = tmp_path / "bare"
    bare.mkdir()
    (bare / "README.md").write_text("my readme\n")
    result = run_cli("new", "--no-input", "--force", bare)
    assert result.exit_code == 3
    assert "no record of generating: README.md" in result.stderr
    assert (bare / "README.md").read_text() == "my readme\n"


@pytest.fixture
def two_projects(tmp_path: Path, run_cli: RunCli) -> Iterator[tuple[Path, dict[str, str]]]:
    """A spec with fixed GUIDs, and the tree a --force regeneration under a new name gives."""
    first = tmp_path / "first"
    assert run_cli("new", "--no-input", "--name", "OldName", first).exit_code == 0
    spec = tmp_path / "spec.toml"
    spec.write_bytes((first / "wfpgen.toml").read_bytes())
    new = tmp_path / "new"
    assert run_cli("new", "--config", spec, "--no-input", "--name", "NewName", new).exit_code == 0
    yield spec, snapshot(new)


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_sigterm_at_random_moments_leaves_old_or_new_never_a_mix(
    tmp_path: Path, run_cli: RunCli, two_projects: tuple[Path, dict[str, str]]
) -> None:
    spec, new = two_projects
    rng = random.Random(1234)
    outcomes = set()
    for attempt in range(10):
        target = tmp_path / f"t{attempt}"
        assert run_cli("new", "--config", spec, "--no-input", target).exit_code == 0
        old = snapshot(target)
        expected_new = {**old, **new}  # --force keeps files only the old project had
        process = wfpgen(
            "new", "-c", spec, "--no-input", "--force", "-n", "NewName", target, cwd=tmp_path
        )
        time.sleep(rng.uniform(0.0, 1.2))
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=60)
        state = snapshot(target)
        assert state in (old, expected_new), (process.returncode, stderr.decode())
        outcomes.add("new" if state == expected_new else "old")
        if process.returncode == 0 or b"was written in full" in stderr:
            # Finished, or the signal came after the commit and the run said so.
            assert state == expected_new, stderr.decode()
        elif process.returncode > 0:
            assert process.returncode == 128 + signal.SIGTERM, stderr.decode()
            assert b"interrupted; nothing was written" in stderr
            assert state == old
        else:
            # No handler yet (Python starting) or any more (Python shutting down).
            assert process.returncode == -signal.SIGTERM
        assert leftovers(tmp_path) == []
    assert outcomes, "no run finished"


@pytest.mark.slow
def test_concurrent_runs_into_one_folder_one_wins(tmp_path: Path) -> None:
    target = tmp_path / "shared"
    runs = [
        wfpgen("new", "--no-input", "--name", f"Driver{i}", target, cwd=tmp_path) for i in range(8)
    ]
    results = [(p.wait(timeout=120), p.stderr.read().decode()) for p in runs if p.stderr]
    winners = [i for i, (code, _) in enumerate(results) if code == 0]
    assert len(winners) == 1, results
    for code, stderr in results:
        assert code in (0, 1, 3), stderr
        if code == 1:
            assert "another wfpgen run is working on" in stderr
        if code == 3:
            assert "is not empty" in stderr
    answers = (target / "wfpgen.toml").read_text()
    assert f'name = "Driver{winners[0]}"' in answers
    assert all(f"Driver{i}" not in answers for i in range(8) if i != winners[0])
    assert leftovers(tmp_path) == []
