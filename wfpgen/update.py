"""``wfpgen update``, ``check`` and ``diff``: a project's files against its base and a new render.

Three versions of every generated file meet here: the user's (the project
on disk), the base (what wfpgen generated last time, from
:mod:`wfpgen.base`) and the new render (the project's ``wfpgen.toml``, maybe
edited, rendered with this wfpgen and template). :func:`plan_files` decides
per file; :func:`update_project` renders, plans and commits the result and
the new base in one :class:`~wfpgen.transaction.DestinationTransaction`, so
the tree changes completely or not at all, and the base moves on only with
the files.

Per file, with "same" meaning equal text apart from line ends and encoding:

======================  ======================  ===========================
user's copy             new render vs base      result
======================  ======================  ===========================
absent (never existed)  new file                created
same as base            changed                 updated
same as base            gone                    deleted
edited                  unchanged               kept
edited                  changed                 merged, or conflicted
edited                  gone                    conflicted (left as is)
deleted by the user     changed                 conflicted (new version)
present, not generated  new file, different    conflicted (merged)
======================  ======================  ===========================

``wfpgen.toml`` is the input of the render, so it is never merged: it keeps
the user's text when that says the same as the new render's, and gets the
new render's otherwise (generated GUIDs must be written down).
"""

import difflib
import shutil
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from wfpgen.answers import ANSWERS_FILE, read_spec_file
from wfpgen.base import (
    Base,
    BaseRecordError,
    is_record_file,
    read_base,
    read_file,
    record_contents,
)
from wfpgen.catalog import Catalog
from wfpgen.edit import prune_flow_establishers
from wfpgen.errors import ExitCode, Problem, WfpgenError
from wfpgen.generate import render_tree, template_label
from wfpgen.merge import decode, in_users_form, merge_file, same_content
from wfpgen.project import Plan, plan_project
from wfpgen.render import template_dir
from wfpgen.resolve import GuidFactory, random_guid
from wfpgen.spec import ProjectSpec
from wfpgen.transaction import DestinationTransaction
from wfpgen.worktree import refuse_uncommitted


class Action(StrEnum):
    """What an update does to one file."""

    CREATED = "created"
    UPDATED = "updated"
    MERGED = "merged"
    DELETED = "deleted"
    KEPT = "kept"
    CONFLICTED = "conflicted"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class FileChange:
    """One file's fate: its bytes before and after (None: no file)."""

    path: str
    action: Action
    before: bytes | None
    after: bytes | None
    reason: str = ""

    @property
    def writes(self) -> bool:
        """Whether the file's bytes on disk change (deletions aside)."""
        return self.after is not None and self.after != self.before


class NotAProjectError(WfpgenError):
    """The folder holds no wfpgen project."""

    exit_code = ExitCode.BAD_INPUT


LABELS = ("yours", "generated before", "generated now")


def plan_files(
    mine: Mapping[str, bytes | None],
    base: Mapping[str, bytes],
    new: Mapping[str, bytes],
    *,
    labels: tuple[str, str, str] = LABELS,
) -> list[FileChange]:
    """Decide every file of ``base`` and ``new``; ``mine`` holds the user's copies (None: absent)."""
    changes = []
    for path in sorted(base.keys() | new.keys()):
        if path == ANSWERS_FILE:
            changes.append(_plan_spec(mine.get(path), new.get(path)))
        else:
            changes.append(_plan_file(path, mine.get(path), base.get(path), new.get(path), labels))
    return changes


def _plan_spec(mine: bytes | None, new: bytes | None) -> FileChange:
    if new is None:  # not rendered: cannot happen, but never delete the input
        return FileChange(ANSWERS_FILE, Action.UNCHANGED, mine, mine)
    if mine is not None and _same_toml(mine, new):
        return FileChange(ANSWERS_FILE, Action.UNCHANGED, mine, mine)
    return FileChange(ANSWERS_FILE, Action.UPDATED, mine, new, "rewritten from the resolved spec")


def _same_toml(first: bytes, second: bytes) -> bool:
    try:
        return tomllib.loads(first.decode("utf-8")) == tomllib.loads(second.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False


def _plan_file(  # one return per row of the table in the module docstring
    path: str,
    mine: bytes | None,
    base: bytes | None,
    new: bytes | None,
    labels: tuple[str, str, str],
) -> FileChange:
    if new is None:
        if mine is None or base is None:
            return FileChange(path, Action.UNCHANGED, mine, mine)
        if same_content(mine, base):
            return FileChange(path, Action.DELETED, mine, None)
        return FileChange(
            path, Action.CONFLICTED, mine, mine, "you edited it and wfpgen no longer generates it"
        )
    if mine is None:
        if base is None:
            return FileChange(path, Action.CREATED, None, new)
        if same_content(base, new):
            return FileChange(path, Action.UNCHANGED, None, None, "you deleted it")
        return FileChange(
            path, Action.CONFLICTED, None, new, "you deleted it and the new render changed it"
        )
    if same_content(mine, new):
        return FileChange(path, Action.UNCHANGED, mine, mine)
    if base is not None and same_content(mine, base):
        return FileChange(path, Action.UPDATED, mine, in_users_form(path, new, mine))
    if base is not None and same_content(base, new):
        return FileChange(path, Action.KEPT, mine, mine, "your edits")
    merged = merge_file(path, mine, base or b"", new, labels=labels)
    if merged is None:
        return FileChange(path, Action.CONFLICTED, mine, mine, "not text: cannot merge")
    if merged.conflicts:
        reason = "you and the new render changed the same lines"
        if base is None:
            reason = "your file is in the way of a new generated file"
        return FileChange(path, Action.CONFLICTED, mine, merged.data, reason)
    return FileChange(path, Action.MERGED, mine, merged.data)


@dataclass(frozen=True)
class UpdateRequest:
    """What to update and how."""

    project: Path
    version: str
    template: Path | None = None  # --template; None: the recorded one
    raw: Mapping[str, Any] | None = None  # a spec to apply instead of the project's wfpgen.toml
    dry_run: bool = False
    force: bool = False
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


def open_project(project: Path) -> Base:
    """The base of the project in ``project``.

    Raises:
        NotAProjectError: no ``wfpgen.toml`` there.
        BaseRecordError: no usable base record.
    """
    if not (project / ANSWERS_FILE).is_file():
        raise NotAProjectError(
            f"{project} is not a wfpgen project (no {ANSWERS_FILE})",
            "name the folder wfpgen new created",
        )
    return read_base(project)


def choose_template(base: Base, option: Path | None) -> Path:
    """The template to render with: --template, else the recorded one, else the built-in one.

    Raises:
        BaseRecordError: the recorded local template folder is gone.
    """
    if option is not None:
        return option
    kind, _, where = base.template.partition(":")
    if kind == "local":
        folder = Path(where)
        if not folder.is_dir():
            raise BaseRecordError(
                f"the project was generated from the template {folder}, which is not there",
                "pass --template with the template folder",
            )
        return folder
    return template_dir()


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
    project = request.project
    base = open_project(project)
    raw = request.raw if request.raw is not None else read_spec_file(project / ANSWERS_FILE)
    plan, notes = planned_spec(raw, catalog, request.new_guid)
    spec = plan.resolution.spec
    template = choose_template(base, request.template)
    label = template_label(template)
    info: dict[str, Any] = {
        "warnings": plan.warnings,
        "notes": (*notes, *plan.resolution.notes),
        "spec": spec,
    }
    new = render_tree(spec, catalog, template, request.version)
    if request.dry_run:
        changes = plan_files(_mine(project, base.files, new), base.files, new)
        return UpdateOutcome(project, tuple(changes), written=False, **info)
    if not request.force:
        refuse_uncommitted(project)
    with DestinationTransaction(project) as tx:
        changes = plan_files(_mine(project, base.files, new), base.files, new)
        record_changed = (
            dict(base.files) != new
            or base.wfpgen_version != request.version
            or base.template != label
        )
        record = (
            record_contents(new, version=request.version, template=label) if record_changed else {}
        )
        written = _commit(tx, project, changes, record)
    return UpdateOutcome(project, tuple(changes), written=written, **info)


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


@dataclass(frozen=True)
class CheckOutcome:
    """Whether an update would change the project, and why."""

    project: Path
    reasons: tuple[str, ...]
    changed: tuple[str, ...]

    @property
    def up_to_date(self) -> bool:
        """True when an update would change nothing."""
        return not self.changed


def check_project(
    project: Path, catalog: Catalog, *, version: str, template: Path | None = None
) -> CheckOutcome:
    """Render the project as an update would and compare the render with the base.

    The user's own edits do not count: they are what ``diff`` shows.
    """
    base = open_project(project)
    raw = read_spec_file(project / ANSWERS_FILE)
    plan, _ = planned_spec(raw, catalog, random_guid)
    chosen = choose_template(base, template)
    new = render_tree(plan.resolution.spec, catalog, chosen, version)
    names = sorted(base.files.keys() | new.keys())
    changed = tuple(n for n in names if base.files.get(n) != new.get(n))
    if not changed:
        return CheckOutcome(project, (), ())
    reasons = []
    if base.wfpgen_version != version:
        reasons.append(f"generated by wfpgen {base.wfpgen_version}; this is wfpgen {version}")
    if base.template != template_label(chosen):
        reasons.append(f"the template is now {template_label(chosen)} (was {base.template})")
    if not _same_spec(base.spec_text(), new.get(ANSWERS_FILE)):
        reasons.append(f"{ANSWERS_FILE} was edited and the edit is not applied yet")
    if not reasons:
        reasons.append("the template renders differently than when the project was generated")
    return CheckOutcome(project, tuple(reasons), changed)


def _same_spec(first: bytes | None, second: bytes | None) -> bool:
    """Equal specs apart from the version of wfpgen that wrote them."""
    if first is None or second is None:
        return first == second
    try:
        one = tomllib.loads(first.decode("utf-8"))
        two = tomllib.loads(second.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False
    one.pop("wfpgen", None)
    two.pop("wfpgen", None)
    return one == two


@dataclass(frozen=True)
class Edit:
    """A generated file the user changed: its generated bytes and its bytes now (None: deleted)."""

    path: str
    generated: bytes
    current: bytes | None


def user_edits(project: Path) -> list[Edit]:
    """The user's changes to generated files, against the base (line ends aside)."""
    base = open_project(project)
    edits = []
    for name, generated in sorted(base.files.items()):
        current = read_file(project, name)
        if current is None or not same_content(current, generated):
            edits.append(Edit(name, generated, current))
    return edits


def unified_diff(path: str, old: bytes | None, new: bytes | None) -> str:
    """A ``git diff``-style unified diff of one file (line ends normalized)."""
    if old == new:
        return ""
    old_name = f"a/{path}" if old is not None else "/dev/null"
    new_name = f"b/{path}" if new is not None else "/dev/null"
    old_text, new_text = _text_or_none(old), _text_or_none(new)
    if old_text is None or new_text is None:
        return f"Binary files {old_name} and {new_name} differ\n"
    lines = difflib.unified_diff(
        old_text.splitlines(keepends=True), new_text.splitlines(keepends=True), old_name, new_name
    )
    return "".join(
        line if line.endswith("\n") else f"{line}\n\\ No newline at end of file\n" for line in lines
    )


def _text_or_none(data: bytes | None) -> str | None:
    """The text of ``data`` (empty for no file), or None when it is not text."""
    if data is None:
        return ""
    decoded = decode(data)
    return decoded[0] if decoded is not None else None
