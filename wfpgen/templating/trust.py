"""Templates the user trusts once, instead of passing ``--trust`` to every command.

A trusted template may run its hooks and Jinja extensions. Trust comes from
the user, never from a project: ``--trust`` on the command line, an entry
that ``wfpgen trust SOURCE`` wrote into the user's configuration file
(:func:`wfpgen.paths.config_file`), or ``WFPGEN_TRUST`` (entries separated by
``;`` or new lines, for CI). ``wfpgen.toml`` can name a template but cannot
trust it.

An entry is a source prefix, optionally with a ref pattern after ``@@``
(``gh:contoso/templates@@v*``). A git source matches when it equals the
entry or continues it after a ``/`` (``gh:contoso`` trusts every repository
of contoso); a folder or zip source matches the same way by its absolute
path. The ref pattern is a shell pattern (``fnmatch``) matched against the
ref the template was fetched at; without one, every ref matches.
"""

import fnmatch
import os
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import tomli_w

from wfpgen.errors import WfpgenError
from wfpgen.paths import config_file

TRUST_ENV = "WFPGEN_TRUST"
_REF_SEPARATOR = "@@"
MAX_CONFIG_BYTES = 1 << 20


class TrustConfigError(WfpgenError):
    """The configuration file cannot be read or written."""


@dataclass(frozen=True)
class TrustEntry:
    """A trusted source prefix and, optionally, the refs it is trusted at."""

    source: str
    refs: str = ""  # a shell pattern; "" for every ref

    @classmethod
    def parse(cls, text: str) -> "TrustEntry":
        """An entry as ``wfpgen trust`` and ``WFPGEN_TRUST`` spell it: ``SOURCE[@@REFS]``."""
        source, _, refs = text.strip().partition(_REF_SEPARATOR)
        return cls(normal_source(source), refs)

    def __str__(self) -> str:
        return self.source + (f"{_REF_SEPARATOR}{self.refs}" if self.refs else "")

    def matches(self, source: str, ref: str | None) -> bool:
        """Whether a template fetched from ``source`` (normalised) at ``ref`` is trusted."""
        prefix = self.source.rstrip("/")
        inside = source == self.source or source.startswith(prefix + "/")
        return inside and (not self.refs or fnmatch.fnmatchcase(ref or "", self.refs))


def normal_source(source: str, base: Path | None = None) -> str:
    """A source as trust entries compare it: URLs as written, folders and zips absolute."""
    if "://" in source or source.startswith(("git@", "git+", "gh:", "gl:", "bb:")):
        return source.rstrip("/")
    path = Path(source).expanduser()
    if not path.is_absolute():
        path = (base or Path.cwd()) / path
    return Path(os.path.normpath(path)).as_posix()


def environment_entries(environ: Mapping[str, str]) -> list[TrustEntry]:
    """The entries of ``WFPGEN_TRUST``."""
    text = environ.get(TRUST_ENV, "").replace("\n", ";")
    return [TrustEntry.parse(item) for item in text.split(";") if item.strip()]


def saved_entries(path: Path | None = None) -> list[TrustEntry]:
    """The entries of the configuration file (none when it does not exist).

    Raises:
        TrustConfigError: the file is not readable TOML of the expected shape.
    """
    path = path or config_file()
    if path is None or not path.is_file():
        return []
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_CONFIG_BYTES + 1)
        if len(data) > MAX_CONFIG_BYTES:
            raise TrustConfigError(f"{path} is larger than 1 MiB: not a wfpgen configuration")
        table = tomllib.loads(data.decode("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise TrustConfigError(f"cannot read {path}: {err}") from err
    trusted = table.get("trust", {}).get("sources", [])
    if not isinstance(trusted, list) or not all(isinstance(s, str) for s in trusted):
        raise TrustConfigError(f"{path}: [trust] sources must be a list of strings")
    return [TrustEntry.parse(item) for item in trusted]


def trusted_entries() -> list[TrustEntry]:
    """Every entry the user trusts: the configuration file's, then ``WFPGEN_TRUST``'s."""
    return [*saved_entries(), *environment_entries(os.environ)]


def is_trusted(source: str, ref: str | None, entries: Iterable[TrustEntry]) -> bool:
    """Whether any of ``entries`` trusts ``source`` (normalised) at ``ref``."""
    return any(entry.matches(source, ref) for entry in entries)


def save_entries(entries: Iterable[TrustEntry], path: Path | None = None) -> Path:
    """Write ``entries`` into the configuration file, keeping its other tables; return the file.

    Raises:
        TrustConfigError: no configuration folder is known, or the file cannot be written.
    """
    path = path or config_file()
    if path is None:
        raise TrustConfigError("no configuration folder is known here: set WFPGEN_CONFIG")
    table: dict[str, object] = {}
    if path.is_file():
        try:
            table = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
            raise TrustConfigError(f"cannot read {path}: {err}") from err
    trust = table.setdefault("trust", {})
    if not isinstance(trust, dict):
        raise TrustConfigError(f"{path}: [trust] must be a table")
    trust["sources"] = sorted({str(entry) for entry in entries})
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        scratch = path.with_name(path.name + ".tmp")
        scratch.write_text(tomli_w.dumps(table), encoding="utf-8")
        scratch.replace(path)  # whole or not at all
    except OSError as err:
        raise TrustConfigError(f"cannot write {path}: {err}") from err
    return path
