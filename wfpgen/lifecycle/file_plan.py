"""What an update does to each file: the user's copy, the base and the new render.

:func:`plan_files` decides per file, with "same" meaning equal text apart
from line ends and encoding; merges are :func:`wfpgen.lifecycle.merge.merge_file`'s.

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

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from wfpgen.lifecycle.answers import ANSWERS_FILE
from wfpgen.lifecycle.merge import in_users_form, merge_file, same_content


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


LABELS = ("yours", "generated before", "generated now")


def plan_files(
    mine: Mapping[str, bytes | None],
    base: Mapping[str, bytes],
    new: Mapping[str, bytes],
    *,
    labels: tuple[str, str, str] = LABELS,
    partial: bool = False,
) -> list[FileChange]:
    """Decide every file of ``base`` and ``new``; ``mine`` holds the user's copies (None: absent).

    ``partial``: ``new`` lacks what the template's hooks would make (a dry
    run), so a file it lacks is not taken as gone.
    """
    changes = []
    names = new.keys() | (set() if partial else base.keys())
    for path in sorted(names):
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
    note = "rewritten from the resolved spec"
    if mine is not None and _comments(mine) - _comments(new):
        note += "; your comments in it are not kept (git diff shows them)"
    return FileChange(ANSWERS_FILE, Action.UPDATED, mine, new, note)


def _comments(toml: bytes) -> set[str]:
    """The comment lines of a TOML file, and the comments at the ends of lines."""
    text = toml.decode("utf-8", errors="replace")
    return {line.split("#", 1)[1].strip() for line in text.splitlines() if "#" in line}


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
