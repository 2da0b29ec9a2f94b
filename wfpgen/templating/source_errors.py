"""Why fetching a template failed, in one line, with a hint that fits the cause.

cookiecutter's repository code reports failures as its own exceptions, as
git's exit status with git's multi-line output, or as ``requests`` errors.
:func:`fetch_failure` turns each into a reason and a hint for
``error: template SOURCE: REASON; HINT``.
"""

import re
import subprocess

SOURCE_HINT = "give a folder, a .zip, a git URL (https://, git+, file://) or gh:OWNER/REPO"
_REF_HINT = "check --checkout: `git ls-remote SOURCE` lists the branches and tags"
_URL_HINT = "check the URL: it must name a git repository you can read"
_ACCESS_HINT = (
    "wfpgen never asks for a password: set up a git credential helper or an SSH key for this host"
)
_NETWORK_HINT = "check the network connection and the host name"
_ZIP_FOLDER_HINT = (
    "zip the template's folder itself, so the archive holds one folder with "
    "cookiecutter.json inside"
)
# Lines of git's output that say what went wrong (the rest is advice).
_GIT_PROBLEM = re.compile(r"^(?:fatal|error): (.+)$", re.MULTILINE)
_ERRNO = re.compile(r"\[Errno -?\d+\] ([^'\")\]]+)")


def fetch_failure(err: BaseException, ref: str | None) -> tuple[str, str] | None:
    """The reason and hint for ``err``, raised while fetching at ``ref``; None if unknown."""
    name = type(err).__name__
    if name == "RepositoryCloneFailed":  # cookiecutter: the ref is not in the repository
        return f"no branch, tag or commit named {ref!r}", _REF_HINT
    if name == "RepositoryNotFound":
        return "the repository was not found", _URL_HINT + " (private ones need credentials)"
    if name == "VCSNotInstalled":
        return "git is not installed", "install git, or give a folder or a .zip"
    if name == "InvalidZipRepository":
        return _zip_failure(str(err))
    if type(err).__module__.startswith(("requests", "urllib3")):  # some are OSErrors
        found = _ERRNO.findall(str(err))
        reason = found[-1].strip() if found else name
        return f"cannot download it: {reason}", _NETWORK_HINT
    if isinstance(err, subprocess.CalledProcessError):
        return _git_failure(err, ref)
    if isinstance(err, OSError):
        return err.strerror or str(err), SOURCE_HINT
    return None


def _zip_failure(message: str) -> tuple[str, str]:
    if "top-level directory" in message:
        return "the zip archive has no top-level folder", _ZIP_FOLDER_HINT
    if "is empty" in message:
        return "the zip archive is empty", _ZIP_FOLDER_HINT
    if "not a valid zip" in message:
        return "not a zip archive", "give a .zip archive of the template's folder"
    if "password" in message:
        return (
            "the zip archive is password-protected and the password is missing or wrong",
            "set WFPGEN_ZIP_PASSWORD to its password",
        )
    return message, SOURCE_HINT


def _git_failure(err: subprocess.CalledProcessError, ref: str | None) -> tuple[str, str]:
    output = err.output.decode("utf-8", "replace") if isinstance(err.output, bytes) else ""
    problems = _GIT_PROBLEM.findall(output)
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    detail = problems[0] if problems else (lines[0] if lines else f"exit status {err.returncode}")
    command = [str(part) for part in err.cmd] if isinstance(err.cmd, list) else []
    if "checkout" in command[1:2]:
        return f"cannot check out {ref!r}: git says: {detail}", _REF_HINT
    lowered = output.lower()
    if "could not resolve host" in lowered or "network is unreachable" in lowered:
        hint = _NETWORK_HINT
    elif any(
        word in lowered
        for word in ("authentication", "could not read username", "permission denied")
    ):
        hint = _ACCESS_HINT
    elif "does not appear to be a git repository" in lowered:
        hint = _URL_HINT
    else:
        hint = SOURCE_HINT
    return f"git cannot clone it: {detail}", hint
