"""Fetching a template from a zip or a git repository, within limits.

cookiecutter's own ``unzip`` and ``clone`` unpack whatever they are given
and wait for git as long as it takes. These replacements keep its rules
(a zip holds one top-level folder; a git source is cloned, then a ref is
checked out) and add bounds (:mod:`wfpgen.limits`):

- **Zip archives** are measured from their central directory before a byte
  is unpacked: number of files, each file's size, the total, and each
  entry's compression ratio; then each entry is copied in chunks, counting,
  so an entry whose directory record lies is stopped at the limit too.
  Names that are absolute or climb out (``..``) are refused.
- **Git**: a fresh repository fetches only the one commit wanted
  (``--depth 1``) when the server allows it, else its branches and tags;
  the ref is resolved with ``git rev-parse --verify --end-of-options
  REF^{commit}`` and that commit id is checked out. The tree's file count
  and sizes are checked (``git ls-tree``) before the checkout, the size of
  the transfer while it runs, and every git command has a time limit. Refs
  that start with ``-`` or are not valid ref names never reach git
  (:func:`check_ref`).
- **Signals**: git runs in a process group of its own, which is killed when
  the run is interrupted or a limit is reached.
"""

import contextlib
import os
import re
import signal
import stat
import subprocess
import tempfile
import time
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path, PurePosixPath
from typing import IO

from wfpgen.errors import Problem, SpecError
from wfpgen.limits import (
    CHUNK,
    GIT_TIMEOUT,
    MIB,
    TEMPLATE_BYTES,
    TEMPLATE_FILE_BYTES,
    TEMPLATE_FILES,
    ZIP_RATIO,
    Limit,
    amount,
)
from wfpgen.templating.source_errors import SOURCE_HINT

_ZIP_FOLDER_HINT = (
    "zip the template's folder itself, so the archive holds one folder with "
    "cookiecutter.json inside"
)
_REF_HINT = "check --checkout: `git ls-remote SOURCE` lists the branches and tags"
# Entries smaller than this are never refused for their ratio: a small file of
# spaces compresses far better than 100:1 and harms nobody.
_RATIO_FLOOR = MIB
_POLL = 0.1  # seconds between checks on a running git
_COMMIT_ID = re.compile(r"[0-9a-f]{4,64}")


class FetchError(Exception):
    """Fetching failed: the reason and a hint; the caller adds the source's name."""

    def __init__(self, reason: str, hint: str = SOURCE_HINT) -> None:
        super().__init__(reason)
        self.reason = reason
        self.hint = hint


def over_limit(what: str, limit: Limit) -> FetchError:
    """The error for an input that exceeds ``limit``."""
    return FetchError(
        f"{what} is larger than the limit of {limit.describe()}",
        "a wfpgen template is a few hundred kilobytes: is this the right source?",
    )


# ----------------------------------------------------------------------------- refs


def check_ref(ref: str, field: str) -> None:
    """Refuse a ref that git could take for an option, or that is no valid ref name.

    The rules are git's for ref names (``git check-ref-format --allow-onelevel``,
    https://git-scm.com/docs/git-check-ref-format); a commit id is also a
    valid name. ``field`` names where the value came from.

    Raises:
        SpecError: ``ref`` starts with ``-`` or breaks a rule.
    """
    why = ref_problem(ref)
    if why:
        raise SpecError(
            [Problem(field, f"{ref!r} is not a branch, tag or commit name: {why}", code="E145")]
        )


def check_commit(commit: str, field: str) -> None:
    """Refuse a recorded commit that is not a hexadecimal commit id.

    Raises:
        SpecError: ``commit`` is anything else.
    """
    if not _COMMIT_ID.fullmatch(commit):
        raise SpecError(
            [
                Problem(
                    field,
                    f"{commit!r} is not a commit id (4 to 64 hexadecimal digits)",
                    code="E146",
                )
            ]
        )


def ref_problem(ref: str) -> str:
    """Why ``ref`` is not an acceptable ref name; empty when it is one."""
    if not ref:
        return "it is empty"
    if ref.startswith("-"):
        return "it starts with '-', so git would take it for an option"
    if any(ord(c) < 0x20 or ord(c) == 0x7F or c in " ~^:?*[\\" for c in ref):
        return "it contains a space, a control character or one of ~ ^ : ? * [ \\"
    if ".." in ref or "@{" in ref or ref == "@":
        return "it contains '..' or '@{', or is '@'"
    if ref.startswith("/") or ref.endswith(("/", ".")) or "//" in ref:
        return "it starts or ends with '/', ends with '.', or has '//'"
    if any(part.startswith(".") or part.endswith(".lock") for part in ref.split("/")):
        return "a part starts with '.' or ends with '.lock'"
    return ""


# ----------------------------------------------------------------------------- zip


def unpack_zip(archive: Path, into: Path, *, password: str | None) -> Path:
    """Unpack ``archive`` into ``into``; return its top-level folder.

    Raises:
        FetchError: not a zip, no top-level folder, a bad name, a limit
            exceeded, or a wrong or missing password.
    """
    try:
        with zipfile.ZipFile(archive) as zipped:
            entries = zipped.infolist()
            top = _top_folder(entries)
            _check_directory(entries)
            pwd = password.encode("utf-8") if password is not None else None
            budget = TEMPLATE_BYTES.value()
            for entry in entries:
                budget -= _extract(zipped, entry, into, pwd, budget)
    except zipfile.BadZipFile as err:
        raise FetchError(
            "not a zip archive", "give a .zip archive of the template's folder"
        ) from err
    except (RuntimeError, NotImplementedError) as err:  # zipfile's password and method errors
        if "password" in str(err).lower() or "encrypted" in str(err).lower():
            raise FetchError(
                "the zip archive is password-protected and the password is missing or wrong",
                "set WFPGEN_ZIP_PASSWORD to its password",
            ) from err
        raise FetchError(f"cannot unpack the zip archive: {err}") from err
    return into / top


def _top_folder(entries: Sequence[zipfile.ZipInfo]) -> str:
    if not entries:
        raise FetchError("the zip archive is empty", _ZIP_FOLDER_HINT)
    first = entries[0].filename
    if not first.endswith("/"):
        raise FetchError("the zip archive has no top-level folder", _ZIP_FOLDER_HINT)
    return _safe_name(first)


def _check_directory(entries: Sequence[zipfile.ZipInfo]) -> None:
    """Every limit, from the zip's directory alone, before anything is unpacked."""
    if len(entries) > TEMPLATE_FILES.value():
        raise over_limit(f"the zip archive's list of {len(entries)} files", TEMPLATE_FILES)
    total = 0
    biggest = TEMPLATE_FILE_BYTES.value()
    ratio = ZIP_RATIO.value()
    for entry in entries:
        _safe_name(entry.filename)
        if entry.file_size > biggest:
            raise over_limit(
                f"{entry.filename} ({amount(entry.file_size, 'bytes')} unpacked)",
                TEMPLATE_FILE_BYTES,
            )
        if entry.file_size > _RATIO_FLOOR and entry.file_size > ratio * max(entry.compress_size, 1):
            packed = max(entry.compress_size, 1)
            raise FetchError(
                f"{entry.filename} unpacks to {entry.file_size // packed} times its packed size, "
                f"more than the limit of {ZIP_RATIO.describe()}",
                "an archive that expands this much is built to fill the disk; is this the "
                "right source?",
            )
        total += entry.file_size
    if total > TEMPLATE_BYTES.value():
        raise over_limit(f"the zip archive ({amount(total, 'bytes')} unpacked)", TEMPLATE_BYTES)


def _safe_name(name: str) -> str:
    """``name`` as a relative path inside the archive's folder, or an error."""
    posix = name.replace("\\", "/")
    path = PurePosixPath(posix)
    if path.is_absolute() or ".." in path.parts or re.match(r"^[A-Za-z]:", posix):
        raise FetchError(
            f"the zip archive names {name!r}, outside its folder",
            "the archive is damaged or hostile",
        )
    return posix.rstrip("/")


def _extract(
    zipped: zipfile.ZipFile, entry: zipfile.ZipInfo, into: Path, pwd: bytes | None, budget: int
) -> int:
    """Copy one entry to disk in chunks; return the bytes written, stopping at the limits."""
    target = into / _safe_name(entry.filename)
    if entry.is_dir():
        target.mkdir(parents=True, exist_ok=True)
        return 0
    target.parent.mkdir(parents=True, exist_ok=True)
    most = min(budget, TEMPLATE_FILE_BYTES.value(), entry.file_size)
    written = 0
    with zipped.open(entry, pwd=pwd) as source, target.open("wb") as sink:
        while chunk := source.read(CHUNK):
            written += len(chunk)
            if written > most:  # the directory record understated the size
                raise over_limit(f"{entry.filename} (unpacked)", TEMPLATE_FILE_BYTES)
            sink.write(chunk)
    mode = (entry.external_attr >> 16) & 0o777
    if mode & stat.S_IXUSR:
        target.chmod(target.stat().st_mode | stat.S_IXUSR)
    return written


def download(url: str, to: Path) -> None:
    """Download ``url`` into the file ``to``, stopping at the template size and time limits.

    Raises:
        FetchError: the download is too large or too slow, or the server refused it.
        OSError: requests' connection errors (explained by the caller).
    """
    import requests  # slow to import: only for a zip URL

    deadline = time.monotonic() + GIT_TIMEOUT.value()
    most = TEMPLATE_BYTES.value()
    size = 0
    with requests.get(url, stream=True, timeout=30) as response, to.open("wb") as sink:
        if response.status_code >= 400:
            raise FetchError(
                f"cannot download it: the server answered {response.status_code}",
                "check the URL",
            )
        for chunk in response.iter_content(chunk_size=CHUNK):
            size += len(chunk)
            if size > most:
                raise over_limit("the download", TEMPLATE_BYTES)
            if time.monotonic() > deadline:
                raise FetchError(
                    f"the download took longer than {GIT_TIMEOUT.describe()}",
                    "check the network connection",
                )
            sink.write(chunk)


# ----------------------------------------------------------------------------- git


def git_checkout(url: str, ref: str | None, into: Path) -> tuple[Path, str]:
    """A checkout of ``url`` at ``ref`` (default: the remote's HEAD) in ``into``.

    Returns the folder and the commit id checked out.

    Raises:
        FetchError: git failed, a ref is unknown, a limit was exceeded.
        subprocess.CalledProcessError: git could not fetch (explained by the caller).
    """
    repo = into / _repo_name(url)
    _git(["init", "-q", str(repo)], into)
    wanted = ref or "HEAD"
    shallow = ["fetch", "-q", "--depth", "1", "--no-tags", "--end-of-options", url, wanted]
    try:
        _git(shallow, repo, watch=repo / ".git")
        name = "FETCH_HEAD"
    except subprocess.CalledProcessError:
        if ref is None:
            raise
        # The server will not hand out that one commit, or the ref is an
        # abbreviated id: fetch every branch and tag, and resolve it here.
        every = [
            "fetch", "-q", "--no-tags", "--update-head-ok", "--end-of-options", url,
            "+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*",
        ]  # fmt: skip
        _git(every, repo, watch=repo / ".git")
        name = ref
    commit = resolve(repo, name, shown=ref)
    _check_tree(repo, commit)
    _git(["-c", "advice.detachedHead=false", "checkout", "-q", "--detach", commit, "--"], repo)
    return repo, commit


def remote_tags(url: str, repo: Path) -> tuple[str, ...]:
    """The names of the tags of the repository at ``url`` (``git ls-remote``, no history).

    At most TEMPLATE_FILES names are kept; a repository with more tags than a
    template has files is not a template's.

    Raises:
        FetchError: a limit was reached.
        subprocess.CalledProcessError: git could not list them.
    """
    most = TEMPLATE_FILES.value()
    names: list[str] = []
    with _output_file() as listing:
        _git(["ls-remote", "-q", "--tags", "--refs", "--end-of-options", url], repo, stdout=listing)
        listing.seek(0)
        for line in listing:
            _, _, ref = line.decode("utf-8", "replace").strip().partition("\t")
            if ref.startswith("refs/tags/"):
                names.append(ref.removeprefix("refs/tags/"))
            if len(names) >= most:
                break
    return tuple(names)


def resolve(repo: Path, ref: str, *, shown: str | None) -> str:
    """The commit id ``ref`` names in ``repo``.

    Raises:
        FetchError: no branch, tag or commit has that name.
    """
    try:
        out = _git(["rev-parse", "-q", "--verify", "--end-of-options", f"{ref}^{{commit}}"], repo)
    except subprocess.CalledProcessError as err:
        raise FetchError(f"no branch, tag or commit named {shown!r}", _REF_HINT) from err
    return out.strip()


def _repo_name(url: str) -> str:
    """The folder to clone into, named after the repository as cookiecutter names it."""
    name = url.rstrip("/").rsplit("/", 1)[-1].split(":")[-1].removesuffix(".git")
    return name if re.fullmatch(r"[\w.-]+", name) and name.strip(".") else "repository"


def _check_tree(repo: Path, commit: str) -> None:
    """The commit's file count and sizes against the limits, before anything is checked out."""
    most_files = TEMPLATE_FILES.value()
    biggest = TEMPLATE_FILE_BYTES.value()
    most = TEMPLATE_BYTES.value()
    count = total = 0
    with _output_file() as listing:
        _git(["ls-tree", "-r", "-l", "-z", "--full-tree", commit], repo, stdout=listing)
        listing.seek(0)
        for record in _records(listing):
            meta, _, path = record.partition(b"\t")
            size = meta.split()[-1] if meta else b"-"
            count += 1
            if count > most_files:
                raise over_limit(f"commit {commit[:12]}'s list of files", TEMPLATE_FILES)
            if size.isdigit():
                total += int(size)
                if int(size) > biggest:
                    where = path.decode("utf-8", "replace")
                    raise over_limit(f"{where} ({amount(int(size), 'bytes')})", TEMPLATE_FILE_BYTES)
    if total > most:
        raise over_limit(f"commit {commit[:12]} ({amount(total, 'bytes')})", TEMPLATE_BYTES)


def _records(stream: IO[bytes]) -> Iterator[bytes]:
    """NUL-terminated records of ``stream``, read in chunks."""
    rest = b""
    while chunk := stream.read(CHUNK):
        *done, rest = (rest + chunk).split(b"\0")
        yield from done
    if rest:
        yield rest


@contextlib.contextmanager
def _output_file() -> Iterator[IO[bytes]]:
    with tempfile.TemporaryFile() as file:
        yield file


def _git(
    args: Sequence[str],
    cwd: Path,
    *,
    watch: Path | None = None,
    stdout: IO[bytes] | None = None,
) -> str:
    """Run git with the time limit; stop it if the folder ``watch`` outgrows the size limit.

    Returns git's output (``stdout`` None) as text.

    Raises:
        FetchError: the time or size limit was reached; git was stopped.
        subprocess.CalledProcessError: git failed (``output`` holds what it said).
    """
    timeout = GIT_TIMEOUT.value()
    most = TEMPLATE_BYTES.value()
    # Never wait for a password on a terminal nobody watches (credential helpers
    # still work); no Git LFS downloads, which would bypass the size limits.
    environment = {
        **os.environ,
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_LFS_SKIP_SMUDGE": "1",
        "LC_ALL": "C",
    }
    command = ["git", *args]
    with _output_file() as said:
        sink = stdout if stdout is not None else said
        process = subprocess.Popen(
            command,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=sink,
            stderr=said if stdout is not None else subprocess.STDOUT,
            env=environment,
            # Its own process group: stopped as a whole (helpers too), and a
            # Ctrl-C reaches wfpgen, which stops it, rather than git alone.
            start_new_session=os.name == "posix",
            creationflags=getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0),
        )
        try:
            _wait(process, timeout, watch, most)
        finally:
            _stop(process)
        said.seek(0)
        output = said.read(CHUNK)
    if process.returncode != 0:
        raise subprocess.CalledProcessError(process.returncode, command, output)
    return output.decode("utf-8", "replace")


def _wait(process: "subprocess.Popen[bytes]", timeout: int, watch: Path | None, most: int) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            process.wait(_POLL)
            return
        except subprocess.TimeoutExpired:
            pass
        if time.monotonic() > deadline:
            raise FetchError(
                f"git took longer than {GIT_TIMEOUT.describe()}",
                "check the network connection and the source",
            )
        if watch is not None and _size(watch) > most:
            raise over_limit("the repository's download", TEMPLATE_BYTES)


def _size(folder: Path) -> int:
    total = 0
    for root, _dirs, files in os.walk(folder):
        for name in files:
            with contextlib.suppress(OSError):
                total += (Path(root) / name).lstat().st_size
    return total


def _stop(process: "subprocess.Popen[bytes]") -> None:
    """Kill git and its helpers if they still run (a limit, a signal); wait for them."""
    if process.poll() is None:
        with contextlib.suppress(OSError):
            if os.name == "posix":
                os.killpg(process.pid, signal.SIGKILL)
            else:
                process.kill()
    process.wait()
