"""How much wfpgen reads, unpacks and waits for: every input from outside is bounded.

A spec file, a template archive or checkout, a project's base record and a
git child process each have a limit. Reading stops at the limit (a spec of
``/dev/zero`` costs one mebibyte, not all the memory), archives are measured
from their directory before anything is unpacked, and signals are acted on
between the chunks of every read. Each limit has a default that fits every
real project many times over, and an environment variable to raise it:

======================================  ==========  =====================================
Variable                                Default     What it bounds
======================================  ==========  =====================================
``WFPGEN_MAX_SPEC_BYTES``               1 MiB       a spec file (``--config``, ``wfpgen.toml``)
``WFPGEN_MAX_TEMPLATE_BYTES``           100 MiB     a template: zip download, unpacked zip,
                                                    git transfer, checked-out tree
``WFPGEN_MAX_TEMPLATE_FILES``           10000       files in a template zip or checkout
``WFPGEN_MAX_TEMPLATE_FILE_BYTES``      20 MiB      one file of a template zip or checkout
``WFPGEN_MAX_ZIP_RATIO``                100         unpacked / packed size of a zip entry
``WFPGEN_MAX_RECORD_BYTES``             64 MiB      the base record (``.wfpgen/base.zip``)
``WFPGEN_MAX_RECORD_FILES``             10000       files in the base record
``WFPGEN_GIT_TIMEOUT``                  60          seconds one git command may take
``WFPGEN_MAX_CACHE_BYTES``              256 MiB     compiled templates kept in the cache
======================================  ==========  =====================================

Values are whole numbers (bytes, files or seconds); a value that is not one
is an input error naming the variable.
"""

import os
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from wfpgen.errors import Problem, SpecError

MIB = 1024 * 1024
CHUNK = 64 * 1024  # bytes per read: small enough that a signal is acted on at once


@dataclass(frozen=True)
class Limit:
    """One bound, its default and the environment variable that raises it."""

    env: str
    default: int
    unit: str  # "bytes", "files", "seconds" or "" (a ratio)

    def value(self) -> int:
        """The limit in force: the environment variable's value, else the default.

        Raises:
            SpecError: the variable is set to something other than a positive whole number.
        """
        text = os.environ.get(self.env, "").strip()
        if not text:
            return self.default
        try:
            number = int(text)
        except ValueError:
            number = 0
        if number <= 0:
            raise SpecError([Problem(self.env, f"expected a positive whole number, not {text!r}")])
        return number

    def describe(self, value: int | None = None) -> str:
        """The limit in words: ``1 MiB (set WFPGEN_MAX_SPEC_BYTES to raise it)``."""
        return f"{amount(self.value() if value is None else value, self.unit)} (set {self.env} to raise it)"


SPEC_BYTES = Limit("WFPGEN_MAX_SPEC_BYTES", MIB, "bytes")
TEMPLATE_BYTES = Limit("WFPGEN_MAX_TEMPLATE_BYTES", 100 * MIB, "bytes")
TEMPLATE_FILES = Limit("WFPGEN_MAX_TEMPLATE_FILES", 10_000, "files")
TEMPLATE_FILE_BYTES = Limit("WFPGEN_MAX_TEMPLATE_FILE_BYTES", 20 * MIB, "bytes")
ZIP_RATIO = Limit("WFPGEN_MAX_ZIP_RATIO", 100, "")
RECORD_BYTES = Limit("WFPGEN_MAX_RECORD_BYTES", 64 * MIB, "bytes")
RECORD_FILE_COUNT = Limit("WFPGEN_MAX_RECORD_FILES", 10_000, "files")
GIT_TIMEOUT = Limit("WFPGEN_GIT_TIMEOUT", 60, "seconds")
CACHE_BYTES = Limit("WFPGEN_MAX_CACHE_BYTES", 256 * MIB, "bytes")


def amount(value: int, unit: str) -> str:
    """``value`` in ``unit`` for a message: bytes in the largest binary unit it reaches."""
    if unit != "bytes":
        return f"{value} {unit}".rstrip() if unit else f"{value}:1"
    for name, size in (("GiB", 1024 * MIB), ("MiB", MIB), ("KiB", 1024)):
        if value >= size and value % size == 0:
            return f"{value // size} {name}"
        if value >= max(size, MIB):
            return f"{value / size:.1f} {name}"
    return f"{value} bytes"


class TooLargeError(Exception):
    """A read stopped at its limit; the caller names the input and picks the exit status."""

    def __init__(self, limit: Limit, value: int) -> None:
        super().__init__(f"larger than {limit.describe(value)}")
        self.limit = limit
        self.value = value


def read_at_most(stream: BinaryIO, limit: Limit, value: int | None = None) -> bytes:
    """All of ``stream`` if it holds at most the limit's bytes, read in small chunks.

    Never reads more than one chunk past the limit, so an endless or huge
    input (``/dev/zero``, a FIFO) costs no more than the limit; a signal
    handler runs between chunks (and interrupts a read that waits).

    Raises:
        TooLargeError: the stream holds more than the limit.
    """
    most = limit.value() if value is None else value
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = stream.read(min(CHUNK, most + 1 - size))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
        if size > most:
            raise TooLargeError(limit, most)


def read_file_at_most(path: Path, limit: Limit) -> bytes:
    """The bytes of the file ``path``, if it holds at most the limit's bytes.

    Raises:
        TooLargeError: the file is larger than the limit.
        OSError: the file cannot be opened or read.
    """
    with path.open("rb", buffering=0) as stream:
        return read_at_most(stream, limit)
