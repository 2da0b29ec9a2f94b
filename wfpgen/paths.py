r"""Where wfpgen keeps files of its own: its cache folder and its configuration file.

``cache_dir()`` is ``WFPGEN_CACHE_DIR`` when set (an empty value means "no
cache": callers use a temporary folder instead), else the platform's cache
folder: ``%LOCALAPPDATA%\wfpgen\Cache`` on Windows, ``~/Library/Caches/wfpgen``
on macOS, ``$XDG_CACHE_HOME/wfpgen`` or ``~/.cache/wfpgen`` elsewhere. It is
the only place below the home folder that wfpgen writes to: compiled
templates (``templates/``), fetched template sources (``sources/``) and the
key that signs the journals of interrupted writes (``journal.key``; see
``wfpgen.lifecycle.transaction``).
Nothing is created here; callers create the subfolder they use.

``config_file()`` is the user's configuration (the templates they trust, written
only by ``wfpgen trust``): ``%APPDATA%\wfpgen\config.toml`` on Windows,
``~/Library/Application Support/wfpgen/config.toml`` on macOS,
``$XDG_CONFIG_HOME/wfpgen/config.toml`` or ``~/.config/wfpgen/config.toml``
elsewhere; ``WFPGEN_CONFIG`` names another file.
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


CONFIG_ENV = "WFPGEN_CONFIG"


def config_file_for(environ: Mapping[str, str], platform: str, home: Path) -> Path | None:
    """The user's wfpgen configuration file for an environment and platform (None: unknown)."""
    if environ.get(CONFIG_ENV):
        return Path(environ[CONFIG_ENV])
    if platform == "win32":
        roaming = environ.get("APPDATA")
        return Path(roaming) / "wfpgen" / "config.toml" if roaming else None
    if platform == "darwin":
        return home / "Library" / "Application Support" / "wfpgen" / "config.toml"
    xdg = environ.get("XDG_CONFIG_HOME", "")
    # The XDG spec says to ignore a relative XDG_CONFIG_HOME.
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else home / ".config"
    return base / "wfpgen" / "config.toml"


def config_file() -> Path | None:
    """The configuration file of the running process."""
    return config_file_for(os.environ, sys.platform, Path.home())
