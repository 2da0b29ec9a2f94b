"""Render a cookiecutter template into a project: wfpgen's rendering engine.

Public API (stable; everything else here is private):

``render_project(template, context, output_dir, *, trusted=False, cache=True) -> Path``
    Render ``template`` (a cookiecutter template folder: ``cookiecutter.json``
    beside a ``{{cookiecutter.x}}`` folder) with ``context`` (the values
    templates see as ``cookiecutter.*``) into a new folder inside
    ``output_dir``; return that folder. Nothing is written unless every file
    rendered and every name passed the checks below.
``render_files(template, context, *, trusted=False, cache=True) -> RenderedProject``
    The same render in memory, writing nothing (dry runs, previews, diffs).
``template_dir(name="wfp-callout") -> Path``
    The built-in template's folder.

Both raise ``wfpgen.errors.TemplateError`` (exit status 1) for a missing or
broken template: syntax errors, undefined variables and any exception a
template raises (``{{ 1/0 }}``) are reported with the template file, the line
and Jinja's reason (which names an undefined variable), and file names that
would leave the project (``..``, absolute paths, drive letters), that
Windows cannot hold (``CON``, ``a:b``, ``x.``) or that collide are refused, as
are symlinks and other non-regular files in the template. They raise
``wfpgen.errors.UntrustedTemplateError`` (exit status 4) when an untrusted
template needs code to run: Jinja extensions it declares (``_extensions``),
``_jinja2_env_vars`` beyond syntax settings, or Python internals the sandbox
blocks. ``trusted=True`` (the CLI's ``--trust``) renders without the sandbox
and loads the template's extensions, as cookiecutter does.

Rendering follows cookiecutter's ``generate_files``: file and folder names are
templates; ``_copy_without_render`` patterns copy files (or whole folders)
without rendering them; binary files (not UTF-8, or holding NUL bytes) are
copied as they are; undefined variables are errors; trailing newlines are kept;
``{% include %}`` finds templates in the project folder, then in the
template's ``templates/`` folder; file modes are copied. Then wfpgen's own rules
apply (``wfpgen.templating.file_rules``): files that render to nothing but whitespace and
comments are left out, and line endings and encodings follow the file type.
Hooks are not run here. All templates share one Jinja environment, and their
compiled code is kept in wfpgen's cache folder (``wfpgen.templating.cache``).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from types import TracebackType
from typing import Any

from jinja2 import Environment, Template
from jinja2 import TemplateSyntaxError as JinjaSyntaxError
from jinja2.exceptions import SecurityError, UndefinedError

from wfpgen.errors import TemplateError, UntrustedTemplateError
from wfpgen.paths import cache_dir
from wfpgen.templating.cache import open_cache
from wfpgen.templating.environment import NAME_PREFIX, TRUST_HINT, build_environment
from wfpgen.templating.file_rules import finished_bytes, renders_to_nothing
from wfpgen.templating.files import (
    TemplateFile,
    copy_patterns,
    include_sources,
    new_lines,
    project_folder,
    read_tree,
    template_settings,
    umasked,
)
from wfpgen.templating.output_paths import check_output_path

DEFAULT_TEMPLATE = "wfp-callout"


@dataclass(frozen=True)
class RenderedFile:
    """One file of a rendered project."""

    path: PurePosixPath  # relative to the project folder
    data: bytes
    mode: int  # permission bits, from the template file


@dataclass(frozen=True)
class RenderedProject:
    """A rendered project: its folder name and its files, sorted by path."""

    name: str
    files: tuple[RenderedFile, ...]


def template_dir(name: str = DEFAULT_TEMPLATE) -> Path:
    """The built-in template called ``name``: packaged copy first, then the checkout's."""
    here = Path(__file__).resolve().parents[1]  # the wfpgen package
    packaged = here / "templates" / name
    if packaged.is_dir():
        return packaged
    return here.parent / "templates" / name


def render_project(
    template: Path,
    context: Mapping[str, Any],
    output_dir: Path,
    *,
    trusted: bool = False,
    cache: bool = True,
) -> Path:
    """Render ``template`` with ``context`` into a new folder in ``output_dir``; return it.

    Raises:
        TemplateError: the template is missing or broken, or the folder cannot be written.
        UntrustedTemplateError: the template needs code to run and is not trusted.
    """
    project = render_files(template, context, trusted=trusted, cache=cache)
    root = output_dir / project.name
    try:
        root.mkdir(parents=True)
        for item in project.files:
            path = root.joinpath(*item.path.parts)
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("xb") as out:
                out.write(item.data)
            path.chmod(umasked(item.mode))
    except OSError as err:
        raise TemplateError(f"writing {root} failed: {err.strerror or err}") from err
    return root


def render_files(
    template: Path, context: Mapping[str, Any], *, trusted: bool = False, cache: bool = True
) -> RenderedProject:
    """Render ``template`` with ``context`` in memory; see the module's documentation.

    Raises:
        TemplateError: the template is missing or broken.
        UntrustedTemplateError: the template needs code to run and is not trusted.
    """
    settings = template_settings(template)
    values = {**{k: v for k, v in settings.items() if k not in context}, **context}
    env_vars = values.get("_jinja2_env_vars") or {}
    if not isinstance(env_vars, Mapping):
        raise TemplateError(f"{template}: _jinja2_env_vars in cookiecutter.json must be an object")
    top = project_folder(template, env_vars)
    entries = list(read_tree(template, top, copy_patterns(values.get("_copy_without_render"))))
    sources = {e.name: (e.text, f"{top}/{e.name}") for e in entries if e.text is not None}
    for name, source in include_sources(template).items():
        sources.setdefault(name, source)
    environment = build_environment(
        sources=sources,
        extensions=[str(e) for e in values.get("_extensions") or ()],
        env_vars=env_vars,
        template=template,
        trusted=trusted,
        cache=open_cache(cache_dir()) if cache else None,
    )
    renderer = _Renderer(template, environment, {"cookiecutter": values})
    name = renderer.name(top, f"the project folder name '{top}'")
    if "/" in name or check_output_path(name):
        reason = check_output_path(name) or "holds a '/'"
        raise TemplateError(
            f"{template}: the project folder name renders to {name!r}, which {reason}"
        )
    newline = new_lines(values.get("_new_lines"))
    files = [f for entry in entries if (f := renderer.file(entry, newline)) is not None]
    _check_unique(template, files)
    return RenderedProject(name, tuple(sorted(files, key=lambda f: f.path)))


class _Renderer:
    """Renders names and files with one environment, and says where a failure is."""

    def __init__(self, template: Path, environment: Environment, values: dict[str, Any]) -> None:
        self.template = template
        self.environment = environment
        self.values = values
        self.starts = (
            environment.variable_start_string,
            environment.block_start_string,
            environment.comment_start_string,
        )

    def name(self, text: str, what: str) -> str:
        if not any(start in text for start in self.starts):
            return text
        try:
            # Through the loader, so that names are compiled once too.
            compiled = self.environment.get_template(NAME_PREFIX + text)
        except JinjaSyntaxError as err:
            raise self._failure(err, what) from err
        return self._render(compiled, what)

    def file(self, entry: TemplateFile, newline: str | None) -> RenderedFile | None:
        where = f"the name of {entry.name}"
        rendered = self.name(entry.rendered_part, where)
        path_text = rendered + entry.name[len(entry.rendered_part) :]
        *folders, file_name = path_text.split("/")
        if not file_name.strip():
            return None  # a name that renders empty leaves the file out, as in cookiecutter
        same_depth = len(folders) + 1 == len(entry.name.split("/"))
        if same_depth and not all(part.strip() for part in folders):
            # A folder of the template's own renders empty (a value that brings its
            # own slashes is judged by check_output_path below). Cookiecutter would
            # write such a folder's files into its parent.
            raise TemplateError(
                f"{self.template}: a folder name in {entry.name} renders to nothing, "
                "and a folder cannot be left out that way; nothing was written",
                "make each file in that folder conditional by its own name",
            )
        reason = check_output_path(path_text)
        if reason:
            raise TemplateError(
                f"{self.template}: {entry.name} renders to the file name {path_text!r}, "
                f"which {reason}; nothing was written",
                "template file names must stay inside the project and be valid on Windows",
            )
        path = PurePosixPath(path_text)
        if entry.text is None:
            return _copied_file(path, entry)
        try:
            compiled = self.environment.get_template(entry.name)
        except JinjaSyntaxError as err:
            raise self._failure(err, entry.name) from err
        text = self._render(compiled, entry.name)
        if newline and newline != "\n":
            text = text.replace("\n", newline)
        if renders_to_nothing(text, path):
            return None
        return RenderedFile(path, finished_bytes(text, path), entry.mode)

    def _render(self, compiled: Template, what: str) -> str:
        try:
            return compiled.render(self.values)
        except Exception as err:  # any template failure, Jinja's or Python's (1/0)
            raise self._failure(err, what) from err

    def _failure(self, err: Exception, what: str) -> TemplateError:
        where = _location(err, err.__traceback__, what)
        if isinstance(err, SecurityError):
            return UntrustedTemplateError(
                f"{self.template}: {where}: the sandbox refused: {str(err).rstrip('.')}",
                TRUST_HINT,
            )
        if isinstance(err, JinjaSyntaxError):
            reason = err.message or "syntax error"
        elif isinstance(err, UndefinedError):
            reason = f"undefined variable: {err}"  # Jinja's text names the variable
        elif type(err).__module__.startswith("jinja2."):
            reason = str(err)
        else:
            reason = f"{type(err).__name__}: {err}"
        return TemplateError(f"rendering {self.template} failed: {where}: {reason}")


def _location(err: Exception, tb: TracebackType | None, what: str) -> str:
    """``file, line N`` of the innermost template frame, else ``what``."""
    if isinstance(err, JinjaSyntaxError) and err.lineno:
        filename = err.filename if err.filename and err.filename != "<template>" else what
        return f"{filename}, line {err.lineno}"
    filename, line = what, 0
    while tb is not None:
        # Jinja rewrites tracebacks so that template frames carry the
        # template's file name and line, and mark them with this global.
        if "__jinja_exception__" in tb.tb_frame.f_globals:
            code_file = tb.tb_frame.f_code.co_filename
            filename = what if code_file == "<template>" else code_file
            line = tb.tb_lineno
        tb = tb.tb_next
    return f"{filename}, line {line}" if line else filename


def _copied_file(path: PurePosixPath, entry: TemplateFile) -> RenderedFile | None:
    try:
        text = entry.data.decode("utf-8")
    except UnicodeDecodeError:
        return RenderedFile(path, entry.data, entry.mode)  # binary: as it is
    if "\0" in text:
        return RenderedFile(path, entry.data, entry.mode)
    if not text.strip():
        return None
    return RenderedFile(path, finished_bytes(text, path), entry.mode)


def _check_unique(template: Path, files: list[RenderedFile]) -> None:
    seen: dict[str, PurePosixPath] = {}
    for item in files:
        key = item.path.as_posix().casefold()
        if key in seen:
            raise TemplateError(
                f"{template}: two template files render to {seen[key]} and {item.path}, "
                "one file on Windows; nothing was written"
            )
        seen[key] = item.path
