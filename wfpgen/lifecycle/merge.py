"""Three-way merges of single files with ``git merge-file``, keeping line endings and encoding.

The merge itself is git's (``git merge-file``, the xdiff merge behind
``git merge``): git is on every machine that builds these projects and in
every CI, and an update presumes a git work tree anyway. wfpgen only gets the
three versions into a form git merges well and the result back into the
file's own form:

- text is compared and merged with LF line ends, so a file git checked out
  with CRLF (``text=auto`` on Windows) is not a change, and the result gets
  the line ends of the user's copy back;
- UTF-16 (INF files may be UTF-16LE with a BOM) and UTF-8 with a BOM are
  decoded first and encoded back; an INF file that is no longer ASCII
  becomes UTF-16LE with a BOM, the encodings the INF tools accept;
- files that are not text are never merged: they are equal or in conflict.
"""

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from wfpgen.errors import WfpgenError

INF_SUFFIXES = frozenset({".inf", ".inx"})
_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


class MergeToolError(WfpgenError):
    """``git merge-file`` is missing or failed."""


@dataclass(frozen=True)
class TextForm:
    """How a text file is stored: its encoding (with BOM) and line ends."""

    encoding: str  # utf-8, utf-8-sig, utf-16-le or utf-16-be (the last three with a BOM)
    crlf: bool


def decode(data: bytes) -> tuple[str, TextForm] | None:
    """The text of ``data`` with LF line ends and its form, or None for a binary file."""
    encoding = "utf-8"
    body = data
    for bom, name in _BOMS:
        if data.startswith(bom):
            encoding, body = name, data[len(bom) :]
            break
    try:
        text = body.decode(encoding.removesuffix("-sig"))
    except UnicodeDecodeError:
        return None
    if "\x00" in text:
        return None
    crlf = text.count("\r\n") * 2 > text.count("\n")  # mostly CRLF
    return text.replace("\r\n", "\n"), TextForm(encoding, crlf)


def encode(text: str, form: TextForm) -> bytes:
    """``text`` (LF line ends) in ``form``."""
    if form.crlf:
        text = text.replace("\n", "\r\n")
    bom = next((b for b, name in _BOMS if name == form.encoding), b"")
    return bom + text.encode(form.encoding.removesuffix("-sig"))


def same_content(first: bytes, second: bytes) -> bool:
    """Equal bytes, or equal text apart from line ends and encoding."""
    if first == second:
        return True
    one, two = decode(first), decode(second)
    return one is not None and two is not None and one[0] == two[0]


def form_for(path: str, text: str, mine: TextForm, new: TextForm) -> TextForm:
    """The form of a written file: the user's line ends, an encoding that can hold it."""
    encoding = mine.encoding
    if new.encoding.startswith("utf-16") and not mine.encoding.startswith("utf-16"):
        encoding = new.encoding  # the template moved to UTF-16: follow it
    if PurePosixPath(path).suffix.lower() in INF_SUFFIXES and not text.isascii():
        encoding = encoding if encoding.startswith("utf-16") else "utf-16-le"
    return TextForm(encoding, mine.crlf)


def in_users_form(path: str, new: bytes, mine: bytes) -> bytes:
    """The new version of a file, with the line ends of the user's copy."""
    theirs, ours = decode(new), decode(mine)
    if theirs is None or ours is None:
        return new
    return encode(theirs[0], form_for(path, theirs[0], ours[1], theirs[1]))


@dataclass(frozen=True)
class MergeResult:
    """A merged file and how many conflicts it holds (0: merged cleanly)."""

    data: bytes
    conflicts: int


def merge_file(
    path: str, mine: bytes, base: bytes, new: bytes, *, labels: tuple[str, str, str]
) -> MergeResult | None:
    """Merge the base-to-new changes into ``mine``; None when a version is not text.

    Conflicting hunks hold git's markers, labelled with ``labels`` (yours,
    base, new).

    Raises:
        MergeToolError: git is not installed or the merge failed.
    """
    versions = [decode(mine), decode(base), decode(new)]
    if any(v is None for v in versions):
        return None
    texts = [v[0] for v in versions if v is not None]
    forms = [v[1] for v in versions if v is not None]
    merged, conflicts = _git_merge_file(texts, labels)
    return MergeResult(encode(merged, form_for(path, merged, forms[0], forms[2])), conflicts)


def _git_merge_file(texts: list[str], labels: tuple[str, str, str]) -> tuple[str, int]:
    git = shutil.which("git")
    if git is None:
        raise MergeToolError(
            "git is needed to merge files (wfpgen runs `git merge-file`) and was not found",
            "install git and put it on PATH",
        )
    folder = Path(tempfile.mkdtemp(prefix="wfpgen-merge-"))
    try:
        paths = [folder / name for name in ("mine", "base", "new")]
        for file, text in zip(paths, texts, strict=True):
            file.write_bytes(text.encode("utf-8"))
        # --diff3: the markers hold the base section too, as after git merge with
        # merge.conflictStyle=diff3, so the reader sees what each side changed.
        command = [git, "merge-file", "-p", "-q", "--diff3"]
        for label in labels:
            command += ["-L", label]
        done = subprocess.run(
            [*command, *map(str, paths)], capture_output=True, check=False, stdin=subprocess.DEVNULL
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    # The exit status is the number of conflicts (at most 127), negative on error.
    if not 0 <= done.returncode <= 127:
        reason = done.stderr.decode(errors="replace").strip() or f"exit status {done.returncode}"
        raise MergeToolError(f"git merge-file failed: {reason}")
    return done.stdout.decode("utf-8"), done.returncode
