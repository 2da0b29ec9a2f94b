"""The one check every path from disk passes before wfpgen reads, writes, moves or deletes it.

A project's ``.wfpgen/`` record, a staging folder's journal and the project's
folders arrive with a repository, and a repository is written by whoever
sends a pull request. So a name read from any of them is only a *claim*:
:func:`project_path` turns it into a path only when it is

- a relative POSIX path in normal form (no ``..``, ``.``, empty part,
  backslash, colon, NUL or leading ``/``), so it stays below the root on
  every platform (a colon would name a drive or a stream on Windows);
- not inside git's own folder (``.git``), which is not project data;
- not through a symbolic link: every folder on the way, resolved against
  the *real* root, is a real folder. A link as the last part is the user's
  file only when it points inside the project; one that leaves it is refused.
  Windows junctions count as links.

Anything else raises :class:`UnsafePathError` (exit 1), naming the file the
name came from and the name, before anything is read or changed.
"""

import os
from pathlib import Path

from wfpgen.errors import WfpgenError


class UnsafePathError(WfpgenError):
    """A name from disk points outside the folder it belongs to, or through a link."""


def name_problem(name: object) -> str:
    """Why ``name`` is not a normal relative POSIX path below a root ("" when it is)."""
    if not isinstance(name, str) or not name:
        return "which is not a file name"
    if "\x00" in name or "\\" in name or ":" in name:
        return "which is not a portable relative path (NUL, backslash or colon)"
    if name.startswith("/"):
        return "which is an absolute path"
    parts = name.split("/")
    if ".." in parts:
        return "which leads out of the folder"
    if "" in parts or "." in parts:
        return "which is not in normal form"
    if any(part.rstrip(". ").lower() == ".git" for part in parts):
        return "which is inside git's own folder"
    return ""


def _is_link(path: Path) -> bool:
    return path.is_symlink() or (hasattr(os.path, "isjunction") and os.path.isjunction(path))


def _inside(root: Path, path: Path) -> bool:
    return path == root or root in path.parents


def project_path(root: Path, name: object, *, source: str, follow: bool = True) -> Path:
    """``root / name``, once ``name`` is known to stay inside ``root`` without following a link.

    ``source`` names where ``name`` was read (a file, or "the render"), for the
    message. ``follow=False`` is for a path that is only ever moved, never read
    or written through: a link as its last part is then just a name.

    Raises:
        UnsafePathError: ``name`` is not a normal relative path, or a folder on
            its way is a symbolic link, or it is a link that leaves ``root``.
    """
    problem = name_problem(name)
    if problem:
        raise UnsafePathError(
            f"{source} names {name!r}, {problem}: it is damaged or was not written by "
            "wfpgen; nothing was read, written or deleted",
            "restore it from version control (or delete it, if it is a staging folder "
            "wfpgen left), then run again",
        )
    assert isinstance(name, str)
    real_root = Path(os.path.realpath(root))
    parts = name.split("/")
    here = real_root
    for depth, part in enumerate(parts, start=1):
        here = here / part
        if not _is_link(here):
            continue
        shown = root / "/".join(parts[:depth])
        if depth == len(parts) and not follow:
            break
        if depth < len(parts):
            raise UnsafePathError(
                f"{shown} is a symbolic link, and wfpgen does not read or write through "
                f"linked folders ({name} is below it); nothing was read, written or deleted",
                "replace the link with a real folder, then run again",
            )
        if not _inside(real_root, Path(os.path.realpath(here))):
            raise UnsafePathError(
                f"{shown} is a symbolic link to {here.readlink()}, outside {root}; "
                "nothing was read, written or deleted",
                "replace the link with the file itself, then run again",
            )
    return root / name
