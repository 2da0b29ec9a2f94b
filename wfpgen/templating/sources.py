"""Where a template comes from: the built-in one, a folder, a zip, or a git repository.

Public API (``new`` and ``update`` both use it):

``template_request(table, *, base, source=None, checkout=None, directory=None) -> TemplateRequest``
    What to fetch: the ``[template]`` table of a spec (``wfpgen.toml``),
    overridden by the command line. A relative local ``source`` in the table
    is relative to ``base``, the folder of the spec file. A recorded
    ``commit`` is checked out unless the command line names another source
    or ref, so regenerating a project uses the template text that built it.
``open_template(request, *, cache=...) -> Iterator[FetchedTemplate]``
    A context manager: fetches the template, yields where it is and what to
    record, and removes clones and unpacked zips afterwards.
``FetchedTemplate.record(project) -> dict``
    The ``[template]`` table to write into the project's ``wfpgen.toml``
    (empty for the built-in template).

Fetching follows cookiecutter's URL and abbreviation rules, and unpacks and
clones with :mod:`wfpgen.templating.fetching` (cookiecutter's rules, with
size, file-count and time limits) into a fresh folder in wfpgen's cache
(``wfpgen.paths.cache_dir()/sources``), never ``~/.cookiecutters``. Sources:

- ``builtin`` or nothing: the template inside wfpgen;
- a local folder, or a ``.zip`` file (path or ``https://`` URL);
- a git repository: ``https://...``, ``git+...``, ``ssh://``, ``file://...``,
  ``git@host:...``, and ``gh:owner/repo``, ``gl:owner/repo``,
  ``bb:owner/repo`` for GitHub, GitLab and Bitbucket. ``--checkout`` names
  a branch, tag or commit; the commit actually checked out is recorded. A
  ref that starts with ``-`` or is no valid ref name is refused (exit 2),
  from the command line or the recorded ``[template]`` table alike.

``--directory`` names the folder inside the source that holds
``cookiecutter.json``.
"""

import logging
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from wfpgen.errors import Problem, SpecError, TemplateError
from wfpgen.paths import cache_dir
from wfpgen.templating.fetching import (
    FetchError,
    check_commit,
    check_ref,
    download,
    git_checkout,
    remote_tags,
    unpack_zip,
)
from wfpgen.templating.render import DEFAULT_TEMPLATE, template_dir
from wfpgen.templating.source_errors import SOURCE_HINT, fetch_failure

BUILTIN = "builtin"
# cookiecutter's abbreviations, with Bitbucket as git (its Mercurial hosting ended in 2020).
ABBREVIATIONS = {
    "gh": "https://github.com/{0}.git",
    "gl": "https://gitlab.com/{0}.git",
    "bb": "git+https://bitbucket.org/{0}.git",
}
ZIP_PASSWORD_ENV = "WFPGEN_ZIP_PASSWORD"
Kind = Literal["builtin", "folder", "zip", "git"]


@dataclass(frozen=True)
class TemplateRequest:
    """Which template to fetch. ``source`` None is the built-in template."""

    source: str | None = None
    checkout: str | None = None
    commit: str | None = None
    directory: str | None = None
    base: Path = Path()  # relative local sources are relative to this folder


@dataclass(frozen=True)
class FetchedTemplate:
    """A template ready to render, and where it came from."""

    path: Path  # the folder holding cookiecutter.json
    kind: Kind
    source: str | None  # as the user wrote it (abbreviations kept); None: built-in
    checkout: str | None
    commit: str | None  # the git commit checked out
    directory: str | None
    local_path: Path | None = None  # a folder or zip source, absolute
    tags: tuple[str, ...] = ()  # a git source's tags (its releases among them)

    @property
    def builtin(self) -> bool:
        """Whether this is the template shipped inside wfpgen (trusted, no hooks)."""
        return self.kind == "builtin"

    @property
    def label(self) -> str:
        """Where the template came from, as the user named it: source, then ref and folder."""
        if self.builtin:
            return "the built-in template"
        where = str(self.local_path) if self.local_path is not None else self.source or ""
        if self.checkout:
            where += f" at {self.checkout}"
        if self.directory:
            where += f" (folder {self.directory})"
        return where

    def record(self, project: Path) -> dict[str, str]:
        """The ``[template]`` table for a project generated into ``project``.

        A local folder or zip is recorded relative to the project folder, so a
        project and its template can move together and the file stays the same
        on every machine.
        """
        if self.builtin:
            return {}
        source = self.source or ""
        if self.local_path is not None:
            source = _relative(self.local_path, project)
        table = {
            "source": source,
            "checkout": self.checkout,
            "commit": self.commit,
            "directory": self.directory,
        }
        return {key: value for key, value in table.items() if value is not None}


def template_request(
    table: Mapping[str, Any],
    *,
    base: Path,
    source: str | None = None,
    checkout: str | None = None,
    directory: str | None = None,
) -> TemplateRequest:
    """The template to use: the spec's ``[template]`` table, overridden by options.

    Raises:
        SpecError: a value in the table is not a string, or a ref could be
            taken for an option or is no valid ref name.
    """
    problems = [
        Problem(f"template.{key}", "expected a string", code="E111")
        for key in ("source", "checkout", "commit", "directory")
        if table.get(key) is not None and not isinstance(table[key], str)
    ]
    if problems:
        raise SpecError(problems)
    if checkout is not None:
        check_ref(checkout, "--checkout")
    if source is None:
        if table.get("checkout") is not None:
            check_ref(table["checkout"], "template.checkout")
        if table.get("commit") is not None:
            check_commit(table["commit"], "template.commit")
    if source is not None:
        # Another template: nothing of the recorded one applies.
        return TemplateRequest(source, checkout, None, directory, Path())
    recorded_source = table.get("source")
    if checkout is not None:
        commit = None
    else:
        checkout, commit = table.get("checkout"), table.get("commit")
    return TemplateRequest(
        source=recorded_source,
        checkout=checkout,
        commit=commit,
        directory=directory if directory is not None else table.get("directory"),
        base=base,
    )


@contextmanager
def open_template(
    request: TemplateRequest, *, cache: Path | None = None
) -> Iterator[FetchedTemplate]:
    """Fetch the template ``request`` names; clean clones and unpacked zips up afterwards.

    ``cache`` defaults to ``wfpgen.paths.cache_dir()``; with no cache folder
    a temporary folder is used.

    Raises:
        SpecError: the request is malformed (a ref for a folder, a bad directory).
        TemplateError: the template cannot be fetched or holds no cookiecutter.json.
    """
    source = request.source
    if source is None or source == BUILTIN:
        _refuse_options_for_builtin(request)
        yield FetchedTemplate(template_dir(DEFAULT_TEMPLATE), "builtin", None, None, None, None)
        return
    _check_directory(request.directory)
    _quiet_cookiecutter()
    # cookiecutter's repository code imports requests (slow): only for outside templates.
    from cookiecutter.repository import expand_abbreviations, is_repo_url, is_zip_file

    expanded = expand_abbreviations(source, ABBREVIATIONS)
    if is_zip_file(expanded) or is_repo_url(expanded):
        with _work_folder(cache) as work:
            if is_zip_file(expanded):
                yield _from_zip(request, expanded, work)
            else:
                yield _from_git(request, expanded, work)
        return
    local = _local(request.base, source)
    if not local.is_dir():
        raise TemplateError(
            f"template {source}: no such folder ({local})",
            SOURCE_HINT,
        )
    _refuse_ref(request, "a local folder")
    yield _found(
        FetchedTemplate(local, "folder", source, None, None, request.directory, local),
        request.directory,
    )


def _from_zip(request: TemplateRequest, expanded: str, work: Path) -> FetchedTemplate:
    from cookiecutter.repository import is_repo_url

    _refuse_ref(request, "a zip archive")
    is_url = is_repo_url(expanded)
    local = None if is_url else _local(request.base, expanded)
    if local is not None and not local.is_file():
        raise TemplateError(f"template {request.source}: no such zip file ({local})", SOURCE_HINT)

    def fetch() -> str:
        archive = local
        if archive is None:
            archive = work / "download.zip"
            download(expanded, archive)
        unpacked = work / "unpacked"
        unpacked.mkdir()
        return str(unpack_zip(archive, unpacked, password=os.environ.get(ZIP_PASSWORD_ENV)))

    unpacked = Path(_fetch_call(request, fetch))
    fetched = FetchedTemplate(unpacked, "zip", request.source, None, None, request.directory, local)
    return _found(fetched, request.directory)


def _from_git(request: TemplateRequest, expanded: str, work: Path) -> FetchedTemplate:
    from cookiecutter.vcs import identify_repo

    ref = request.commit or request.checkout
    # cookiecutter's rule: "git+" or "hg+" names the tool, else it is git.
    kind, url = identify_repo(
        expanded if expanded.startswith(("git+", "hg+")) else f"git+{expanded}"
    )
    if kind != "git":
        raise TemplateError(
            f"template {request.source}: only git repositories are supported", SOURCE_HINT
        )
    done: dict[str, str] = {}

    def fetch() -> str:
        repo, done["commit"] = git_checkout(url, ref, work)
        return str(repo)

    repo = Path(_fetch_call(request, fetch))
    commit = done["commit"]
    # The clone is shallow: the releases are the remote's tags, listed without their history.
    tags: list[tuple[str, ...]] = []
    _fetch_call(request, lambda: tags.append(remote_tags(url, repo)))
    fetched = FetchedTemplate(
        repo,
        "git",
        request.source,
        request.checkout,
        commit,
        request.directory,
        tags=tags[0],
    )
    return _found(fetched, request.directory)


def _fetch_call(request: TemplateRequest, fetch: Any) -> str:
    """Run a fetch; its errors become one-line template errors."""
    try:
        return str(fetch())
    except FetchError as err:
        raise TemplateError(f"template {request.source}: {err.reason}", err.hint) from err
    except (subprocess.CalledProcessError, OSError) as err:
        explained = fetch_failure(err, request.commit or request.checkout)
        reason, hint = explained or (str(err) or type(err).__name__, SOURCE_HINT)
        raise TemplateError(f"template {request.source}: {reason}", hint) from err
    except Exception as err:  # requests' errors for a zip URL, without importing requests
        explained = fetch_failure(err, None)
        if explained is None:
            raise
        raise TemplateError(f"template {request.source}: {explained[0]}", explained[1]) from err


def _found(fetched: FetchedTemplate, directory: str | None) -> FetchedTemplate:
    """``fetched`` moved to ``directory`` inside it, once it holds a cookiecutter.json."""
    path = fetched.path / directory if directory else fetched.path
    if not (path / "cookiecutter.json").is_file():
        inside = f" (folder {directory})" if directory else ""
        raise TemplateError(
            f"template {fetched.source}{inside} is not a cookiecutter template "
            "(no cookiecutter.json)",
            "point --template at a template, or --directory at the folder inside it that "
            "holds cookiecutter.json",
        )
    return replace(fetched, path=path)


def _local(base: Path, source: str) -> Path:
    path = Path(source).expanduser()
    return (path if path.is_absolute() else base / path).resolve()


def _relative(path: Path, project: Path) -> str:
    try:
        return PurePosixPath(Path(os.path.relpath(path, project.resolve()))).as_posix()
    except ValueError:  # another drive on Windows
        return path.as_posix()


def _quiet_cookiecutter() -> None:
    """Keep cookiecutter's log records (a traceback for a failed clone) off the terminal.

    Its failures reach wfpgen as exceptions and are reported as one line.
    """
    log = logging.getLogger("cookiecutter")
    if not any(isinstance(h, logging.NullHandler) for h in log.handlers):
        log.addHandler(logging.NullHandler())
    log.propagate = False


def _check_directory(directory: str | None) -> None:
    if directory is None:
        return
    parts = PurePosixPath(directory.replace("\\", "/")).parts
    if not parts or ".." in parts or PurePosixPath(directory).is_absolute():
        raise SpecError(
            [
                Problem(
                    "--directory",
                    f"{directory!r} must be a folder inside the template source",
                    code="E143",
                )
            ]
        )


def _refuse_ref(request: TemplateRequest, what: str) -> None:
    if request.checkout is not None or request.commit is not None:
        raise SpecError(
            [
                Problem(
                    "--checkout",
                    f"{request.source} is {what}; only git sources have refs",
                    code="E144",
                )
            ]
        )


def _refuse_options_for_builtin(request: TemplateRequest) -> None:
    given = [
        name
        for name, value in (("--checkout", request.checkout), ("--directory", request.directory))
        if value
    ]
    if given:
        raise SpecError(
            [
                Problem(
                    given[0],
                    "the built-in template has no refs or folders; pass --template too",
                    code="E144",
                )
            ]
        )


@contextmanager
def _work_folder(cache: Path | None) -> Iterator[Path]:
    """A fresh folder for one fetch, in the cache when there is one, removed afterwards.

    Folders left by runs that were killed are removed once they are a day old.
    """
    home = cache if cache is not None else cache_dir()
    parent: Path | None = None
    if home is not None:
        parent = home / "sources"
        try:
            parent.mkdir(parents=True, exist_ok=True)
        except OSError:
            parent = None
    if parent is not None:
        _remove_abandoned(parent)
    folder = Path(tempfile.mkdtemp(prefix=_WORK_PREFIX, dir=parent))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


_WORK_PREFIX = "fetch-"
_ABANDONED_AFTER = 24 * 3600  # seconds: no fetch takes a day


def _remove_abandoned(parent: Path) -> None:
    now = time.time()
    try:
        leftovers = [p for p in parent.iterdir() if p.name.startswith(_WORK_PREFIX)]
    except OSError:
        return
    for folder in leftovers:
        try:
            old = now - folder.stat().st_mtime > _ABANDONED_AFTER
        except OSError:
            continue
        if old:
            shutil.rmtree(folder, ignore_errors=True)
