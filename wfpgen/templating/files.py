"""Reading a cookiecutter template folder: its settings, its project folder and its files.

Part of the renderer (``wfpgen.templating.render``): everything is read up front, and
anything that could smuggle in files from elsewhere is refused here: symbolic
links (a link can point at any file of the machine) and anything that is not
a regular file or folder (a FIFO would block the render).
"""

import fnmatch
import functools
import json
import os
import stat
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wfpgen.errors import TemplateError

# The cookiecutter.json keys that change how a template renders.
SETTINGS = ("_copy_without_render", "_extensions", "_jinja2_env_vars", "_new_lines")


@dataclass(frozen=True)
class TemplateFile:
    """A file of the template's project folder, read."""

    name: str  # path below the project folder, '/'-separated: the Jinja template name
    rendered_part: str  # the part of ``name`` whose names are rendered
    data: bytes
    text: str | None  # None: binary, or copied without rendering
    mode: int


@functools.cache
def _umask() -> int:
    """The process's umask (reading it means setting it; it is set straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def umasked(mode: int) -> int:
    """The permissions of a written project file whose template file has ``mode``.

    Every file wfpgen writes follows the umask the same way: read and write
    for whom the umask allows, as ``open()`` creates ``wfpgen.toml`` and
    ``.wfpgen/``; and executable as well where the template's file is, so
    scripts stay runnable.
    """
    wanted = 0o777 if mode & 0o111 else 0o666
    return wanted & ~_umask()


def template_settings(template: Path) -> dict[str, Any]:
    """The cookiecutter settings (``_copy_without_render``, ...) in ``cookiecutter.json``."""
    path = template / "cookiecutter.json"
    if path.is_symlink() or not path.is_file():
        raise TemplateError(
            f"{template} is not a cookiecutter template (no cookiecutter.json)",
            "point --template at a folder holding cookiecutter.json",
        )
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError) as err:
        raise TemplateError(f"{path} cannot be read: {err}") from err
    if not isinstance(data, dict):
        raise TemplateError(f"{path} must hold a JSON object")
    return {key: data[key] for key in SETTINGS if key in data}


def project_folder(template: Path, env_vars: Mapping[str, Any]) -> str:
    """The name of the template's project folder, found as cookiecutter finds it."""
    start = str(env_vars.get("variable_start_string", "{{"))
    end = str(env_vars.get("variable_end_string", "}}"))
    try:
        names = sorted(path.name for path in template.iterdir())
    except OSError as err:
        raise TemplateError(f"{template} cannot be read: {err.strerror or err}") from err
    for name in names:
        if "cookiecutter" in name and start in name and end in name:
            if (template / name).is_symlink() or not (template / name).is_dir():
                raise TemplateError(f"{template}/{name} must be a folder, not a link or a file")
            return name
    raise TemplateError(
        f"{template} has no project folder named like {{{{cookiecutter.project_slug}}}}"
    )


def copy_patterns(value: Any) -> tuple[str, ...]:
    """The ``_copy_without_render`` patterns (fnmatch, on paths in the project folder)."""
    if value is None:
        return ()
    if isinstance(value, str) or not all(isinstance(p, str) for p in value):
        raise TemplateError("_copy_without_render in cookiecutter.json must be a list of patterns")
    return tuple(value)


def new_lines(value: Any) -> str | None:
    """The ``_new_lines`` setting: the line break rendered files get, None for the default."""
    if value is None or value == "":
        return None
    if value not in ("\n", "\r\n", "\r"):
        raise TemplateError('_new_lines in cookiecutter.json must be "\\n", "\\r\\n" or "\\r"')
    return str(value)


def read_tree(template: Path, top: str, copy_only: tuple[str, ...]) -> Iterator[TemplateFile]:
    """Every file below the project folder, in cookiecutter's order, refusing links."""
    root = template / top

    def walk(folder: Path, prefix: str, rendered_part: str | None) -> Iterator[TemplateFile]:
        try:
            children = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as err:
            raise TemplateError(f"{folder} cannot be read: {err.strerror or err}") from err
        dirs = []
        for child in children:
            name = prefix + child.name
            if child.is_symlink():
                raise TemplateError(
                    f"{template}: {top}/{name} is a symbolic link; wfpgen refuses links in "
                    "templates (they can copy any file of this machine into the project)",
                    "replace the link with the file or folder it points to",
                )
            if child.is_dir(follow_symlinks=False):
                dirs.append(child)
                continue
            if not child.is_file(follow_symlinks=False):
                raise TemplateError(f"{template}: {top}/{name} is not a regular file or folder")
            own = rendered_part
            if own is None and _matches(name, copy_only):
                own = name
            yield _read_file(Path(child.path), name, own, template, top)
        for child in dirs:
            name = prefix + child.name
            own = rendered_part
            if own is None and _matches(name, copy_only):
                own = name
            yield from walk(Path(child.path), name + "/", own)

    yield from walk(root, "", None)


def _matches(name: str, patterns: tuple[str, ...]) -> bool:
    native = name.replace("/", os.sep)
    return any(fnmatch.fnmatch(native, pattern) for pattern in patterns)


def _read_file(
    path: Path, name: str, copied_part: str | None, template: Path, top: str
) -> TemplateFile:
    try:
        data = path.read_bytes()
        mode = stat.S_IMODE(path.stat().st_mode) | stat.S_IWUSR
    except OSError as err:
        raise TemplateError(f"{template}: {top}/{name} cannot be read: {err.strerror}") from err
    if copied_part is not None:
        return TemplateFile(name, copied_part, data, None, mode)
    return TemplateFile(name, name, data, _text(data), mode)


def _text(data: bytes) -> str | None:
    """The text of a template file, or None for a binary file (copied as it is)."""
    if b"\0" in data:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def include_sources(template: Path) -> dict[str, tuple[str, str]]:
    """Templates in ``templates/`` beside the project folder, for ``{% include %}``."""
    folder = template / "templates"
    if folder.is_symlink() or not folder.is_dir():
        return {}
    sources = {}
    for entry in read_tree(template, "templates", ()):
        if entry.text is not None:
            sources[entry.name] = (entry.text, f"templates/{entry.name}")
    return sources
