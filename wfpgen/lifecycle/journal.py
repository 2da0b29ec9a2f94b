"""The journal of a commit: each step written down, signed and chained, before it is taken.

A killed run leaves its staging folder and this journal behind; the next run
on the same destination undoes the steps (:func:`undo`), but only of a journal
this user's wfpgen wrote for that destination: every line carries an HMAC of
itself and of the line before it under a key only this user's wfpgen has
(``journal.key`` in wfpgen's cache), and the first line names the
destination's real path and the staging folder. Every path a journal names
passes :func:`~wfpgen.lifecycle.paths.project_path` before it is used.
"""

import hashlib
import hmac
import json
import os
import secrets
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from wfpgen.lifecycle.paths import UnsafePathError, project_path
from wfpgen.paths import cache_dir

JOURNAL_NAME = "journal.jsonl"
DONE = "done"
BEGIN = "begin"
_KEY_FILE = "journal.key"
_KEY_SIZE = 32
_JOURNAL_LIMIT = 16 * 1024 * 1024  # far more than any real commit's journal


def journal_key() -> bytes | None:
    """This user's secret that signs journals, kept in wfpgen's cache; None without a cache.

    A journal only this user's wfpgen could have signed is the proof that a
    staging folder is a killed run's, not something a repository brought.
    """
    folder = cache_dir()
    if folder is None:
        return None
    path = folder / _KEY_FILE
    try:
        if not path.is_file():
            folder.mkdir(parents=True, exist_ok=True)
            fd, fresh = tempfile.mkstemp(dir=folder, prefix=".journal-key-")
            try:
                os.write(fd, secrets.token_bytes(_KEY_SIZE))
            finally:
                os.close(fd)
            try:
                os.link(fresh, path)  # never replaces a key another run made meanwhile
            except FileExistsError:
                pass
            finally:
                Path(fresh).unlink()
        if path.is_symlink():
            return None
        key = path.read_bytes()
    except OSError:
        return None
    return key if len(key) == _KEY_SIZE else None


def _mac(key: bytes, previous: str, entry: dict[str, Any]) -> str:
    body = json.dumps(entry, sort_keys=True, separators=(",", ":")).encode()
    return hmac.new(key, previous.encode() + body, hashlib.sha256).hexdigest()


def real_path(path: Path) -> str:
    """The real path of ``path``, links resolved."""
    return os.path.realpath(path)


class Journal:
    """The steps of one commit, each written down (and signed) before it is taken.

    Every line carries an HMAC of itself and of the line before it, under
    :func:`journal_key`; the first line names the destination's real path and
    the staging folder. Paths are relative: to the destination (``path``) or to
    the staging folder (``from``, ``to``).
    """

    def __init__(self, stage: Path, target: Path) -> None:
        self.path = stage / JOURNAL_NAME
        self.entries: list[dict[str, Any]] = []
        self._key = journal_key()
        self._mac = ""
        self._file = self.path.open("a", encoding="utf-8")
        try:
            self.log(BEGIN, project=real_path(target), stage=stage.name)
        except OSError:
            self._file.close()
            raise

    def log(self, op: str, **details: str) -> None:
        """Write down (and sign) one step before it is taken."""
        entry = {"op": op, **details}
        self.entries.append(entry)
        if self._key is not None:
            self._mac = _mac(self._key, self._mac, entry)
        self._file.write(json.dumps({**entry, "mac": self._mac}) + "\n")
        self._file.flush()  # the next run must see it even if this process is killed

    def close(self) -> None:
        """Close the journal file; its lines stay."""
        self._file.close()

    @staticmethod
    def read_verified(stage: Path, target: Path) -> list[dict[str, Any]] | None:
        """The journal's entries if this user's wfpgen wrote it for ``target`` here; else None.

        A last line cut short by a kill is dropped: its step was never taken.
        Every path it names is checked before anything uses it.
        """
        key = journal_key()
        journal = stage / JOURNAL_NAME
        try:
            if key is None or stage.is_symlink() or journal.is_symlink():
                return None
            if journal.stat().st_size > _JOURNAL_LIMIT:
                return None
            lines = journal.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            return None
        entries: list[dict[str, Any]] = []
        previous = ""
        for number, line in enumerate(lines, start=1):
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:
                if number == len(lines):
                    break
                return None
            if not isinstance(entry, dict) or not isinstance(entry.get("mac"), str):
                return None
            mac = entry.pop("mac")
            previous = _mac(key, previous, entry)
            if not hmac.compare_digest(mac, previous):
                return None
            entries.append(entry)
        if not entries or entries[0] != {
            "op": BEGIN,
            "project": real_path(target),
            "stage": stage.name,
        }:
            return None
        try:
            for entry in entries[1:]:
                locate(target, stage, entry, source=str(journal))
        except (UnsafePathError, KeyError, TypeError):
            return None
        return entries[1:]


def locate(
    target: Path, stage: Path, entry: dict[str, Any], *, source: str
) -> tuple[Path, Path | None]:
    """The destination path of a journal step and its place in the staging folder, both checked."""
    op = entry["op"]
    if op not in ("root", "place", "keep", "mkdir", "rmdir", DONE):
        raise KeyError(op)
    here = project_path(target, entry["path"], source=source) if "path" in entry else target
    aside = entry.get("from", entry.get("to"))
    staged = None if aside is None else project_path(stage, aside, source=source, follow=False)
    return here, staged


def undo(target: Path, stage: Path, entries: Sequence[dict[str, Any]]) -> None:
    """Reverse the journal's steps, last first; each undo tolerates a step never taken."""
    for entry in reversed(entries):
        op = entry["op"]
        if op == BEGIN:
            continue
        here, staged = locate(target, stage, entry, source=str(stage / JOURNAL_NAME))
        if op == "root" and staged and target.exists() and not os.path.lexists(staged):
            target.rename(staged)
        elif op == "place" and staged and not os.path.lexists(staged) and os.path.lexists(here):
            here.unlink()
        elif op == "keep" and staged and os.path.lexists(staged) and not os.path.lexists(here):
            staged.rename(here)
        elif op == "mkdir" and here.is_dir() and not any(here.iterdir()):
            here.rmdir()
        elif op == "rmdir":
            here.mkdir(exist_ok=True)
