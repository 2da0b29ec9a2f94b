"""Generate a project on disk.

The project is rendered into a staging folder beside the destination and
moved into place by a :class:`~wfpgen.transaction.DestinationTransaction`, so
a failure or a signal leaves the destination as it was. A dry run renders in
memory and never touches the disk.

Every project gets a base record (:mod:`wfpgen.base`) of what was generated,
so ``wfpgen update`` can merge later renders into it, and so ``--force``
can refuse to overwrite generated files the user edited.
"""

from dataclasses import dataclass
from pathlib import Path

from wfpgen.answers import ANSWERS_FILE, answers_text
from wfpgen.base import RECORD_FILES, edited_files, has_record, read_base, write_record
from wfpgen.catalog import Catalog
from wfpgen.context import build_context
from wfpgen.errors import DestinationError, ExitCode
from wfpgen.render import DEFAULT_TEMPLATE, render_files, render_project, template_dir
from wfpgen.spec import ProjectSpec
from wfpgen.transaction import DestinationTransaction


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


def template_label(template: Path) -> str:
    """How the base record names ``template``: the built-in one, or a local folder."""
    if template.resolve() == template_dir().resolve():
        return f"builtin:{DEFAULT_TEMPLATE}"
    return f"local:{template.resolve().as_posix()}"


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
    if target.is_dir() and any(target.iterdir()) and not force:
        raise DestinationError(
            f"{target} exists and is not empty",
            "choose another directory, or pass --force to overwrite the generated files",
        )
    if force and target.is_dir() and has_record(target):
        edited = edited_files(target, read_base(target))
        if edited:
            raise EditedProjectError(target, edited)


def generate_project(
    spec: ProjectSpec,
    catalog: Catalog,
    target: Path,
    *,
    template: Path,
    version: str,
    force: bool = False,
    dry_run: bool = False,
) -> GenerationResult:
    """Render the resolved ``spec`` with ``template`` into ``target``.

    With ``dry_run`` the project is rendered in memory only, by the same
    renderer with the same checks, so the listed files are exactly what a real
    run writes, and nothing touches the disk.
    """
    check_destination(target, force=force)
    if dry_run:
        rendered = render_files(template, build_context(spec, catalog, version=version))
        names = {item.path.as_posix() for item in rendered.files} | {ANSWERS_FILE}
        return GenerationResult(
            target=target, files=tuple(sorted(names)), written=False, record=RECORD_FILES
        )
    with DestinationTransaction(target) as tx:
        check_destination(target, force=force)  # again, now that no other run can change it
        project, files, record = _render(spec, catalog, template, version, tx.scratch)
        tx.commit(project, [*files, *record])
    return GenerationResult(target=target, files=files, written=True, record=record)


def _render(
    spec: ProjectSpec, catalog: Catalog, template: Path, version: str, scratch: Path
) -> tuple[Path, tuple[str, ...], tuple[str, ...]]:
    context = build_context(spec, catalog, version=version)
    project = render_project(template, context, scratch)
    (project / ANSWERS_FILE).write_bytes(answers_text(spec, version=version).encode())
    files = sorted(p for p in project.rglob("*") if p.is_file())
    contents = {p.relative_to(project).as_posix(): p.read_bytes() for p in files}
    record = write_record(project, contents, version=version, template=template_label(template))
    return project, tuple(sorted(contents)), tuple(record)


def render_tree(
    spec: ProjectSpec, catalog: Catalog, template: Path, version: str
) -> dict[str, bytes]:
    """The files of ``spec`` rendered with ``template``, in memory: paths to bytes."""
    rendered = render_files(template, build_context(spec, catalog, version=version))
    files = {item.path.as_posix(): item.data for item in rendered.files}
    files[ANSWERS_FILE] = answers_text(spec, version=version).encode()
    return files
