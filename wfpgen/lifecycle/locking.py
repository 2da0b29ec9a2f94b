"""An exclusive, non-blocking lock on a destination folder, held by one process at a time.

The lock is an OS file lock (``flock`` on POSIX, ``msvcrt.locking`` on
Windows) on a small file beside the destination, so it is released by the
operating system when its holder dies, however it dies: no stale lock ever
blocks a later run. The file is removed on release. Because another run may
have opened the file just before it was removed, a run that gets the lock
checks that its file is still the one on disk, and tries again if not.
"""

import contextlib
import errno
import os
import sys
from pathlib import Path
from types import TracebackType

from wfpgen.errors import WfpgenError

LOCK_SUFFIX = ".wfpgen-lock"
_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)  # POSIX; Windows checks for a link below


class DestinationBusyError(WfpgenError):
    """Another wfpgen run holds the destination's lock."""


class LockFileError(WfpgenError):
    """Something that is not a lock file stands where the lock file goes."""


def lock_path(target: Path) -> Path:
    """The lock file of ``target``: a hidden file beside it, in the same folder."""
    return target.parent / f".{target.name}{LOCK_SUFFIX}"


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _same_file(fd: int, path: Path) -> bool:
    try:
        on_disk = path.stat()
    except FileNotFoundError:
        return False
    mine = os.fstat(fd)
    return (mine.st_dev, mine.st_ino) == (on_disk.st_dev, on_disk.st_ino)


class FolderLock:
    """``with FolderLock(target):`` holds ``target``'s lock or raises DestinationBusyError."""

    def __init__(self, target: Path) -> None:
        self.path = lock_path(target)
        self._target = target
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock now, or raise DestinationBusyError: never wait for another run."""
        while True:
            fd = self._open()
            if not _try_lock(fd):
                os.close(fd)
                raise DestinationBusyError(
                    f"another wfpgen run is working on {self._target}; nothing was read or written",
                    "wait for it to finish, then run again",
                )
            # Windows cannot remove an open file, so its lock files are never
            # replaced under a holder; on POSIX the holder we raced may have.
            if sys.platform == "win32" or _same_file(fd, self.path):
                self._fd = fd
                return
            os.close(fd)

    def _open(self) -> int:
        """Open (or create) the lock file; never through a link a repository may have put there."""
        refused = LockFileError(
            f"{self.path} is a symbolic link, not wfpgen's lock file; nothing was read or written",
            "delete the link, then run again",
        )
        if self.path.is_symlink():
            raise refused
        try:
            return os.open(self.path, os.O_RDWR | os.O_CREAT | _NO_FOLLOW, 0o600)
        except OSError as err:
            if err.errno == errno.ELOOP:  # made a link since the check above
                raise refused from err
            raise

    def release(self) -> None:
        """Remove the lock file and let go of the lock."""
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        if sys.platform != "win32":
            # Removed while still locked, so no other run can lock this file and
            # then find it gone; a run that opened it already will retry.
            self.path.unlink(missing_ok=True)
            os.close(fd)
            return
        os.close(fd)
        with contextlib.suppress(OSError):  # another run has it open; that run removes it
            self.path.unlink()

    def __enter__(self) -> "FolderLock":
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.release()
