"""Real file-system faults: a full disk and a read-only mount, on small tmpfs mounts.

Mounting needs root (or CAP_SYS_ADMIN); elsewhere these tests are skipped with
the reason. A full disk is made by filling the mount up to a chosen number of
free bytes, so the run into it fails at a different step each time: while
rendering into staging, while moving files into place, or not at all. Every
time the destination must hold either exactly what it held before or exactly
the new project, and nothing may be left beside it.
"""

import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import RunCli
from tests.test_property import wfpgen
from tests.test_transaction import leftovers, snapshot


def _mount(folder: Path, options: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    if shutil.which("mount") is None or os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root and mount(8): no full-disk test here")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip()}): no full-disk test")


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 1 MiB tmpfs, unmounted afterwards."""
    folder = tmp_path / "disk"
    _mount(folder, "size=1m,mode=0755")
    yield folder
    subprocess.run(["umount", "-l", str(folder)], check=False)


@pytest.fixture
def read_only_disk(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "ro"
    _mount(folder, "ro,size=64k")
    yield folder
    subprocess.run(["umount", "-l", str(folder)], check=False)


def fill(disk: Path, leave: int) -> Path:
    """Fill ``disk`` until only about ``leave`` bytes are free; return the filler file."""
    filler = disk / "filler"
    with filler.open("wb") as out:
        free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
        out.write(b"\0" * max(free - leave, 0))
    return filler


def spec_file(folder: Path, description: str) -> Path:
    """A spec with fixed keys, so two runs give comparable trees.

    Without tests/ (the simulation): old project, staging and new project must
    fit the 1 MiB disk together.
    """
    guid = lambda n: str(uuid.UUID(int=n + (0xFEED << 64)))  # noqa: E731
    path = folder / f"{description}.toml"
    path.write_text(
        f'[driver]\nname = "Full"\ndescription = "{description}"\ntests = false\n'
        f'[provider]\nguid = "{guid(1)}"\n[sublayer]\nguid = "{guid(2)}"\n'
        f'[[callouts]]\nname = "Connect"\nlayer = "ALE_AUTH_CONNECT_V4"\nguid = "{guid(3)}"\n'
        f'[[callouts]]\nname = "Stream"\nlayer = "STREAM_V4"\nguid = "{guid(4)}"\n',
        encoding="utf-8",
    )
    return path


def test_a_full_disk_at_any_step_leaves_old_or_new_never_a_mix(
    small_disk: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    old_spec, new_spec = spec_file(tmp_path, "old"), spec_file(tmp_path, "new")
    reference = tmp_path / "reference" / "Full"
    assert run_cli("new", "--config", new_spec, "--no-input", reference).exit_code == 0
    new_tree = snapshot(reference)
    target = small_disk / "Full"
    outcomes = []
    for leave in (0, 4096, 16384, 32768, 65536, 131072, 262144, 524288):
        shutil.rmtree(target, ignore_errors=True)
        assert run_cli("new", "--config", old_spec, "--no-input", target).exit_code == 0
        # A file of the user's own: --force refuses edited generated files (update keeps them).
        (target / "NOTES.txt").write_text("the user's notes\n")
        before = snapshot(target)
        filler = fill(small_disk, leave)
        code, _, stderr = wfpgen("new", "--config", new_spec, "--no-input", "--force", target)
        after = snapshot(target)
        filler.unlink()
        if code == 0:
            expected = {**new_tree, "NOTES.txt": before["NOTES.txt"]}
            assert after == expected, f"leave={leave}: --force succeeded with a different tree"
        else:
            assert code == 1, stderr
            assert "No space left on device" in stderr, stderr
            assert "nothing was changed" in stderr or "nothing was written" in stderr, stderr
            assert after == before, f"leave={leave}: a failed run changed the project"
        assert leftovers(small_disk) == [], f"leave={leave}"
        assert sorted(p.name for p in small_disk.iterdir()) == ["Full"]
        outcomes.append(code)
    assert 1 in outcomes, "the disk was never full enough to fail"
    assert 0 in outcomes, "the disk was never free enough to succeed"


def test_a_full_disk_for_a_new_project_writes_nothing(small_disk: Path) -> None:
    fill(small_disk, 0)
    code, _, stderr = wfpgen("new", "--no-input", small_disk / "P")
    assert code == 1
    # The signed journal is the first thing written, so the disk may be full already then.
    assert stderr.splitlines()[-1].startswith(("error: writing ", "error: cannot write in "))
    assert "No space left on device" in stderr
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler"]


def test_a_read_only_mount_gets_a_message_and_writes_nothing(read_only_disk: Path) -> None:
    code, stdout, stderr = wfpgen("new", "--no-input", "--json", read_only_disk / "P")
    assert code == 1
    assert "Read-only file system; nothing was written" in stderr.splitlines()[-1]
    assert stdout.startswith("{") and '"ok": false' in stdout
    assert list(read_only_disk.iterdir()) == []
