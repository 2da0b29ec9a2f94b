"""Conflicts an update leaves, made visible to git, and refused until they are resolved.

``git merge`` leaves a conflicted file with markers in the work tree *and*
three entries in the index (stage 1 the common base, 2 ours, 3 theirs), which
is what ``git status``, ``git diff``, ``git mergetool``, ``git checkout
--ours/--theirs`` and ``git add`` work from (git-read-tree(1), "3-Way
Merge"; gitrevisions(7) ``:1:path``). An update records the same three
versions it merged (the base record, the user's file, the new render) the
same way, with ``git update-index --index-info``: a mode-0 line removes the
stage-0 entry, then one line per stage adds the unmerged entries
(git-update-index(1), "Using --index-info").

Markers that reach a commit are a mistake nobody notices until the driver
fails to build: ``check`` and ``update`` refuse while a generated file still
holds a complete set of them.
"""

import re
import shutil
import subprocess
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from wfpgen.errors import ExitCode, WfpgenError
from wfpgen.lifecycle.base import read_file

# A marker line is seven marker characters at the start of a line, then a
# space and a label or the end of the line (git-merge-file(1)).
_OPENING = re.compile(rb"^<{7}(?: |\r?$)", re.MULTILINE)
_SEPARATOR = re.compile(rb"^={7}\r?$", re.MULTILINE)
_CLOSING = re.compile(rb"^>{7}(?: |\r?$)", re.MULTILINE)


class UnresolvedConflictsError(WfpgenError):
    """Generated files still hold conflict markers from an earlier update."""

    exit_code = ExitCode.CONFLICTS


@dataclass(frozen=True)
class Conflict:
    """The three versions of a file an update merged and left in conflict."""

    path: str  # relative to the project, with "/"
    base: bytes | None  # None: the file was not generated before
    ours: bytes | None  # the user's file before the update; None: the user deleted it
    theirs: bytes | None  # the new render, in the user's line ends; None: no longer generated


def has_markers(data: bytes) -> bool:
    """Whether ``data`` holds an opening, a separator and a closing conflict marker, in order."""
    opening = _OPENING.search(data)
    if opening is None:
        return False
    separator = _SEPARATOR.search(data, opening.end())
    return separator is not None and _CLOSING.search(data, separator.end()) is not None


def refuse_unresolved(project: Path, names: Iterable[str]) -> None:
    """Raise when any of the generated files ``names`` in ``project`` still holds markers.

    Raises:
        UnresolvedConflictsError: naming the files.
    """
    marked = []
    for name in sorted(names):
        data = read_file(project, name, source="the base record")
        if data is not None and has_markers(data):
            marked.append(name)
    if marked:
        shown = ", ".join(marked[:5]) + (f" and {len(marked) - 5} more" if len(marked) > 5 else "")
        raise UnresolvedConflictsError(
            f"{shown} still {'holds' if len(marked) == 1 else 'hold'} conflict markers "
            "from an earlier update; nothing was done",
            "resolve them (edit the file, or git checkout --ours/--theirs FILE), "
            "then git add and commit",
        )


def record_in_git_index(project: Path, conflicts: Sequence[Conflict]) -> bool:
    """Record ``conflicts`` as unmerged entries of the git index; False outside a work tree."""
    git = shutil.which("git")
    if not conflicts or git is None:
        return False
    prefix = _git(git, project, "rev-parse", "--show-prefix")
    if prefix.returncode != 0:
        return False
    try:
        return _record(git, project, prefix.stdout.decode().strip(), conflicts)
    except (OSError, subprocess.SubprocessError):
        # The files are written and their markers say it all; git's index is a
        # convenience, and a git that fails here must not turn success into failure.
        return False


def _record(git: str, project: Path, prefix: str, conflicts: Sequence[Conflict]) -> bool:
    lines = []
    for conflict in conflicts:
        path = prefix + conflict.path
        mode = "100755" if _executable(project / conflict.path) else "100644"
        lines.append(f"0 {'0' * 40}\t{path}")
        stages: Mapping[int, bytes | None] = {
            1: conflict.base,
            2: conflict.ours,
            3: conflict.theirs,
        }
        for stage, data in stages.items():
            if data is not None:
                lines.append(f"{mode} {_blob(git, project, conflict.path, data)} {stage}\t{path}")
    # Paths of --index-info are relative to the top of the work tree.
    top = _git(git, project, "rev-parse", "--show-toplevel").stdout.decode().strip()
    done = subprocess.run(
        [git, "-C", top, "update-index", "--index-info"],
        input=("\n".join(lines) + "\n").encode(),
        capture_output=True,
        check=False,
        timeout=60,
    )
    return done.returncode == 0


def _blob(git: str, project: Path, path: str, data: bytes) -> str:
    # --path: the blob is cleaned (line ends) as git add would clean that file.
    done = subprocess.run(
        [git, "-C", str(project), "hash-object", "-w", f"--path={path}", "--stdin"],
        input=data,
        capture_output=True,
        check=True,
        timeout=60,
    )
    return done.stdout.decode().strip()


def _executable(path: Path) -> bool:
    return path.is_file() and bool(path.stat().st_mode & 0o111)


def _git(git: str, folder: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [git, "-C", str(folder), *args], capture_output=True, check=False, stdin=subprocess.DEVNULL
    )
