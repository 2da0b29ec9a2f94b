r"""Where wfpgen keeps files of its own: the one function that names its cache folder.

``cache_dir()`` is ``WFPGEN_CACHE_DIR`` when set (an empty value means "no
cache": callers use a temporary folder instead), else the platform's cache
folder: ``%LOCALAPPDATA%\wfpgen\Cache`` on Windows, ``~/Library/Caches/wfpgen``
on macOS, ``$XDG_CACHE_HOME/wfpgen`` or ``~/.cache/wfpgen`` elsewhere. It is
the only place below the home folder that wfpgen writes to: compiled
templates (``templates/``), fetched template sources (``sources/``) and the
key that signs the journals of interrupted writes (``journal.key``; see
``wfpgen.lifecycle.transaction``).
Nothing is created here; callers create the subfolder they use.
"""

import os
import sys
from collections.abc import Mapping
from pathlib import Path

CACHE_ENV = "WFPGEN_CACHE_DIR"


def cache_dir_for(environ: Mapping[str, str], platform: str, home: Path) -> Path | None:
    """The wfpgen cache folder for an environment and platform; None when turned off."""
    if CACHE_ENV in environ:
        chosen = environ[CACHE_ENV]
        return Path(chosen) if chosen else None
    if platform == "win32":
        local = environ.get("LOCALAPPDATA")
        return Path(local) / "wfpgen" / "Cache" if local else None
    if platform == "darwin":
        return home / "Library" / "Caches" / "wfpgen"
    xdg = environ.get("XDG_CACHE_HOME", "")
    # The XDG spec says to ignore a relative XDG_CACHE_HOME.
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else home / ".cache"
    return base / "wfpgen"


def cache_dir() -> Path | None:
    """The cache folder of the running process; None when ``WFPGEN_CACHE_DIR`` is empty."""
    return cache_dir_for(os.environ, sys.platform, Path.home())
