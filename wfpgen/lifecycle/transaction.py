"""Change a destination folder all at once or not at all: the only writer of projects.

``new`` and ``update`` render into a staging folder, then hand the result to
:meth:`DestinationTransaction.commit`, which moves it into place::

    with DestinationTransaction(target) as tx:
        project = render_somewhere_under(tx.scratch)
        tx.commit(project, files=[...], delete=[...])

What makes it safe:

- **One run per destination.** The transaction holds the destination's
  :class:`~wfpgen.lifecycle.locking.FolderLock`; a second run fails at once.
  Commands that read the project before writing it take the same lock first,
  with :func:`held_folder`, so the whole read-modify-write is one run's.
- **Staging beside the destination.** The staging folder is a hidden sibling
  of the destination (``.NAME.wfpgen-stage-*``), on the same file system, so
  every move into place is a rename: it needs no space and cannot half-happen.
- **A journal and a way back.** Files the commit replaces or deletes are moved
  into the staging folder, not removed. Each step is written to a journal
  before it is taken; on any failure or signal the steps are undone in
  reverse, and the destination is exactly as it was. A run killed outright
  (``SIGKILL``, power loss) leaves its staging folder and journal behind: the
  next run on the same destination rolls it back, says so in one line and
  goes on with its own work; if the files it wrote were changed since, it
  keeps the staging folder, says where, and stops, rather than undo the
  user's later work.
- **Only its own journals.** A staging folder beside a project may have come
  with a repository. Each journal line is signed (HMAC-SHA256, chained) with a
  key only this user's wfpgen has (``journal.key`` in its cache), and the
  first line names the destination's real path and the staging folder, so a
  journal is acted on only where this user's wfpgen wrote it. Its paths are
  relative and pass :func:`~wfpgen.lifecycle.paths.project_path` (inside the
  destination, or inside the staging folder) before any is used. Anything
  else is left alone and reported in one line.
- **Signals.** SIGTERM and SIGHUP raise like Ctrl-C inside the transaction;
  during the moves all three are held back and checked between steps, and
  the undo runs to its end before the signal is raised. Once the last move
  is done the result is complete: from then on all three are ignored
  (:func:`~wfpgen.lifecycle.interrupts.settle`), so the run reports success.
- **Nothing left behind.** The staging folder is removed, and so are the
  parent folders the transaction created, when it fails.
"""

import glob
import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any

from wfpgen.errors import WfpgenError
from wfpgen.lifecycle.interrupts import deferred_signals, settle, signals_as_interrupts
from wfpgen.lifecycle.journal import DONE, JOURNAL_NAME, Journal, locate, real_path, undo
from wfpgen.lifecycle.locking import DestinationBusyError, FolderLock
from wfpgen.lifecycle.paths import project_path

STAGE_MARK = ".wfpgen-stage-"

_committed: list[Path] = []
_held: dict[Path, int] = {}
_reporters: list[Callable[[str], None]] = []


class DestinationWriteError(WfpgenError):
    """Writing the destination failed; it was put back as it was."""


def committed_targets() -> tuple[Path, ...]:
    """The destinations this process has changed, for truthful messages after a signal."""
    return tuple(_committed)


@contextmanager
def reporting_notes(report: Callable[[str], None]) -> Iterator[None]:
    """Within the block, what recovery did or left alone is told to ``report``, one line each."""
    _reporters.append(report)
    try:
        yield
    finally:
        _reporters.remove(report)


def _note(line: str) -> None:
    for report in _reporters[-1:]:
        report(line)


class AbandonedRunError(DestinationWriteError):
    """An earlier run on the destination was killed half-way and cannot be undone; see the message."""


def _hold_key(target: Path) -> Path:
    return Path(real_path(target.parent)) / target.name


@contextmanager
def held_folder(target: Path) -> Iterator[None]:
    """Hold ``target``'s lock (recovering what killed runs left) for a whole read-modify-write.

    Nested holds of the same folder in one process are one hold: a command
    takes it before reading anything, and the transaction that writes at the
    end runs inside it. The parent folder of ``target`` must exist.

    Raises:
        DestinationBusyError: another run holds it.
        AbandonedRunError: a killed run's changes cannot be undone (files changed since).
    """
    target = target.absolute()  # "." has no name to put the lock and staging beside
    key = _hold_key(target)
    if key in _held:
        _held[key] += 1
        try:
            yield
        finally:
            _held[key] -= 1
        return
    lock = FolderLock(target)
    try:
        lock.acquire()
    except OSError as err:
        raise DestinationWriteError(
            f"cannot write in {target.parent}: {err.strerror or err}; nothing was written",
            "choose a folder you can write to",
        ) from err
    try:
        recover_abandoned(target)
        _held[key] = 1
        try:
            yield
        finally:
            del _held[key]
    finally:
        lock.release()


def folder_busy(target: Path) -> bool:
    """Whether another run holds ``target``'s lock right now (False when that cannot be told)."""
    target = target.absolute()
    if _hold_key(target) in _held:
        return False
    lock = FolderLock(target)
    try:
        lock.acquire()
    except DestinationBusyError:
        return True
    except (OSError, WfpgenError):
        return False
    lock.release()
    return False


def recover_abandoned(target: Path) -> None:
    """Undo what killed runs left half-done on ``target``, and remove their staging.

    Call only while holding ``target``'s lock: then no staging folder of that
    target belongs to a live run. Only a staging folder whose journal this
    user's wfpgen signed for this very destination is touched; anything else
    beside it is left alone and reported in one line. A moved-in-whole new
    folder (``root``) is complete, so it stays. The rest is undone only while
    every file the killed run touched is still as it left it; otherwise the
    user has worked on the folder since, and undoing would lose that work.
    A rollback is reported in one line, and the caller goes on with its work.

    Raises:
        AbandonedRunError: a killed run's changes cannot be rolled back,
            because files changed since (its staging is kept).
    """
    pattern = glob.escape(f".{target.name}{STAGE_MARK}") + "*"
    foreign = []
    for stage in sorted(target.parent.glob(pattern)):
        entries = Journal.read_verified(stage, target)
        if entries is None:
            foreign.append(stage.name)
            continue
        steps = [e for e in entries if e["op"] not in ("root", DONE)]
        if not steps or entries[-1]["op"] == DONE:
            shutil.rmtree(stage, ignore_errors=True)
            continue
        changed = _changed_since(target, stage, steps)
        if changed:
            raise AbandonedRunError(
                f"an earlier wfpgen run on {target} was interrupted, and files it was "
                f"writing changed since: {', '.join(changed)}; nothing was written",
                f"the files it replaced are kept in {stage / 'kept'}: take what you "
                "need from there, delete that folder, then run again",
            )
        with deferred_signals():
            undo(target, stage, steps)
            shutil.rmtree(stage, ignore_errors=True)
        _note(
            f"an earlier wfpgen run on {target} was interrupted; its half-done changes "
            "were rolled back, and this run goes on from the folder as it was before it"
        )
    if foreign:
        _note(
            f"left alone beside {target}: {', '.join(foreign)} (not a staging folder this "
            "user's wfpgen made for it); delete it if it is not yours"
        )


def _changed_since(target: Path, stage: Path, steps: Sequence[dict[str, Any]]) -> list[str]:
    """Paths the killed run touched that no longer hold what it left there."""
    source = str(stage / JOURNAL_NAME)
    located = [(entry, *locate(target, stage, entry, source=source)) for entry in steps]
    placed = {
        e["path"]
        for e, _, staged in located
        if e["op"] == "place" and staged and not os.path.lexists(staged)
    }
    changed = []
    for entry, here, staged in located:
        if entry["op"] == "place" and entry["path"] in placed:
            if not here.is_file() or _digest(here.read_bytes()) != entry["sha256"]:
                changed.append(entry["path"])
        elif (
            entry["op"] == "keep"
            and entry["path"] not in placed
            and staged
            and os.path.lexists(staged)
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


def check_fits(target: Path, files: Sequence[str], delete: Sequence[str] = ()) -> None:
    """Refuse, before anything moves, files that something on disk stands in the way of.

    Every path goes through :func:`~wfpgen.lifecycle.paths.project_path`: none
    leaves ``target`` or passes through a linked folder.

    Raises:
        DestinationWriteError: a folder stands where a file goes, or a file
            where a folder goes.
        UnsafePathError: a path leaves the destination or passes through a link.
    """
    if target.exists() and not target.is_dir():
        raise DestinationWriteError(f"{target} is a file, not a folder", "choose another folder")
    for name in delete:
        project_path(target, name, source="the base record")
    for name in files:
        path = project_path(target, name, source="the render")
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
        self._journal: Journal | None = None
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
                stack.enter_context(held_folder(self.target))
                self._stage = Path(
                    tempfile.mkdtemp(
                        prefix=f".{self.target.name}{STAGE_MARK}", dir=self.target.parent
                    )
                )
                stack.callback(shutil.rmtree, self._stage, True)
                # Signed from the start: a run killed at any moment leaves proof it was ours.
                self._journal = Journal(self._stage, self.target)
                stack.callback(self._journal.close)
            except OSError as err:
                # A read-only mount, a full disk, no permission: nothing was written yet.
                raise DestinationWriteError(
                    f"cannot write in {self.target.parent}: {err.strerror or err}; nothing was written",
                    "choose a folder you can write to",
                ) from err
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
        stage, journal = self._stage, self._journal
        if stage is None or journal is None:
            raise RuntimeError("the transaction has not started")
        check_fits(self.target, files, delete)
        with deferred_signals() as held:
            try:
                if not self.target.exists() and not delete:
                    journal.log("root", **{"from": self._in_stage(source)})
                    source.rename(self.target)
                else:
                    self._replace(source, files, delete, journal, held.check)
                journal.log(DONE)
            except BaseException:
                undo(self.target, stage, journal.entries)
                raise
            finally:
                journal.close()
            self.committed = True
            _committed.append(self.target)
            # The result is complete: no signal may now report it as a failure.
            settle()

    def _replace(
        self,
        source: Path,
        files: Sequence[str],
        delete: Sequence[str],
        journal: Journal,
        check: Callable[[], None],
    ) -> None:
        self.target.mkdir(exist_ok=True)
        for name in delete:
            self._keep(name, journal)
            check()
        for name in files:
            destination = self.target / name
            for parent in reversed(Path(name).parents[:-1]):  # outermost first, without "."
                if not (self.target / parent).is_dir():
                    journal.log("mkdir", path=parent.as_posix())
                    (self.target / parent).mkdir()
            if os.path.lexists(destination):
                self._keep(name, journal)
            digest = _digest((source / name).read_bytes())
            journal.log(
                "place", path=name, sha256=digest, **{"from": self._in_stage(source / name)}
            )
            (source / name).rename(destination)
            check()
        for folder in sorted({Path(n).parent for n in delete}, key=lambda p: -len(p.parts)):
            self._remove_if_empty(folder, journal)

    def _in_stage(self, path: Path) -> str:
        """``path``'s name relative to the staging folder, as the journal records it."""
        assert self._stage is not None
        return path.relative_to(self._stage).as_posix()

    def _keep(self, name: str, journal: Journal) -> None:
        """Move the destination's ``name`` aside, where an undo can take it back from."""
        assert self._stage is not None
        here = self.target / name
        if not os.path.lexists(here):
            return
        aside = self._stage / "kept" / name
        aside.parent.mkdir(parents=True, exist_ok=True)
        journal.log("keep", path=name, to=self._in_stage(aside))
        here.rename(aside)

    def _remove_if_empty(self, folder: Path, journal: Journal) -> None:
        while folder != Path():
            here = self.target / folder
            if not here.is_dir() or any(here.iterdir()):
                return
            journal.log("rmdir", path=folder.as_posix())
            here.rmdir()
            folder = folder.parent
