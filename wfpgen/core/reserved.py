"""Names and keys a generated project must not take: Windows' own and the C code's own.

Loaded from package data written by tools/ (each file names its source):

- ``windows_names.json`` (tools/build_windows_names.py): service names of the
  drivers and services that ship with Windows, and the WFP keys Windows
  registers (FWPM_PROVIDER_*, FWPM_SUBLAYER_*, ...);
- ``c_names.json`` (tools/build_c_names.py): how the template spells a driver
  or callout name in C (``CALLOUT_`` + upper-snake name, name + ``Classify``,
  ...) and which identifiers those spellings must not hit, derived from the
  template and from the WDK stand-in headers.
"""

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Literal

from wfpgen.core.names import upper_snake

Owner = Literal["driver", "callout"]

# Win32 device names: a file or folder called so (any case, any extension)
# opens the device instead. learn.microsoft.com/windows/win32/fileio/naming-a-file
# ("Naming Conventions"): CON, PRN, AUX, NUL, COM0-9, LPT0-9 and COM/LPT with
# superscript digits 1, 2, 3.
_DEVICE_NAME = re.compile(r"(CON|PRN|AUX|NUL|(COM|LPT)[0-9\u00b9\u00b2\u00b3])(\..*)?", re.I)
# Characters Windows does not allow in file names (same page), control characters included.
_BAD_FILE_CHARS = frozenset('<>:"/\\|?*') | {chr(c) for c in range(32)}


@dataclass(frozen=True)
class Spelling:
    """One way a name appears in the generated C: ``prefix`` + name + ``suffix``."""

    prefix: str
    suffix: str
    upper: bool  # the upper-snake form of the name (ConnectV4 -> CONNECT_V4)

    def spell(self, name: str) -> str:
        """The C identifier ``name`` becomes."""
        return self.prefix + (upper_snake(name) if self.upper else name) + self.suffix


@dataclass(frozen=True)
class CNames:
    """The C spellings of spec names and the identifiers already taken."""

    spellings: dict[str, tuple[Spelling, ...]]
    taken: dict[str, str]  # identifier -> who defines it ("the WDK (fwpsk.h)", ...)

    def spelled(self, owner: Owner, name: str) -> list[str]:
        """Every C identifier the driver or a callout called ``name`` gets."""
        return [s.spell(name) for s in self.spellings.get(owner, ())]


@dataclass(frozen=True)
class WindowsNames:
    """What Windows itself uses: service names and WFP object keys."""

    services: dict[str, str]  # lower-case service name -> kind of component
    guids: dict[str, str]  # lower-case GUID -> its FWPM_* name


def _data(name: str) -> dict[str, object]:
    text = files("wfpgen").joinpath("data", name).read_text(encoding="utf-8")
    data: dict[str, object] = json.loads(text)
    return data


@cache
def c_names() -> CNames:
    """The C spellings and taken identifiers shipped with the package."""
    data = _data("c_names.json")
    raw_spellings: dict[str, list[list[str]]] = data["spellings"]  # type: ignore[assignment]
    spellings = {
        owner: tuple(Spelling(p, s, style == "upper") for p, s, style in items)
        for owner, items in raw_spellings.items()
    }
    taken: dict[str, str] = data["taken"]  # type: ignore[assignment]
    return CNames(spellings, taken)


@cache
def windows_names() -> WindowsNames:
    """Windows' own service names and WFP keys shipped with the package."""
    data = _data("windows_names.json")
    services: dict[str, str] = data["services"]  # type: ignore[assignment]
    guids: dict[str, str] = data["guids"]  # type: ignore[assignment]
    return WindowsNames(services, guids)


def is_device_name(name: str) -> bool:
    """Whether Windows treats ``name`` (a file or folder name) as a device."""
    return _DEVICE_NAME.fullmatch(name.rstrip(" .")) is not None


def file_name_problem(name: str) -> str:
    """Why ``name`` cannot be a file or folder name on Windows, or an empty string."""
    if is_device_name(name):
        return f"'{name}' is a reserved device name on Windows (like CON, NUL, COM1, LPT1)"
    bad = sorted({ch for ch in name if ch in _BAD_FILE_CHARS})
    if bad:
        return f"'{name}' contains {' '.join(repr(ch) for ch in bad)}, not allowed in Windows file names"
    if name.endswith((" ", ".")) and name not in (".", ".."):
        return f"'{name}' ends with a space or a dot, which Windows drops from file names"
    return ""
