"""The base record: the exact files wfpgen generated last time, kept in the project.

``wfpgen update`` merges three versions of every file: the user's (the tree),
the new render, and the base, what was generated last time. The base must be
available byte for byte even after wfpgen or the template changed, and in
every clone of the project, so it is recorded in the project itself, in
``.wfpgen/``:

- ``base.zip``: every generated file exactly as written (``wfpgen.toml``
  included), stored uncompressed. Deterministic: sorted names, fixed
  timestamps and permissions, and no compressor whose output differs
  between zlib builds, so the same render gives the same bytes on every
  machine (git compresses it in its own object store anyway). A zip,
  because Windows opens it without extra tools.
- ``base.toml``: a readable manifest: format, wfpgen version, template, and
  the SHA-256 of every file in the archive. Reading checks the archive
  against it, so a damaged record is reported instead of merged against.
- ``.gitattributes``: the record is stored byte for byte (no line-ending
  conversion), the archive is binary, and all of it is generated (collapsed
  in GitHub's diffs and statistics).
- ``README.md``: what the folder is, for whoever finds it.

The alternatives were worse: regenerating the base from the recorded wfpgen
version and template commit is not exact once either changed (and needs the
old wfpgen installed); git objects (a ref or a note) are not fetched by a
plain clone and do not exist outside git.
"""

import hashlib
import io
import tomllib
import zipfile
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import tomli_w

from wfpgen.errors import WfpgenError
from wfpgen.lifecycle.merge import same_content
from wfpgen.lifecycle.paths import project_path
from wfpgen.limits import (
    CHUNK,
    RECORD_BYTES,
    RECORD_FILE_COUNT,
    SPEC_BYTES,
    TooLargeError,
    amount,
    read_file_at_most,
)

RECORD_DIR = ".wfpgen"
ARCHIVE = f"{RECORD_DIR}/base.zip"
MANIFEST = f"{RECORD_DIR}/base.toml"
ATTRIBUTES = f"{RECORD_DIR}/.gitattributes"
README = f"{RECORD_DIR}/README.md"
RECORD_FILES = (ARCHIVE, MANIFEST, ATTRIBUTES, README)
FORMAT = 1

_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip can hold
_ATTRIBUTES_TEXT = """\
# wfpgen's record of the generated files: stored byte for byte, collapsed in reviews.
* -text linguist-generated
base.zip binary
"""
_README_TEXT = """\
# .wfpgen: what wfpgen generated last time

`base.zip` holds every file exactly as wfpgen generated it, and `base.toml`
lists them with their SHA-256. `wfpgen update` merges its new render into
your files against this base, so your edits survive; `wfpgen diff` shows
your edits against it; `wfpgen check` says whether an update would change
anything. Commit this folder with the project and do not edit it: wfpgen
rewrites it when an update completes.
"""
_MANIFEST_HEADER = "# Written by wfpgen: the files it generated last time (see README.md).\n"


class BaseRecordError(WfpgenError):
    """The base record is missing or damaged."""


class ProjectFileTooLargeError(WfpgenError):
    """A file at a generated path is too large to compare or merge."""


@dataclass(frozen=True)
class Base:
    """What wfpgen generated last time, and with what."""

    files: Mapping[str, bytes]
    wfpgen_version: str
    template: str

    def spec_text(self) -> bytes | None:
        """The ``wfpgen.toml`` that was generated, if any."""
        return self.files.get("wfpgen.toml")


def is_record_file(path: str) -> bool:
    """True for the files of the record itself, which are never merged."""
    return path == RECORD_DIR or path.startswith(f"{RECORD_DIR}/")


def digest(data: bytes) -> str:
    """The manifest's spelling of a file's hash."""
    return "sha256:" + hashlib.sha256(data).hexdigest()


def archive_bytes(files: Mapping[str, bytes]) -> bytes:
    """A deterministic zip of ``files`` (relative POSIX paths to contents)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_STORED
            info.create_system = 3  # the same on every platform
            info.external_attr = 0o100644 << 16
            archive.writestr(info, files[name])
    return buffer.getvalue()


def manifest_text(files: Mapping[str, bytes], *, version: str, template: str) -> str:
    """The text of ``base.toml`` for ``files``."""
    data = {
        "format": FORMAT,
        "wfpgen_version": version,
        "template": template,
        "files": {name: digest(files[name]) for name in sorted(files)},
    }
    return _MANIFEST_HEADER + "\n" + tomli_w.dumps(data)


def record_contents(files: Mapping[str, bytes], *, version: str, template: str) -> dict[str, bytes]:
    """The record's files (relative paths to bytes) for a render of ``files``."""
    return {
        ARCHIVE: archive_bytes(files),
        MANIFEST: manifest_text(files, version=version, template=template).encode(),
        ATTRIBUTES: _ATTRIBUTES_TEXT.encode(),
        README: _README_TEXT.encode(),
    }


def write_record(
    project: Path, files: Mapping[str, bytes], *, version: str, template: str
) -> list[str]:
    """Write the record of ``files`` into ``project``; return the paths written."""
    contents = record_contents(files, version=version, template=template)
    for name, data in contents.items():
        path = project / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return sorted(contents)


def has_record(project: Path) -> bool:
    """Whether ``project`` holds a base record (complete or not)."""
    return (project / MANIFEST).is_file() or (project / ARCHIVE).is_file()


def read_base(project: Path) -> Base:
    """The base recorded in ``project``, checked against its manifest.

    Raises:
        BaseRecordError: the record is missing, unreadable or damaged.
    """
    restore = f"restore {project / RECORD_DIR} from version control"
    if not has_record(project):
        raise BaseRecordError(
            f"{project} has no record of what wfpgen generated ({MANIFEST} is missing)",
            f"restore the folder {RECORD_DIR} from version control, or record one with "
            f"`wfpgen update --adopt {project}` (your files then count as edits of its render)",
        )
    manifest_path = project_path(project, MANIFEST, source="wfpgen")
    archive_path = project_path(project, ARCHIVE, source="wfpgen")
    try:
        # The manifest lists one line per file: the spec limit fits thousands.
        manifest = tomllib.loads(read_file_at_most(manifest_path, SPEC_BYTES).decode())
    except TooLargeError as err:
        raise BaseRecordError(f"{project / MANIFEST} is {err}", restore) from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise BaseRecordError(
            f"cannot read the base record in {project / RECORD_DIR}: {err}", restore
        ) from err
    listed = manifest.get("files", {})
    if not isinstance(listed, dict):
        raise BaseRecordError(f"{project / MANIFEST} has no table of files", restore)
    for name in listed:  # every name is checked before any is used
        project_path(project, name, source=str(project / MANIFEST))
    if manifest.get("format") != FORMAT:
        raise BaseRecordError(
            f"{project / MANIFEST} has format {manifest.get('format')!r}; this wfpgen reads {FORMAT}",
            "update wfpgen",
        )
    try:
        files = _read_archive(
            archive_path,
            restore,
            lambda name: project_path(project, name, source=str(project / ARCHIVE)),
        )
    except (
        OSError,
        EOFError,
        RuntimeError,
        NotImplementedError,
        zlib.error,
        zipfile.BadZipFile,
    ) as err:
        # A zip made by hand may be encrypted, compressed oddly, or cut short.
        raise BaseRecordError(
            f"cannot read the base record in {project / RECORD_DIR}: {err}", restore
        ) from err
    if set(listed) != set(files):
        raise BaseRecordError(
            f"{project / MANIFEST} and {project / ARCHIVE} list different files", restore
        )
    for name, data in files.items():
        if listed[name] != digest(data):
            raise BaseRecordError(
                f"{project / ARCHIVE}: {name} does not match its hash in the manifest", restore
            )
    return Base(
        files=files,
        wfpgen_version=str(manifest.get("wfpgen_version", "")),
        template=str(manifest.get("template", "")),
    )


def recorded_version(project: Path) -> str:
    """The wfpgen version the project's record names; empty when there is no readable one.

    Read on its own, before anything else, so that a command can say when the
    running wfpgen is older than the one that last generated the project.
    """
    try:
        path = project_path(project, MANIFEST, source="the project")
        manifest = tomllib.loads(read_file_at_most(path, SPEC_BYTES).decode())
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, WfpgenError, TooLargeError):
        return ""
    version = manifest.get("wfpgen_version", "")
    return version if isinstance(version, str) else ""


def newer_version(recorded: str, running: str) -> bool:
    """True when ``recorded`` (X.Y.Z) is a later release than ``running``."""

    def numbers(version: str) -> tuple[int, ...] | None:
        parts = version.split(".")
        return tuple(map(int, parts)) if all(p.isdigit() for p in parts) else None

    first, second = numbers(recorded), numbers(running)
    return first is not None and second is not None and first > second


def _read_archive(
    path: Path, restore: str, check_name: Callable[[str], object]
) -> dict[str, bytes]:
    """The files in the record's archive, within the record's limits.

    The file count, sizes and names (``check_name`` raises for a name that
    leaves the project) are checked from the zip's directory before anything
    is read, and each entry is read in chunks, counting, so an entry appended
    by hand (a 2 GiB one) is refused without being read.

    Raises:
        BaseRecordError: the archive exceeds a limit.
        OSError, zipfile.BadZipFile: it cannot be read.
    """
    most = RECORD_BYTES.value()
    if path.stat().st_size > most + RECORD_FILE_COUNT.value() * 200:  # headers: ~100 bytes a file
        raise BaseRecordError(f"{path} is larger than {RECORD_BYTES.describe()}", restore)
    with zipfile.ZipFile(path) as archive:
        entries = archive.infolist()
        if len(entries) > RECORD_FILE_COUNT.value():
            raise BaseRecordError(
                f"{path} lists {len(entries)} files, more than {RECORD_FILE_COUNT.describe()}",
                restore,
            )
        declared = sum(entry.file_size for entry in entries)
        if declared > most:
            raise BaseRecordError(
                f"{path} holds {amount(declared, 'bytes')}, more than {RECORD_BYTES.describe()}",
                restore,
            )
        names = [entry.filename for entry in entries]
        for name in names:  # before a byte is read
            check_name(name)
        if len(set(names)) != len(names):
            raise BaseRecordError(f"{path} holds a file twice; the record is damaged", restore)
        files = {}
        for entry in entries:
            chunks = []
            with archive.open(entry) as member:
                while chunk := member.read(CHUNK):
                    chunks.append(chunk)
                    most -= len(chunk)
                    if most < 0:  # the directory understated a size
                        raise BaseRecordError(
                            f"{path} holds more than {RECORD_BYTES.describe()}", restore
                        )
            files[entry.filename] = b"".join(chunks)
    return files


def read_file(project: Path, name: str, *, source: str = "the render") -> bytes | None:
    """The bytes of the project's file ``name``, or None when there is no such file.

    Raises:
        UnsafePathError: ``name`` leaves the project or goes through a link
            (``source`` says where the name came from).
        ProjectFileTooLargeError: the file is larger than the whole record may be
            (``WFPGEN_MAX_RECORD_BYTES``): no generated file is, and reading it
            could exhaust the memory.
    """
    path = project_path(project, name, source=source)
    if not path.is_file():
        return None
    try:
        return read_file_at_most(path, RECORD_BYTES)
    except TooLargeError as err:
        raise ProjectFileTooLargeError(
            f"{path} is {err}", "wfpgen never generated a file that large: move it aside"
        ) from None


def edited_files(project: Path, base: Base) -> list[str]:
    """Generated files the user changed since they were generated (line ends aside).

    Files the user deleted are not listed: generating again loses nothing.
    """
    edited = []
    for name, generated in sorted(base.files.items()):
        current = read_file(project, name)
        if current is not None and not same_content(current, generated):
            edited.append(name)
    return edited
