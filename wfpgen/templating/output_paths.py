r"""Which rendered file names a template may produce: inside the project, and valid on Windows.

A template's file and folder names are templates too, so a name can render to
anything: ``../x``, an absolute path, ``C:\x``, or a name Windows cannot hold
(``CON``, ``a:b``, ``name.``). The generated project is meant for Windows, and
must never write outside its own folder, so every rendered name is checked
here before anything is written. No I/O.
"""

import re

# Names Windows reserves for devices, with or without an extension, in any case.
# (Microsoft Learn, "Naming Files, Paths, and Namespaces".)
_DEVICE = re.compile(
    r"(CON|PRN|AUX|NUL|CONIN\$|CONOUT\$|COM[0-9\u00b9\u00b2\u00b3]|LPT[0-9\u00b9\u00b2\u00b3])(\..*)?",
    re.IGNORECASE,
)
# Characters a Windows file name cannot hold, and the control characters.
_FORBIDDEN = re.compile(r'[<>:"|?*\\\x00-\x1f]')


def check_output_path(rendered: str) -> str | None:
    """Why ``rendered`` (a project-relative name with ``/`` separators) is refused, or None."""
    if rendered.startswith(("/", "\\")):
        return "is an absolute path"
    if re.match(r"[A-Za-z]:", rendered):
        return "starts with a drive letter"
    for part in rendered.split("/"):
        reason = _check_part(part)
        if reason:
            return reason
    return None


def _check_part(part: str) -> str | None:
    if part in ("", ".", ".."):
        return f"has the path part '{part}'" if part else "has an empty path part"
    match = _FORBIDDEN.search(part)
    if match:
        return f"has the character {match.group()!r}, which Windows does not allow in a name"
    if part.endswith((".", " ")):
        return f"has '{part}', ending in a dot or space, which Windows drops"
    if _DEVICE.fullmatch(part.rstrip()):
        return f"has '{part}', a name Windows reserves for a device"
    return None
