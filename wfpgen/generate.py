"""Generate a project on disk: the only module that writes to the destination.

The project is rendered into a private staging folder first and moved into
place only when everything succeeded, so a failure leaves nothing behind.
"""

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from wfpgen.answers import ANSWERS_FILE, answers_text
from wfpgen.catalog import Catalog
from wfpgen.context import build_context
from wfpgen.errors import DestinationError
from wfpgen.render import render_project
from wfpgen.spec import ProjectSpec


@dataclass(frozen=True)
class GenerationResult:
    """What was (or, for a dry run, would be) written."""

    target: Path
    files: tuple[str, ...]
    written: bool


def check_destination(target: Path, *, force: bool) -> None:
    """Refuse a target that is a file, or a non-empty folder without ``force``.

    Raises:
        DestinationError: the target cannot be written.
    """
    if target.exists() and not target.is_dir():
        raise DestinationError(f"{target} exists and is not a folder", "choose another directory")
    if target.is_dir() and any(target.iterdir()) and not force:
        raise DestinationError(
            f"{target} exists and is not empty",
            "choose another directory, or pass --force to overwrite the generated files",
        )


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

    With ``dry_run`` the project is rendered to a temporary folder only, so the
    listed files are exactly what a real run writes.
    """
    check_destination(target, force=force)
    context = build_context(spec, catalog, version=version)
    with _staging() as staging:
        project = render_project(template, context, staging)
        (project / ANSWERS_FILE).write_bytes(answers_text(spec, version=version).encode())
        files = tuple(
            sorted(p.relative_to(project).as_posix() for p in project.rglob("*") if p.is_file())
        )
        if not dry_run:
            _move_into_place(project, target, files)
    return GenerationResult(target=target, files=files, written=not dry_run)


@contextmanager
def _staging() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="wfpgen-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _move_into_place(project: Path, target: Path, files: tuple[str, ...]) -> None:
    """Move the staged project to ``target``, undoing everything if that fails."""
    if not target.exists():
        created = _missing_parents(target)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(project, target)
        except BaseException:
            shutil.rmtree(target, ignore_errors=True)
            for folder in created:
                folder.rmdir()
            raise
        return
    # An existing (empty, or --force) folder: replace the generated files one by
    # one and keep whatever else the user has there.
    for name in files:
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.unlink(missing_ok=True)  # Windows cannot rename over a file
        shutil.move(project / name, destination)


def _missing_parents(target: Path) -> list[Path]:
    """The ancestors of ``target`` that do not exist yet, deepest first."""
    missing = []
    for parent in target.absolute().parents:
        if parent.exists():
            break
        missing.append(parent)
    return missing
