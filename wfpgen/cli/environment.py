"""Environment variables that switch wfpgen's behaviour, read one way everywhere."""

import os

FALSE_WORDS = frozenset({"", "0", "false", "no", "off", "n", "f"})


def env_flag(name: str) -> bool:
    """Whether environment variable ``name`` is set to a true-ish value.

    Unset, empty, ``0``, ``false``, ``no``, ``off``, ``n`` and ``f`` (any
    case) are false; anything else (``1``, ``true``, ``yes``, ``on``, ``True``
    as CI providers set it) is true. ``wfpgen new --help`` and the README list
    the false values: keep them in step with ``FALSE_WORDS``.
    """
    return os.environ.get(name, "").strip().lower() not in FALSE_WORDS
