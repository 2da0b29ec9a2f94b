"""Hostile inputs of any size: spec files, template zips and repositories, base records, refs.

Every run here is a real ``wfpgen`` process, most of them with their address
space capped at 300 MB (RLIMIT_AS): the issue's promise is that no command
uses more than about 300 MB or a minute on any input. Zips are built byte by
byte (a 4 GiB entry of zeros is 4 MB of repeated deflate blocks), git
repositories are real ones in temporary folders.
"""

import os
import re
import resource
import signal
import struct
import subprocess
import sys
import time
import tomllib
import zlib
from pathlib import Path

import pytest

from wfpgen.templating.fetching import ref_problem

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_AS, FIFOs, /dev/zero")

MIB = 1024 * 1024
MEMORY = 300 * MIB
# zlib.crc32 of 4095 MiB of zero bytes (computed once; 4 s to recompute).
CRC_4095_MIB_OF_ZEROS = 0x65D3537A


def wfpgen(
    *args: str | Path, cwd: Path, env: dict[str, str] | None = None, timeout: float = 120
) -> tuple[subprocess.CompletedProcess[str], float]:
    """Run wfpgen with 300 MB of address space; return the result and the seconds it took."""

    def cap_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))

    start = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "wfpgen", *map(str, args)],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=cap_memory,
        check=False,
    )
    return done, time.monotonic() - start


def one_line(done: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in done.stderr, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    return lines[0]


# --- zips, built by hand ------------------------------------------------------


def deflated_zeros(mib: int) -> bytes:
    """A raw deflate stream of ``mib`` MiB of zeros: one fully flushed block, repeated."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(bytes(MIB)) + compressor.flush(zlib.Z_FULL_FLUSH)
    return block * mib + compressor.flush(zlib.Z_FINISH)


def zeros_crc(mib: int) -> int:
    if mib == 4095:
        return CRC_4095_MIB_OF_ZEROS
    crc = 0
    for _ in range(mib):
        crc = zlib.crc32(bytes(MIB), crc)
    return crc


Entry = tuple[str, int, bytes, int, int]  # name, method (0 stored, 8 deflated), data, crc, size


def stored(name: str, data: bytes = b"") -> Entry:
    return (name, 0, data, zlib.crc32(data), len(data))


def zero_bomb(name: str, mib: int) -> Entry:
    return (name, 8, deflated_zeros(mib), zeros_crc(mib), mib * MIB)


def build_zip(path: Path, entries: list[Entry]) -> Path:
    """A zip (no zip64, sizes below 4 GiB) of ``entries``, exactly as given."""
    out = bytearray()
    central = bytearray()
    for name, method, data, crc, size in entries:
        encoded = name.encode()
        offset = len(out)
        mode = 0o40755 if name.endswith("/") else 0o100644
        out += struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0x21, crc, len(data), size,
            len(encoded), 0,
        ) + encoded + data  # fmt: skip
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, 0, 0x21, crc, len(data),
            size, len(encoded), 0, 0, 0, 0, mode << 16, offset,
        ) + encoded  # fmt: skip
    start = len(out)
    out += central
    out += struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central), start, 0
    )
    path.write_bytes(bytes(out))
    return path


def template_entries() -> list[Entry]:
    return [
        stored("t/"),
        stored("t/cookiecutter.json", b'{"project_slug": "x"}'),
        stored("t/{{cookiecutter.project_slug}}/"),
        stored("t/{{cookiecutter.project_slug}}/README.md", b"hello\n"),
    ]


def sources_left(cache: Path) -> list[Path]:
    folder = cache / "sources"
    return list(folder.iterdir()) if folder.is_dir() else []


def test_the_zip_bomb_is_really_one(tmp_path: Path) -> None:
    """The test's own zip: 4 MB that a plain unzip would expand to 4 GiB."""
    import zipfile

    bomb = build_zip(tmp_path / "bomb.zip", [*template_entries(), zero_bomb("t/big.bin", 4095)])
    assert bomb.stat().st_size < 5 * MIB
    with zipfile.ZipFile(bomb) as archive:
        info = archive.getinfo("t/big.bin")
        assert info.file_size == 4095 * MIB
        with archive.open(info) as member:
            assert member.read(MIB) == bytes(MIB)


def test_a_zip_bomb_is_refused_from_its_directory_quickly_with_little_memory(
    tmp_path: Path,
) -> None:
    bomb = build_zip(tmp_path / "bomb.zip", [*template_entries(), zero_bomb("t/big.bin", 4095)])
    done, seconds = wfpgen(
        "new", "--no-input", "--template", bomb, "-o", tmp_path / "o", cwd=tmp_path
    )
    assert done.returncode == 1
    assert one_line(done) == (
        f"error: template {bomb}: t/big.bin (4.0 GiB unpacked) is larger than the limit of "
        "20 MiB (set WFPGEN_MAX_TEMPLATE_FILE_BYTES to raise it); a wfpgen template is a few "
        "hundred kilobytes: is this the right source?"
    )
    assert seconds < 20
    assert not (tmp_path / "o").exists()
    assert sources_left(Path(os.environ["WFPGEN_CACHE_DIR"])) == []


def test_zip_limits_on_ratio_total_and_count(tmp_path: Path) -> None:
    many = [zero_bomb(f"t/part{i}.bin", 2) for i in range(60)]  # 120 MiB in 60 files
    archive = build_zip(tmp_path / "many.zip", [*template_entries(), *many])
    args = ("new", "--no-input", "--template", archive, "-o", tmp_path / "o")

    done, _ = wfpgen(*args, cwd=tmp_path)
    assert done.returncode == 1
    assert "more than the limit of 100:1 (set WFPGEN_MAX_ZIP_RATIO to raise it)" in one_line(done)

    done, _ = wfpgen(*args, cwd=tmp_path, env={"WFPGEN_MAX_ZIP_RATIO": "10000"})
    assert done.returncode == 1
    assert (
        "(120.0 MiB unpacked) is larger than the limit of 100 MiB (set WFPGEN_MAX_TEMPLATE_BYTES"
        in one_line(done)
    )

    done, _ = wfpgen(*args, cwd=tmp_path, env={"WFPGEN_MAX_TEMPLATE_FILES": "10"})
    assert done.returncode == 1
    assert "list of 64 files is larger than the limit of 10 files" in one_line(done)

    done, _ = wfpgen(*args, cwd=tmp_path, env={"WFPGEN_MAX_TEMPLATE_FILES": "ten"})
    assert done.returncode == 2
    assert (
        one_line(done)
        == "error: WFPGEN_MAX_TEMPLATE_FILES: expected a positive whole number, not 'ten'"
    )
    assert not (tmp_path / "o").exists()


def test_a_zip_naming_a_path_outside_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    archive = build_zip(
        tmp_path / "climb.zip", [*template_entries(), stored("t/../../escaped.txt", b"x")]
    )
    done, _ = wfpgen("new", "--no-input", "--template", archive, "-o", tmp_path / "o", cwd=tmp_path)
    assert done.returncode == 1
    assert "names 't/../../escaped.txt', outside its folder" in one_line(done)
    assert not list(tmp_path.rglob("escaped.txt"))


# --- spec files ------------------------------------------------------------------


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_an_endless_config_stops_at_the_limit(tmp_path: Path, device: str) -> None:
    done, seconds = wfpgen(
        "new", "--config", device, "--no-input", "-o", tmp_path / "o", cwd=tmp_path
    )
    assert done.returncode == 2
    assert one_line(done) == (
        f"error: E104 --config {device}: larger than 1 MiB (set WFPGEN_MAX_SPEC_BYTES to raise it); "
        "a spec is a few kilobytes: is it the right file?"
    )
    assert seconds < 20
    done, _ = wfpgen("validate", device, cwd=tmp_path, env={"WFPGEN_MAX_SPEC_BYTES": "100"})
    assert done.returncode == 2
    assert "larger than 100 bytes" in one_line(done)


def wait_until_blocked_on_a_pipe(pid: int) -> None:
    """Until the process waits in the kernel on a FIFO (Linux's /proc), or 60 s."""
    wchan = Path(f"/proc/{pid}/wchan")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with pytest.raises(OSError) if not wchan.exists() else _nothing():
            if re.search(r"fifo|pipe|partner", wchan.read_text()):
                return
        time.sleep(0.02)
    pytest.fail("wfpgen never waited on the FIFO")


class _nothing:  # noqa: N801  (a null context manager that reads like pytest.raises)
    def __enter__(self) -> None:
        return None

    def __exit__(self, *_: object) -> None:
        return None


@pytest.mark.skipif(not Path("/proc/self/wchan").exists(), reason="needs Linux /proc")
@pytest.mark.parametrize("writer", [False, True])
def test_sigterm_stops_a_config_read_that_waits(tmp_path: Path, writer: bool) -> None:
    """A FIFO with no writer (open waits) or a silent one (read waits): SIGTERM ends the run."""
    fifo = tmp_path / "spec.toml"
    os.mkfifo(fifo)
    process = subprocess.Popen(
        [sys.executable, "-m", "wfpgen", "new", "--config", fifo, "--no-input", "--json",
         "-o", tmp_path / "o"],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    held = os.open(fifo, os.O_WRONLY) if writer else None  # opens once wfpgen opens it
    try:
        if held is not None:
            os.write(held, b"[driver]\n")
        wait_until_blocked_on_a_pipe(process.pid)
        start = time.monotonic()
        process.send_signal(signal.SIGTERM)
        stdout, stderr = process.communicate(timeout=30)
    finally:
        if held is not None:
            os.close(held)
    assert time.monotonic() - start < 10
    assert process.returncode == 128 + signal.SIGTERM, stderr
    assert stderr.splitlines() == ["error: interrupted; nothing was written"]
    assert '"exit_code": 143' in stdout
    assert not (tmp_path / "o").exists()


# --- the base record -------------------------------------------------------------


def project_with_record(tmp_path: Path) -> Path:
    done, _ = wfpgen("new", "--no-input", "--name", "Drv", tmp_path / "P", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return tmp_path / "P"


def rebuild_record(project: Path, extra: list[Entry]) -> None:
    """The record's archive with the same files, stored, plus ``extra``."""
    import zipfile

    archive = project / ".wfpgen" / "base.zip"
    with zipfile.ZipFile(archive) as zipped:
        kept = [stored(name, zipped.read(name)) for name in zipped.namelist()]
    build_zip(archive, [*kept, *extra])


def test_a_huge_entry_appended_to_the_record_is_refused_unread(tmp_path: Path) -> None:
    project = project_with_record(tmp_path)
    rebuild_record(project, [zero_bomb("driver/huge.c", 2048)])
    before = {p: p.read_bytes() for p in project.rglob("*") if p.is_file()}
    for command in ("diff", "check", "update"):
        done, seconds = wfpgen(command, project, cwd=tmp_path)
        assert done.returncode == 1, (command, done.stderr)
        assert one_line(done) == (
            f"error: {project / '.wfpgen' / 'base.zip'} holds 2.0 GiB, more than 64 MiB (set "
            f"WFPGEN_MAX_RECORD_BYTES to raise it); restore {project / '.wfpgen'} from version control"
        )
        assert seconds < 20
    assert {p: p.read_bytes() for p in project.rglob("*") if p.is_file()} == before


def test_a_record_with_too_many_files_is_refused(tmp_path: Path) -> None:
    project = project_with_record(tmp_path)
    done, _ = wfpgen("check", project, cwd=tmp_path, env={"WFPGEN_MAX_RECORD_FILES": "3"})
    assert done.returncode == 1
    assert "more than 3 files (set WFPGEN_MAX_RECORD_FILES to raise it)" in one_line(done)
    done, _ = wfpgen("check", project, cwd=tmp_path)
    assert done.returncode == 0, done.stderr


# --- git sources -----------------------------------------------------------------


@pytest.fixture
def git_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in ("GIT_AUTHOR", "GIT_COMMITTER"):
        monkeypatch.setenv(f"{key}_NAME", "Template Team")
        monkeypatch.setenv(f"{key}_EMAIL", "team@example.com")
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "init.defaultBranch=main", *args],
        cwd=repo, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return done.stdout.strip()


@pytest.fixture
def template_repo(tmp_path: Path, git_env: None) -> Path:  # noqa: ARG001
    repo = tmp_path / "repo"
    (repo / "{{cookiecutter.project_slug}}").mkdir(parents=True)
    (repo / "cookiecutter.json").write_text('{"project_slug": "x"}')
    (repo / "{{cookiecutter.project_slug}}" / "big.txt").write_bytes(b"x" * 5000)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "v1")
    git(repo, "tag", "v1")
    return repo


def test_a_repository_over_the_limits_is_refused_before_checkout(
    tmp_path: Path, template_repo: Path
) -> None:
    source = f"file://{template_repo}"
    args = ("new", "--no-input", "--template", source, "-o", tmp_path / "o")
    done, _ = wfpgen(*args, cwd=tmp_path, env={"WFPGEN_MAX_TEMPLATE_FILE_BYTES": "4000"})
    assert done.returncode == 1
    assert one_line(done) == (
        f"error: template {source}: {{{{cookiecutter.project_slug}}}}/big.txt (5000 bytes) is "
        "larger than the limit of 4000 bytes (set WFPGEN_MAX_TEMPLATE_FILE_BYTES to raise it); "
        "a wfpgen template is a few hundred kilobytes: is this the right source?"
    )
    done, _ = wfpgen(*args, cwd=tmp_path, env={"WFPGEN_MAX_TEMPLATE_FILES": "1"})
    assert done.returncode == 1
    assert "list of files is larger than the limit of 1 files" in one_line(done)
    assert not (tmp_path / "o").exists()
    assert sources_left(Path(os.environ["WFPGEN_CACHE_DIR"])) == []


def test_a_git_command_that_hangs_is_stopped_at_the_time_limit(tmp_path: Path) -> None:
    """ssh that never answers: git and its helper are killed after WFPGEN_GIT_TIMEOUT."""
    marker = "37.123"  # a sleep nobody else runs
    env = {"GIT_SSH_COMMAND": f"sleep {marker} #", "WFPGEN_GIT_TIMEOUT": "2"}
    source = "ssh://git.example.invalid/team/template.git"
    done, seconds = wfpgen(
        "new", "--no-input", "--template", source, "-o", tmp_path / "o", cwd=tmp_path, env=env
    )
    assert done.returncode == 1
    assert one_line(done) == (
        f"error: template {source}: git took longer than 2 seconds (set WFPGEN_GIT_TIMEOUT to "
        "raise it); check the network connection and the source"
    )
    assert seconds < 30
    still = [cmdline for cmdline in command_lines() if marker in cmdline]
    assert still == []


def command_lines() -> list[str]:
    """The command line of every process (Linux /proc; empty elsewhere)."""
    lines = []
    for process in Path("/proc").glob("[0-9]*"):
        try:
            lines.append(process.joinpath("cmdline").read_bytes().decode(errors="replace"))
        except OSError:
            continue  # it ended meanwhile
    return lines


# --- refs that git could take for options -------------------------------------------


@pytest.mark.parametrize(
    "ref", ["-f", "--upload-pack=touch pwned", "-", "main..v1", "a b", "v1^", "@", "x.lock", ".x"]
)
def test_an_option_like_or_invalid_checkout_is_refused_and_nothing_recorded(
    tmp_path: Path, template_repo: Path, ref: str
) -> None:
    source = f"file://{template_repo}"
    done, _ = wfpgen(
        "new", "--no-input", "--template", source, "--checkout", ref, "-o", tmp_path / "o",
        cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 2
    assert one_line(done).startswith(
        f"error: E145 --checkout: {ref!r} is not a branch, tag or commit name: "
    )
    assert not (tmp_path / "o").exists()
    assert not list(tmp_path.rglob("pwned"))


def test_a_recorded_ref_that_git_could_take_for_an_option_is_refused(
    tmp_path: Path, template_repo: Path
) -> None:
    source = f"file://{template_repo}"
    done, _ = wfpgen(
        "new",
        "--no-input",
        "--template",
        source,
        "--checkout",
        "v1",
        "-o",
        tmp_path / "o",
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    (project,) = (tmp_path / "o").iterdir()
    answers = project / "wfpgen.toml"
    assert tomllib.loads(answers.read_text())["template"]["checkout"] == "v1"
    text = answers.read_text()
    for field, bad in (("checkout", "--upload-pack=touch pwned"), ("commit", "-f")):
        original = re.search(rf'^{field} = "[^"]*"$', text, re.MULTILINE)
        assert original is not None
        answers.write_text(text.replace(original.group(0), f'{field} = "{bad}"'))
        commands = [("new", "--config", answers, "-o", tmp_path / "again")]
        if field == "checkout":  # update takes the newest commit of the ref: never the recorded one
            commands.append(("update", project))
        for args in commands:
            done, _ = wfpgen(*args, cwd=tmp_path)
            assert done.returncode == 2, (args, done.stderr)
            assert f"template.{field}: '{bad}'" in done.stderr
            assert "Traceback" not in done.stderr
    assert not list(tmp_path.rglob("pwned"))
    assert not (tmp_path / "again").exists()


def test_refs_are_checked_by_gits_own_rules() -> None:
    """Every verdict of ref_problem agrees with ``git check-ref-format --allow-onelevel``."""
    names = [
        "main", "v1.0", "feature/x", "release/2024-01", "a..b", "a b", "a~1", "a^", "a:b",
        "a?", "a*", "a[b", "a\\b", "/a", "a/", "a//b", "a.", "a.lock", "a/.b", ".a", "@",
        "a@{1}", "a@b", "x\x01", "+main", "HEAD", "0123abcd", "é", "a/b.lock/c", "a/.lock",
    ]  # fmt: skip
    for name in names:
        gits = subprocess.run(
            ["git", "check-ref-format", "--allow-onelevel", name], capture_output=True, check=False
        ).returncode == 0  # fmt: skip
        assert (ref_problem(name) == "") == gits, name
    assert ref_problem("-f") and ref_problem("--upload-pack=x") and ref_problem("")


# --- the compiled-template cache -----------------------------------------------------


def test_the_template_cache_keeps_to_its_size_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Least recently used entries go first once the cache outgrows WFPGEN_MAX_CACHE_BYTES."""
    from wfpgen.templating.render import render_files

    cache = tmp_path / "cache"
    monkeypatch.setenv("WFPGEN_CACHE_DIR", str(cache))
    template = tmp_path / "t"
    (template / "{{cookiecutter.project_slug}}").mkdir(parents=True)
    (template / "cookiecutter.json").write_text('{"project_slug": "p"}')
    page = "{% for i in range(3) %}{{ i }} " + "x" * 4000 + "{% endfor %}\n"
    for i in range(6):
        (template / "{{cookiecutter.project_slug}}" / f"f{i}.txt").write_text(f"{i}{page}")
    render_files(template, {"project_slug": "p"})
    entries = list((cache / "templates").glob("*.jbc"))
    total = sum(p.stat().st_size for p in entries)
    assert len(entries) >= 6
    room = total // 2
    monkeypatch.setenv("WFPGEN_MAX_CACHE_BYTES", str(room))
    (template / "{{cookiecutter.project_slug}}" / "f0.txt").write_text(f"new{page}")
    render_files(template, {"project_slug": "p"})  # a new entry: the cache is pruned
    left = list((cache / "templates").glob("*.jbc"))
    assert sum(p.stat().st_size for p in left) <= room
    assert 0 < len(left) < len(entries)


def test_a_huge_file_at_a_generated_path_is_refused_unread(tmp_path: Path) -> None:
    """A pull request that makes driver/driver.c 2 GiB (sparse): diff and check stop at once."""
    project = project_with_record(tmp_path)
    huge = next(project.glob("driver/*.c"))
    with huge.open("r+b") as file:
        file.truncate(2 * 1024 * MIB)
    for command in ("diff", "update"):  # check compares renders, not files
        done, seconds = wfpgen(command, project, cwd=tmp_path)
        assert done.returncode == 1, (command, done.stderr)
        assert one_line(done) == (
            f"error: {huge} is larger than 64 MiB (set WFPGEN_MAX_RECORD_BYTES to raise it); "
            "wfpgen never generated a file that large: move it aside"
        )
        assert seconds < 20


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_during_a_git_fetch_stops_git_too(tmp_path: Path, signum: int) -> None:
    marker = f"41.{signum}77"
    env = {**os.environ, "GIT_SSH_COMMAND": f"sleep {marker} #"}
    process = subprocess.Popen(
        [sys.executable, "-m", "wfpgen", "new", "--no-input", "--json", "--template",
         "ssh://git.example.invalid/t.git", "-o", tmp_path / "o"],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while not any(marker in line for line in command_lines()):
        assert time.monotonic() < deadline and process.poll() is None, "git never started"
        time.sleep(0.05)
    process.send_signal(signum)
    stdout, stderr = process.communicate(timeout=30)
    assert process.returncode == 128 + signum, stderr
    assert stderr.splitlines() == ["error: interrupted; nothing was written"]
    assert f'"exit_code": {128 + signum}' in stdout
    time.sleep(0.2)
    assert not any(marker in line for line in command_lines())
