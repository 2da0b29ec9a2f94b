r"""Compiled templates on disk, so each template is compiled once, not on every run.

Jinja spends most of a render compiling template source to Python code. This
module keeps that code in wfpgen's cache folder as Jinja bytecode buckets:

- Where: ``WFPGEN_CACHE_DIR`` when set (an empty value turns the cache off),
  else the platform's cache folder: ``%LOCALAPPDATA%\wfpgen\Cache`` on
  Windows, ``~/Library/Caches/wfpgen`` on macOS, ``$XDG_CACHE_HOME/wfpgen`` or
  ``~/.cache/wfpgen`` elsewhere. The compiled code lives in its ``templates``
  subfolder. This is the one place wfpgen writes below the home folder.
- Keyed by: the template's source text and name, the Jinja and Python
  versions, and the environment that compiles it (class, sandboxing,
  extensions, syntax options), so an edited template, an upgraded Jinja or a
  sandboxed render never loads code compiled for something else.
- Safe when runs share it: each entry is written to a temporary file in the
  same folder and renamed into place (``os.replace``), so a reader sees a whole
  entry or none; a damaged entry is recompiled.
- Never in the way: a cache folder that cannot be created, read or written,
  or that another user could write to, silently means no cache.
- Bounded: an entry's time stamp is renewed when it is used, and whenever a
  new entry is written, entries unused for 30 days (old versions of edited
  templates) and temporary files left by a killed run are deleted, and then
  the least recently used entries until the folder holds at most
  ``WFPGEN_MAX_CACHE_BYTES`` (256 MiB; :mod:`wfpgen.limits`).
"""

import contextlib
import hashlib
import os
import stat
import sys
import tempfile
import time
from pathlib import Path

import jinja2
from jinja2 import BytecodeCache, Environment
from jinja2.bccache import Bucket

from wfpgen.errors import SpecError
from wfpgen.limits import CACHE_BYTES
from wfpgen.templating.environment import SYNTAX_OPTIONS

UNUSED_DAYS = 30
_FORMAT = "wfpgen-bytecode-1"
# Environment settings that change the code Jinja generates: the syntax options
# a template may set, and the ones wfpgen sets itself.
_SETTINGS = (*sorted(SYNTAX_OPTIONS), "optimized", "autoescape", "is_async", "sandboxed")


class TemplateBytecodeCache(BytecodeCache):
    """Jinja bytecode in a folder, one file per (environment, template name, source)."""

    def __init__(self, directory: Path, shipped: Path | None = None) -> None:
        self.directory = directory
        # Read-only entries for the built-in template, compiled when the wheel
        # was built (hatch_build.py): a first run needs no compiling either.
        self.shipped = shipped

    def get_bucket(
        self, environment: Environment, name: str, filename: str | None, source: str
    ) -> Bucket:
        """A bucket keyed by everything that decides the compiled code."""
        digest = hashlib.sha256()
        for part in (_FORMAT, _environment_key(environment), name, filename or "", source):
            digest.update(part.encode("utf-8", "surrogatepass"))
            digest.update(b"\0")
        bucket = Bucket(environment, digest.hexdigest(), self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        """Fill ``bucket`` from disk; a missing or unreadable entry leaves it empty."""
        path = self.directory / f"{bucket.key}.jbc"
        if self._load(bucket, path):
            with contextlib.suppress(OSError):
                os.utime(path)  # still in use: not pruned
        elif self.shipped is not None:
            self._load(bucket, self.shipped / f"{bucket.key}.jbc")

    @staticmethod
    def _load(bucket: Bucket, path: Path) -> bool:
        try:
            with path.open("rb") as entry:
                bucket.load_bytecode(entry)
        except Exception:  # any damage (truncated, foreign) means: compile again
            bucket.reset()
            return False
        return bucket.code is not None

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Write ``bucket`` atomically; a failed write is ignored (the code is still used)."""
        target = self.directory / f"{bucket.key}.jbc"
        try:
            handle, temporary = tempfile.mkstemp(dir=self.directory, prefix=".", suffix=".tmp")
        except OSError:
            return
        try:
            with os.fdopen(handle, "wb") as entry:
                bucket.write_bytecode(entry)
            Path(temporary).replace(target)
        except OSError:
            Path(temporary).unlink(missing_ok=True)
            return
        self.prune()

    def prune(self) -> None:
        """Delete stale entries and files, then the oldest beyond the size limit.

        Stale: entries unused for UNUSED_DAYS, temporary files older than a day.
        """
        now = time.time()
        kept: list[tuple[float, int, Path]] = []
        try:
            for path in self.directory.iterdir():
                info = path.stat()
                age = now - info.st_mtime
                if (path.suffix == ".jbc" and age > UNUSED_DAYS * 86400) or (
                    path.suffix == ".tmp" and age > 86400
                ):
                    path.unlink(missing_ok=True)
                elif path.suffix == ".jbc":
                    kept.append((info.st_mtime, info.st_size, path))
            try:
                room = CACHE_BYTES.value()
            except SpecError:  # a bad value is reported by the commands that read limits
                room = CACHE_BYTES.default
            for _, size, path in sorted(kept, reverse=True):  # newest first
                room -= size
                if room < 0:
                    path.unlink(missing_ok=True)
        except OSError:
            return


def open_cache(home: Path | None) -> TemplateBytecodeCache | None:
    """The bytecode cache in ``home``/templates, or None when it cannot be used safely."""
    if home is None:
        return None
    directory = home / "templates"
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = directory.stat()
        if not os.access(directory, os.R_OK | os.W_OK | os.X_OK):
            return None
    except OSError:
        return None
    if hasattr(os, "getuid") and (
        info.st_uid != os.getuid() or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    ):
        # Another user could plant code that the next render would run.
        return None
    shipped = Path(__file__).resolve().parents[1] / "data" / "bytecode"
    return TemplateBytecodeCache(directory, shipped if shipped.is_dir() else None)


def _environment_key(environment: Environment) -> str:
    kind = type(environment)
    settings = [f"{name}={getattr(environment, name, None)!r}" for name in _SETTINGS]
    extensions = sorted(environment.extensions)
    return "|".join(
        [
            f"jinja2={jinja2.__version__}",
            f"python={sys.implementation.name}-{sys.version_info[:3]}",
            f"{kind.__module__}.{kind.__qualname__}",
            *settings,
            *extensions,
        ]
    )
