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
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import tomli_w

from wfpgen.errors import WfpgenError
from wfpgen.lifecycle.merge import same_content

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
    try:
        manifest = tomllib.loads((project / MANIFEST).read_text(encoding="utf-8"))
        with zipfile.ZipFile(project / ARCHIVE) as archive:
            files = {name: archive.read(name) for name in archive.namelist()}
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, zipfile.BadZipFile) as err:
        raise BaseRecordError(
            f"cannot read the base record in {project / RECORD_DIR}: {err}", restore
        ) from err
    if manifest.get("format") != FORMAT:
        raise BaseRecordError(
            f"{project / MANIFEST} has format {manifest.get('format')!r}; this wfpgen reads {FORMAT}",
            "update wfpgen",
        )
    listed = manifest.get("files", {})
    if not isinstance(listed, dict) or set(listed) != set(files):
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


def read_file(project: Path, name: str) -> bytes | None:
    """The bytes of the project's file ``name``, or None when there is no such file."""
    path = project / name
    return path.read_bytes() if path.is_file() else None


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
