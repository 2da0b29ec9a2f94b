"""Ask git whether a project folder has uncommitted changes, before an update writes to it.

An update merges into the user's files; with everything committed, ``git
diff`` shows exactly what it did and ``git checkout .`` undoes it. Outside a
git work tree (or without git) there is nothing to ask, and updates proceed.
"""

import shutil
import subprocess
from pathlib import Path

from wfpgen.errors import DestinationError


class UncommittedChangesError(DestinationError):
    """The project has uncommitted changes and ``--force`` was not given."""


def uncommitted_changes(folder: Path) -> list[str]:
    """``git status --porcelain`` lines for ``folder`` (untracked files included)."""
    git = shutil.which("git")
    if git is None or not folder.is_dir():
        return []
    inside = _git(git, folder, "rev-parse", "--is-inside-work-tree")
    if inside.returncode != 0 or inside.stdout.strip() != "true":
        return []
    status = _git(git, folder, "status", "--porcelain", "--untracked-files=normal", "--", ".")
    return [line for line in status.stdout.splitlines() if line.strip()]


def refuse_uncommitted(folder: Path) -> None:
    """Raise unless ``folder`` has no uncommitted changes.

    Raises:
        UncommittedChangesError: listing the first changes.
    """
    changes = uncommitted_changes(folder)
    if changes:
        shown = "; ".join(line.strip() for line in changes[:5])
        more = f" and {len(changes) - 5} more" if len(changes) > 5 else ""
        raise UncommittedChangesError(
            f"{folder} has uncommitted changes ({shown}{more}); nothing was written",
            "commit or stash them first, so the update can be reviewed and undone with git, "
            "or pass --force",
        )


def _git(git: str, folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [git, "-C", str(folder), *args],
        capture_output=True,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
    )
