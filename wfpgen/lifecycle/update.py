"""``wfpgen update``: merge a new render into a project's files against its base.

Three versions of every generated file meet here: the user's (the project
on disk), the base (what wfpgen generated last time, from
:mod:`wfpgen.lifecycle.base`) and the new render (the project's ``wfpgen.toml``, maybe
edited, rendered with this wfpgen and template).
:func:`~wfpgen.lifecycle.file_plan.plan_files` decides per file;
:func:`update_project` renders, plans and commits the result and
the new base in one :class:`~wfpgen.lifecycle.transaction.DestinationTransaction`, so
the tree changes completely or not at all, and the base moves on only with
the files.

The per-file decisions are :mod:`wfpgen.lifecycle.file_plan`'s; ``check`` and
``diff`` are in :mod:`wfpgen.lifecycle.drift`.
"""

import shutil
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from wfpgen.core.catalog import Catalog
from wfpgen.core.edit import prune_flow_establishers
from wfpgen.core.project import Plan, plan_project
from wfpgen.core.resolve import GuidFactory, random_guid
from wfpgen.core.spec import ProjectSpec
from wfpgen.errors import ExitCode, Problem, SpecError, WfpgenError
from wfpgen.lifecycle.answers import ANSWERS_FILE, read_spec_file
from wfpgen.lifecycle.base import (
    Base,
    BaseRecordError,
    has_record,
    is_record_file,
    read_base,
    read_file,
    record_contents,
)
from wfpgen.lifecycle.conflicts import Conflict, record_in_git_index, refuse_unresolved
from wfpgen.lifecycle.file_plan import Action, FileChange, plan_files
from wfpgen.lifecycle.generate import render_tree, render_tree_with_hooks, template_label
from wfpgen.lifecycle.locking import DestinationBusyError
from wfpgen.lifecycle.merge import in_users_form
from wfpgen.lifecycle.paths import project_path
from wfpgen.lifecycle.transaction import DestinationTransaction, folder_busy, held_folder
from wfpgen.lifecycle.worktree import refuse_uncommitted
from wfpgen.templating.chosen import ChosenTemplate, choose_template
from wfpgen.templating.releases import newest_release

HOOKS_NOTE = (
    "the template's hooks do not run in a dry run or a check: files only they make are not compared"
)


class NotAProjectError(WfpgenError):
    """The folder holds no wfpgen project."""

    exit_code = ExitCode.BAD_INPUT


@dataclass(frozen=True)
class TemplateOptions:
    """The command line's say about the template (None: what ``wfpgen.toml`` records)."""

    source: str | None = None
    checkout: str | None = None
    directory: str | None = None
    sets: tuple[str, ...] = ()
    trust: bool = False
    latest: bool = False  # the newest release tag instead of the recorded ref


@dataclass(frozen=True)
class UpdateRequest:
    """What to update and how."""

    project: Path
    version: str
    template: TemplateOptions = TemplateOptions()
    raw: Mapping[str, Any] | None = None  # a spec to apply instead of the project's wfpgen.toml
    dry_run: bool = False
    force: bool = False
    adopt: bool = False  # no base record: take this render as the base
    new_guid: GuidFactory = random_guid


@dataclass(frozen=True)
class UpdateOutcome:
    """What an update did (or, dry, would do)."""

    project: Path
    changes: tuple[FileChange, ...]
    written: bool
    warnings: tuple[Problem, ...] = ()
    notes: tuple[str, ...] = ()
    spec: ProjectSpec | None = None

    @property
    def conflicts(self) -> list[FileChange]:
        """The files left in conflict."""
        return [c for c in self.changes if c.action is Action.CONFLICTED]

    @property
    def exit_code(self) -> ExitCode:
        """CONFLICTS when any file is in conflict, else OK."""
        return ExitCode.CONFLICTS if self.conflicts else ExitCode.OK


def spec_file(project: Path) -> Path:
    """The project's ``wfpgen.toml``: a file in the project, not a link out of it.

    Raises:
        NotAProjectError: no ``wfpgen.toml`` there.
        UnsafePathError: it is a link that leaves the project.
    """
    path = project_path(project, ANSWERS_FILE, source="wfpgen")
    if not path.is_file():
        raise NotAProjectError(
            f"{project} is not a wfpgen project (no {ANSWERS_FILE})",
            "name the folder wfpgen new created",
        )
    return path


def open_project(project: Path) -> Base:
    """The base of the project in ``project``.

    Raises:
        NotAProjectError: no ``wfpgen.toml`` there.
        BaseRecordError: no usable base record.
        UnsafePathError: the record names a path outside the project, or a link.
    """
    spec_file(project)
    try:
        return read_base(project)
    except BaseRecordError:
        # `check` and `diff` read without the lock: during another run's commit
        # the record's files may be half old, half new. That is not damage.
        if folder_busy(project):
            raise DestinationBusyError(
                f"another wfpgen run is working on {project}; nothing was read or written",
                "wait for it to finish, then run again",
            ) from None
        raise


@contextmanager
def template_of(
    project: Path, raw: Mapping[str, Any], options: TemplateOptions, *, runs_hooks: bool = True
) -> Iterator[ChosenTemplate]:
    """The template to render with: the options, else what ``wfpgen.toml`` records.

    An update takes the newest commit of the recorded branch or tag (or of
    the default branch), not the recorded commit: that one built the base.

    Raises:
        WfpgenError: the template cannot be fetched, is not trusted, or its
            variables are wrong.
    """
    table = raw.get("template", {})
    table = {k: v for k, v in table.items() if k != "commit"} if isinstance(table, Mapping) else {}
    if options.latest:
        options = replace(options, checkout=_latest_release(project, raw, options), latest=False)
    with choose_template(
        table,
        base=project,
        source=options.source,
        checkout=options.checkout,
        directory=options.directory,
        sets=options.sets,
        trust=options.trust,
        runs_hooks=runs_hooks,
    ) as chosen:
        yield chosen


def _latest_release(project: Path, raw: Mapping[str, Any], options: TemplateOptions) -> str:
    """The newest release tag of the template ``raw`` and ``options`` name.

    Raises:
        SpecError: the template has no release tags (exit status 2).
    """
    fetch = replace(options, latest=False)
    with template_of(project, raw, fetch, runs_hooks=False) as chosen:
        newest = newest_release(chosen.fetched.tags)
        where = chosen.fetched.source or "the built-in template"
    if newest is None:
        raise SpecError(
            [
                Problem(
                    "--latest",
                    f"{where} has no release tags (v1.2, 1.10.0, ...); name a ref with --checkout",
                )
            ]
        )
    return newest


def planned_spec(
    raw: Mapping[str, Any], catalog: Catalog, new_guid: GuidFactory
) -> tuple[Plan, list[str]]:
    """The project's spec, resolved, with flow callouts wfpgen added and no longer needs dropped.

    Raises:
        SpecError: listing every problem.
    """
    pruned, notes = prune_flow_establishers(raw, catalog)
    return plan_project(pruned, catalog, new_guid), notes


def update_project(request: UpdateRequest, catalog: Catalog) -> UpdateOutcome:
    """Merge a new render into the project; write it and the new base in one transaction.

    Raises:
        WfpgenError: bad spec (exit 2), not a project, no base, uncommitted
            changes, template or write failures; nothing was written.
    """
    if request.dry_run:
        return _update(request, catalog)
    # Locked before anything is read: a run that read wfpgen.toml or the record
    # while another wrote them would write back a stale or half-read project.
    with held_folder(request.project):
        return _update(request, catalog)


def _update(request: UpdateRequest, catalog: Catalog) -> UpdateOutcome:
    project = request.project
    spec_path = spec_file(project)
    adopting = request.adopt and not has_record(project)
    recorded = None if adopting else open_project(project)
    if recorded is not None:
        refuse_unresolved(project, recorded.files)
    raw = request.raw if request.raw is not None else read_spec_file(spec_path)
    plan, notes = planned_spec(raw, catalog, request.new_guid)
    with template_of(project, raw, request.template, runs_hooks=not request.dry_run) as chosen:
        spec = replace(plan.resolution.spec, template=chosen.record(project))
        hooks = bool(chosen.info.hooks)  # trusted, or a dry run, which runs none
        label = template_label(spec.template)
        info: dict[str, Any] = {
            "warnings": plan.warnings,
            "notes": (*notes, *plan.resolution.notes),
            "spec": spec,
        }
        if request.dry_run:
            new = render_tree(spec, catalog, chosen.path, request.version, trusted=chosen.trusted)
            base = recorded or Base(dict(new), request.version, label)
            changes = plan_files(_mine(project, base.files, new), base.files, new, partial=hooks)
            if hooks:
                info["notes"] = (*info["notes"], HOOKS_NOTE)
            return UpdateOutcome(project, tuple(changes), written=False, **info)
        if not request.force:
            refuse_uncommitted(project)
        with DestinationTransaction(project) as tx:
            if hooks:  # in staging, as for new: what they make is part of the render
                new = render_tree_with_hooks(
                    spec, catalog, chosen.info, request.version, tx.scratch
                )
            else:
                new = render_tree(
                    spec, catalog, chosen.path, request.version, trusted=chosen.trusted
                )
            base = recorded or Base(dict(new), request.version, label)
            changes = plan_files(_mine(project, base.files, new), base.files, new)
            record_changed = (
                adopting
                or dict(base.files) != new
                or base.wfpgen_version != request.version
                or base.template != label
            )
            record = (
                record_contents(new, version=request.version, template=label)
                if record_changed
                else {}
            )
            written = _commit(tx, project, changes, record)
        record_in_git_index(project, _conflicts(changes, base.files, new))
    return UpdateOutcome(project, tuple(changes), written=written, **info)


def _conflicts(
    changes: Sequence[FileChange], base: Mapping[str, bytes], new: Mapping[str, bytes]
) -> list[Conflict]:
    """The three versions of every conflicted file, as the user's line ends have them."""
    found = []
    for change in changes:
        if change.action is not Action.CONFLICTED:
            continue
        ours = change.before
        theirs, was = new.get(change.path), base.get(change.path)
        if ours is not None:
            theirs = None if theirs is None else in_users_form(change.path, theirs, ours)
            was = None if was is None else in_users_form(change.path, was, ours)
        found.append(Conflict(change.path, was, ours, theirs))
    return found


def _mine(project: Path, *trees: Mapping[str, bytes]) -> dict[str, bytes | None]:
    names = set().union(*(tree.keys() for tree in trees))
    return {name: read_file(project, name) for name in sorted(names) if not is_record_file(name)}


def _commit(
    tx: DestinationTransaction,
    project: Path,
    changes: Sequence[FileChange],
    record: Mapping[str, bytes],
) -> bool:
    out = tx.scratch / "out"
    files: list[str] = []
    for change in changes:
        if change.writes and change.after is not None:
            _stage(out, change.path, change.after, project / change.path)
            files.append(change.path)
    for name, data in record.items():
        if read_file(project, name) != data:
            _stage(out, name, data, None)
            files.append(name)
    deleted = [c.path for c in changes if c.action is Action.DELETED]
    if not files and not deleted:
        return False
    tx.commit(out, files=files, delete=deleted)
    return True


def _stage(out: Path, name: str, data: bytes, current: Path | None) -> None:
    path = out / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    if current is not None and current.is_file():
        shutil.copymode(current, path)  # keep an executable script executable
