"""Release tags of a git template: which tags are releases, and which is the newest.

A team pins its projects to a release tag (``--checkout v1.1``); ``check``
tells them when a later release exists and ``update --latest`` takes it. A
release tag is a version number with an optional ``v``: ``v1.2``, ``1.10.0``.
Versions compare numerically, part by part (``v1.10`` comes after ``v1.9``),
and a shorter version equal in its common parts comes first (``1.2`` before
``1.2.1``). Other tags (``latest``, ``v2-rc1``) are not releases.
"""

import re
from collections.abc import Iterable

_RELEASE = re.compile(r"v?(\d+(?:\.\d+)*)", re.IGNORECASE)


def release_key(tag: str) -> tuple[int, ...] | None:
    """The version of a release tag, comparable; None when the tag is not a release."""
    found = _RELEASE.fullmatch(tag)
    return tuple(int(part) for part in found.group(1).split(".")) if found else None


def newest_release(tags: Iterable[str]) -> str | None:
    """The tag of the newest release among ``tags``; None when none is a release."""
    releases = [(key, tag) for tag in tags if (key := release_key(tag)) is not None]
    return max(releases)[1] if releases else None


def later_release(current: str | None, tags: Iterable[str]) -> str | None:
    """The newest release after ``current`` when ``current`` is a release tag among ``tags``."""
    tags = list(tags)
    key = release_key(current or "")
    if key is None or current not in tags:
        return None  # a branch, a commit, or no ref: nothing to compare
    newest = newest_release(tags)
    newest_key = release_key(newest or "")
    return newest if newest_key is not None and newest_key > key else None
