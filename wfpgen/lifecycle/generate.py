"""Generate a project on disk.

The project is rendered into a staging folder beside the destination and
moved into place by a :class:`~wfpgen.lifecycle.transaction.DestinationTransaction`, so
a failure or a signal leaves the destination as it was. A dry run renders in
memory and never touches the disk.

Every project gets a base record (:mod:`wfpgen.lifecycle.base`) of what was generated,
so ``wfpgen update`` can merge later renders into it, and so ``--force``
can refuse to overwrite generated files the user edited.
"""

import errno
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from wfpgen.core.catalog import Catalog
from wfpgen.core.context import build_context
from wfpgen.core.spec import ProjectSpec, TemplateSpec
from wfpgen.errors import DestinationError, ExitCode, TemplateError
from wfpgen.lifecycle.answers import ANSWERS_FILE, answers_text
from wfpgen.lifecycle.base import (
    RECORD_FILES,
    edited_files,
    has_record,
    read_base,
    read_file,
    write_record,
)
from wfpgen.lifecycle.transaction import DestinationTransaction, held_folder
from wfpgen.templating.config import variable_values
from wfpgen.templating.hooks import render_with_hooks, require_trust
from wfpgen.templating.info import TemplateInfo, read_template
from wfpgen.templating.render import DEFAULT_TEMPLATE, render_files, render_project

# Errors of the file system rendering writes to, not of the template.
_DESTINATION_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EFBIG})


@dataclass(frozen=True)
class GenerationResult:
    """What was (or, for a dry run, would be) written."""

    target: Path
    files: tuple[str, ...]  # the project's files
    written: bool
    record: tuple[str, ...] = ()  # the base record's files (.wfpgen/)


class TargetNotFolderError(DestinationError):
    """The target names something that is not a folder."""

    exit_code = ExitCode.BAD_INPUT


class EditedProjectError(DestinationError):
    """``--force`` would overwrite generated files the user edited."""

    def __init__(self, target: Path, edited: list[str]) -> None:
        super().__init__(
            f"{target} holds a wfpgen project whose generated files were edited since "
            f"they were generated: {', '.join(edited)}; nothing was written",
            f"run `wfpgen update {target}` to merge the new render into your edits "
            f"(`wfpgen diff {target}` shows them)",
        )
        self.edited = edited


class UnrecordedFilesError(DestinationError):
    """``--force`` would overwrite files wfpgen has no record of generating."""

    def __init__(self, target: Path, names: list[str]) -> None:
        super().__init__(
            f"{target} holds files that wfpgen would overwrite but has no record of "
            f"generating: {', '.join(names)}; nothing was written",
            "move them away, or, in a project made by an older wfpgen, run "
            f"`wfpgen update --adopt {target}` and then `wfpgen update`",
        )
        self.names = names


def template_label(template: TemplateSpec) -> str:
    """How the base record names a template: built-in, or its source and commit."""
    if template.source is None:
        return f"builtin:{DEFAULT_TEMPLATE}"
    return template.source + (f"@{template.commit}" if template.commit else "")


def check_destination(target: Path, *, force: bool) -> None:
    """Refuse a target that is a file, or a non-empty folder without ``force``.

    With ``force``, a folder holding a wfpgen project is refused too when
    generated files in it were edited: ``wfpgen update`` keeps such edits.

    Raises:
        DestinationError: the target cannot be written.
        BaseRecordError: the project's base record is damaged.
    """
    if target.exists() and not target.is_dir():
        raise TargetNotFolderError(
            f"{target} exists and is not a folder", "choose another directory"
        )
    _check_parents(target)
    if target.is_dir() and any(target.iterdir()) and not force:
        raise DestinationError(
            f"{target} exists and is not empty",
            "choose another directory, or pass --force to overwrite the generated files",
        )
    if force and target.is_dir() and has_record(target):
        edited = edited_files(target, read_base(target))
        if edited:
            raise EditedProjectError(target, edited)


def _check_parents(target: Path) -> None:
    """The nearest existing part of ``target``'s path must be a folder (not a file, not a dangling link)."""
    for part in (target, *target.parents):
        if part.is_symlink() and not part.exists():
            raise TargetNotFolderError(
                f"{part} is a symbolic link to a missing path",
                "remove the link or choose another directory",
            )
        if part.exists():
            if not part.is_dir():
                raise TargetNotFolderError(
                    f"{part} is a file, so {target} cannot be created",
                    "choose a directory that is not under a file",
                )
            return


def generate_project(
    spec: ProjectSpec,
    catalog: Catalog,
    target: Path,
    *,
    template: Path,
    version: str,
    force: bool = False,
    dry_run: bool = False,
    trusted: bool = False,
) -> GenerationResult:
    """Render the resolved ``spec`` with ``template`` into ``target``.

    With ``dry_run`` the project is rendered in memory only, by the same
    renderer with the same checks, so the listed files are exactly what a real
    run writes (but the template's hooks do not run), and nothing touches the
    disk. ``trusted`` lets the template's hooks and Jinja extensions run
    (the built-in template is trusted; others need ``--trust``). The values of
    the template's own variables come from ``spec.template.variables`` and the
    template's defaults, and all of them are recorded in ``wfpgen.toml``.

    Raises:
        UntrustedTemplateError: the template has hooks or extensions and is not trusted.
        SpecError: ``spec.template.variables`` names a variable the template lacks.
    """
    if dry_run or not target.is_dir():
        return _generate(spec, catalog, target, template, version, force, dry_run, trusted)
    # An existing folder is locked (and what a killed run left there rolled back)
    # before its record or files are read.
    with held_folder(target):
        return _generate(spec, catalog, target, template, version, force, dry_run, trusted)


def _generate(
    spec: ProjectSpec,
    catalog: Catalog,
    target: Path,
    template: Path,
    version: str,
    force: bool,
    dry_run: bool,
    trusted: bool,
) -> GenerationResult:
    check_destination(target, force=force)
    info = read_template(template)
    if not dry_run:  # a dry run runs no hooks
        require_trust(info, trusted=trusted)
    values = variable_values(info.variables, spec.template.variables)
    spec = replace(spec, template=replace(spec.template, variables=values))
    context = template_context(spec, catalog, version=version)
    if dry_run:
        rendered = render_files(template, context, trusted=trusted)
        names = {item.path.as_posix() for item in rendered.files} | {ANSWERS_FILE}
        return GenerationResult(
            target=target, files=tuple(sorted(names)), written=False, record=RECORD_FILES
        )
    with DestinationTransaction(target) as tx:
        check_destination(target, force=force)  # again, now that no other run can change it
        try:
            project = _render(info, context, tx.scratch, trusted=trusted)
            files, record = _finish(project, spec, version)
        except TemplateError as err:
            cause = err.__cause__
            if isinstance(cause, OSError) and cause.errno in _DESTINATION_ERRNOS:
                # The staging folder is on the destination's file system: a full disk
                # or a quota shows up while rendering, not while committing.
                raise cause from err
            raise
        _check_overwrites(target, files)
        tx.commit(project, [*files, *record])
    return GenerationResult(target=target, files=files, written=True, record=record)


def _check_overwrites(target: Path, files: tuple[str, ...]) -> None:
    """Replace only files wfpgen generated there (check_destination refused edited ones).

    A file of the user's own at a path the new render writes, or any file in a
    folder without a base record, would be lost: refuse instead.
    """
    present = [name for name in files if read_file(target, name) is not None]
    generated = read_base(target).files if present and has_record(target) else {}
    unrecorded = [name for name in present if name not in generated]
    if unrecorded:
        raise UnrecordedFilesError(target, unrecorded)


def template_context(spec: ProjectSpec, catalog: Catalog, *, version: str) -> dict[str, Any]:
    """The exact context a template receives: wfpgen's values and the template's own."""
    return {**spec.template.variables, **build_context(spec, catalog, version=version)}


def _render(info: TemplateInfo, context: dict[str, Any], scratch: Path, *, trusted: bool) -> Path:
    if trusted:
        return render_with_hooks(info, context, scratch)
    return render_project(info.path, context, scratch, trusted=False)


def _finish(
    project: Path, spec: ProjectSpec, version: str
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Add wfpgen.toml and the base record; return the project's files and the record's."""
    (project / ANSWERS_FILE).write_bytes(answers_text(spec, version=version).encode())
    files = sorted(p for p in project.rglob("*") if p.is_file())
    contents = {p.relative_to(project).as_posix(): p.read_bytes() for p in files}
    label = template_label(spec.template)
    record = write_record(project, contents, version=version, template=label)
    return tuple(sorted(contents)), tuple(record)


def render_tree(
    spec: ProjectSpec,
    catalog: Catalog,
    template: Path,
    version: str,
    *,
    trusted: bool = False,
) -> dict[str, bytes]:
    """The files of ``spec`` rendered with ``template``, in memory: paths to bytes.

    The template's hooks do not run (updates re-render a template's files
    only). ``spec.template.variables`` must hold every variable's value.
    """
    rendered = render_files(
        template, template_context(spec, catalog, version=version), trusted=trusted
    )
    files = {item.path.as_posix(): item.data for item in rendered.files}
    files[ANSWERS_FILE] = answers_text(spec, version=version).encode()
    return files


def render_tree_with_hooks(
    spec: ProjectSpec, catalog: Catalog, info: TemplateInfo, version: str, scratch: Path
) -> dict[str, bytes]:
    """Like :func:`render_tree` for a trusted template, with its hooks run inside ``scratch``."""
    project = render_with_hooks(info, template_context(spec, catalog, version=version), scratch)
    (project / ANSWERS_FILE).write_bytes(answers_text(spec, version=version).encode())
    files = sorted(p for p in project.rglob("*") if p.is_file())
    return {p.relative_to(project).as_posix(): p.read_bytes() for p in files}
