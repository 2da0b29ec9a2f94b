"""Change a destination folder all at once or not at all: the only writer of projects.

``new`` and ``update`` render into a staging folder, then hand the result to
:meth:`DestinationTransaction.commit`, which moves it into place::

    with DestinationTransaction(target) as tx:
        project = render_somewhere_under(tx.scratch)
        tx.commit(project, files=[...], delete=[...])

What makes it safe:

- **One run per destination.** The transaction holds the destination's
  :class:`~wfpgen.lifecycle.locking.FolderLock`; a second run fails at once.
- **Staging beside the destination.** The staging folder is a hidden sibling
  of the destination (``.NAME.wfpgen-stage-*``), on the same file system, so
  every move into place is a rename: it needs no space and cannot half-happen.
- **A journal and a way back.** Files the commit replaces or deletes are moved
  into the staging folder, not removed. Each step is written to a journal
  before it is taken; on any failure or signal the steps are undone in
  reverse, and the destination is exactly as it was. A run killed outright
  (``SIGKILL``, power loss) leaves its staging folder and journal behind: the
  next run on the same destination rolls it back, says so and stops; if the
  files it wrote were changed since, it keeps the staging folder and says
  where, rather than undo the user's later work.
- **Signals.** SIGTERM and SIGHUP raise like Ctrl-C inside the transaction;
  during the moves all three are held back and checked between steps, and
  the undo runs to its end before the signal is raised.
- **Nothing left behind.** The staging folder is removed, and so are the
  parent folders the transaction created, when it fails.
"""

import glob
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from pathlib import Path
from types import TracebackType
from typing import Any

from wfpgen.errors import WfpgenError
from wfpgen.lifecycle.interrupts import deferred_signals, signals_as_interrupts
from wfpgen.lifecycle.locking import FolderLock

STAGE_MARK = ".wfpgen-stage-"
_JOURNAL = "journal.jsonl"
_DONE = "done"

_committed: list[Path] = []


class DestinationWriteError(WfpgenError):
    """Writing the destination failed; it was put back as it was."""


def committed_targets() -> tuple[Path, ...]:
    """The destinations this process has changed, for truthful messages after a signal."""
    return tuple(_committed)


class _Journal:
    """The steps of one commit, each written down before it is taken."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file = path.open("a", encoding="utf-8")

    def log(self, op: str, **details: str) -> None:
        self._file.write(json.dumps({"op": op, **details}) + "\n")
        self._file.flush()  # the next run must see it even if this process is killed

    def close(self) -> None:
        self._file.close()

    @staticmethod
    def read(path: Path) -> list[dict[str, Any]]:
        entries = []
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                entries.append(json.loads(line))
            except json.JSONDecodeError:
                break  # a line cut short by a kill: its step was never taken
        return entries


def _undo(target: Path, entries: Sequence[dict[str, Any]]) -> None:
    """Reverse the journal's steps, last first; each undo tolerates a step never taken."""
    for entry in reversed(entries):
        op = entry["op"]
        here = target / entry.get("path", "")
        if op == "root" and target.exists() and not Path(entry["from"]).exists():
            target.rename(entry["from"])
        elif op == "place" and not Path(entry["from"]).exists() and os.path.lexists(here):
            here.unlink()
        elif op == "keep" and os.path.lexists(entry["to"]) and not os.path.lexists(here):
            Path(entry["to"]).rename(here)
        elif op == "mkdir" and here.is_dir() and not any(here.iterdir()):
            here.rmdir()
        elif op == "rmdir":
            here.mkdir(exist_ok=True)


class AbandonedRunError(DestinationWriteError):
    """An earlier run on the destination was killed half-way; see the message."""


def recover_abandoned(target: Path) -> None:
    """Undo what killed runs left half-done on ``target``, and remove their staging.

    Call only while holding ``target``'s lock: then no staging folder of that
    target belongs to a live run. A moved-in-whole new folder (``root``) is
    complete, so it stays. The rest is undone only while every file the
    killed run touched is still as it left it; otherwise the user has worked
    on the folder since, and undoing would lose that work.

    Raises:
        AbandonedRunError: a killed run's changes were rolled back (the folder
            is as it was before that run; the command stops there), or they
            cannot be, because files changed since (its staging is kept).
    """
    pattern = glob.escape(f".{target.name}{STAGE_MARK}") + "*"
    for stage in sorted(target.parent.glob(pattern)):
        journal = stage / _JOURNAL
        entries = _Journal.read(journal) if journal.is_file() else []
        steps = [e for e in entries if e["op"] not in ("root", _DONE)]
        if not steps or entries[-1]["op"] == _DONE:
            shutil.rmtree(stage, ignore_errors=True)
            continue
        changed = _changed_since(target, steps)
        if changed:
            raise AbandonedRunError(
                f"an earlier wfpgen run on {target} was interrupted, and files it was "
                f"writing changed since: {', '.join(changed)}; nothing was written",
                f"the files it replaced are kept in {stage / 'kept'}: take what you "
                "need from there, delete that folder, then run again",
            )
        _undo(target, steps)
        shutil.rmtree(stage, ignore_errors=True)
        raise AbandonedRunError(
            f"an earlier wfpgen run on {target} was interrupted; its half-done changes "
            "were rolled back, so the folder is as it was before that run; nothing "
            "else was written",
            "run the command again",
        )


def _changed_since(target: Path, steps: Sequence[dict[str, Any]]) -> list[str]:
    """Paths the killed run touched that no longer hold what it left there."""
    placed = {e["path"]: e for e in steps if e["op"] == "place" and not Path(e["from"]).exists()}
    changed = []
    for entry in steps:
        here = target / entry.get("path", "")
        if entry["op"] == "place" and entry["path"] in placed:
            if not here.is_file() or _digest(here.read_bytes()) != entry["sha256"]:
                changed.append(entry["path"])
        elif (
            entry["op"] == "keep"
            and entry["path"] not in placed
            and os.path.lexists(entry["to"])
            and os.path.lexists(here)
        ):
            changed.append(entry["path"])  # moved aside, and something new stands there
    return sorted(set(changed))


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _make_parents(folder: Path) -> list[Path]:
    """Create ``folder`` and its missing ancestors; return those created, deepest first."""
    created: list[Path] = []
    for parent in [folder, *folder.parents]:
        if parent.exists():
            break
        created.insert(0, parent)
    for parent in created:
        parent.mkdir(exist_ok=True)
    return list(reversed(created))


def check_fits(target: Path, files: Sequence[str]) -> None:
    """Refuse, before anything moves, files that something on disk stands in the way of.

    Raises:
        DestinationWriteError: a folder stands where a file goes, or a file
            where a folder goes.
    """
    if target.exists() and not target.is_dir():
        raise DestinationWriteError(f"{target} is a file, not a folder", "choose another folder")
    for name in files:
        path = target / name
        if path.is_dir() and not path.is_symlink():
            raise DestinationWriteError(
                f"{path} is a folder where wfpgen writes a file; nothing was written",
                "move or rename that folder, then run again",
            )
        for parent in path.relative_to(target).parents:
            blocker = target / parent
            if parent != Path() and os.path.lexists(blocker) and not blocker.is_dir():
                raise DestinationWriteError(
                    f"{blocker} is a file where wfpgen needs a folder; nothing was written",
                    "move or rename that file, then run again",
                )


class DestinationTransaction:
    """Replace, add and delete files under ``target`` as one all-or-nothing step."""

    def __init__(self, target: Path) -> None:
        self.target = target.absolute()
        self._stack = ExitStack()
        self._stage: Path | None = None
        self._created: list[Path] = []
        self.committed = False

    @property
    def scratch(self) -> Path:
        """A folder on the destination's file system to render into before ``commit``."""
        if self._stage is None:
            raise RuntimeError("the transaction has not started")
        folder = self._stage / "render"
        folder.mkdir(exist_ok=True)
        return folder

    def __enter__(self) -> "DestinationTransaction":
        with ExitStack() as stack:
            stack.enter_context(signals_as_interrupts())
            try:
                self._created = _make_parents(self.target.parent)
            except OSError as err:
                raise DestinationWriteError(
                    f"cannot create {self.target.parent}: {err.strerror or err}",
                    "choose a folder you can write to",
                ) from err
            stack.callback(self._remove_created)
            try:
                stack.enter_context(FolderLock(self.target))
                recover_abandoned(self.target)
                self._stage = Path(
                    tempfile.mkdtemp(
                        prefix=f".{self.target.name}{STAGE_MARK}", dir=self.target.parent
                    )
                )
            except OSError as err:
                # A read-only mount, a full disk, no permission: nothing was written yet.
                raise DestinationWriteError(
                    f"cannot write in {self.target.parent}: {err.strerror or err}; nothing was written",
                    "choose a folder you can write to",
                ) from err
            stack.callback(shutil.rmtree, self._stage, True)
            self._stack = stack.pop_all()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        # Staging and lock go in any case, created parents only when nothing was
        # committed; a signal meanwhile waits until the clean-up is complete.
        with deferred_signals():
            self._stack.close()
        if isinstance(exc, OSError):
            raise DestinationWriteError(
                f"writing {self.target} failed: {exc.strerror or exc}; nothing was changed",
                "free some space or fix the permissions, then run again",
            ) from exc

    def _remove_created(self) -> None:
        if self.committed:
            return
        for folder in self._created:
            try:
                folder.rmdir()
            except OSError:
                break  # another run put something there: keep it and its parents

    def commit(self, source: Path, files: Sequence[str], delete: Sequence[str] = ()) -> None:
        """Move ``files`` (relative POSIX paths under ``source``) into place; remove ``delete``.

        Replaced and deleted files are kept until the end, so any failure or
        signal puts the destination back exactly as it was before re-raising.

        Raises:
            DestinationWriteError: something on disk is in the way, or a move failed.
        """
        if self._stage is None:
            raise RuntimeError("the transaction has not started")
        check_fits(self.target, files)
        journal = _Journal(self._stage / _JOURNAL)
        kept = self._stage / "kept"
        with deferred_signals() as held:
            try:
                if not self.target.exists() and not delete:
                    journal.log("root", **{"from": str(source)})
                    source.rename(self.target)
                else:
                    self._replace(source, files, delete, kept, journal, held.check)
                journal.log(_DONE)
            except BaseException:
                _undo(self.target, _Journal.read(journal.path))
                raise
            finally:
                journal.close()
            self.committed = True
            _committed.append(self.target)

    def _replace(
        self,
        source: Path,
        files: Sequence[str],
        delete: Sequence[str],
        kept: Path,
        journal: _Journal,
        check: Callable[[], None],
    ) -> None:
        self.target.mkdir(exist_ok=True)
        for name in delete:
            self._keep(name, kept, journal)
            check()
        for name in files:
            destination = self.target / name
            for parent in reversed(Path(name).parents[:-1]):  # outermost first, without "."
                if not (self.target / parent).is_dir():
                    journal.log("mkdir", path=parent.as_posix())
                    (self.target / parent).mkdir()
            if os.path.lexists(destination):
                self._keep(name, kept, journal)
            digest = _digest((source / name).read_bytes())
            journal.log("place", path=name, sha256=digest, **{"from": str(source / name)})
            (source / name).rename(destination)
            check()
        for folder in sorted({Path(n).parent for n in delete}, key=lambda p: -len(p.parts)):
            self._remove_if_empty(folder, journal)

    def _keep(self, name: str, kept: Path, journal: _Journal) -> None:
        """Move the destination's ``name`` aside, where an undo can take it back from."""
        here = self.target / name
        if not os.path.lexists(here):
            return
        aside = kept / name
        aside.parent.mkdir(parents=True, exist_ok=True)
        journal.log("keep", path=name, to=str(aside))
        here.rename(aside)

    def _remove_if_empty(self, folder: Path, journal: _Journal) -> None:
        while folder != Path():
            here = self.target / folder
            if not here.is_dir() or any(here.iterdir()):
                return
            journal.log("rmdir", path=folder.as_posix())
            here.rmdir()
            folder = folder.parent
