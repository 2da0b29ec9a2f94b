"""Render a cookiecutter template into a directory: the only user of cookiecutter.

Templates are rendered through cookiecutter's library API (``generate_files``),
which never reads the user's cookiecutter config, never writes replay files to
the home directory and never evaluates context values as Jinja. After
rendering, the files get the bytes Windows tools expect (see ``finish_files``).
"""

from importlib.resources import files
from pathlib import Path
from typing import Any

from cookiecutter.exceptions import CookiecutterException, UndefinedVariableInTemplate
from cookiecutter.generate import generate_files
from jinja2 import TemplateError as JinjaError

from wfpgen.errors import TemplateError

DEFAULT_TEMPLATE = "wfp-callout"

# Visual Studio, MSBuild, the INF tools and PowerShell get CRLF; the rest LF.
CRLF_SUFFIXES = frozenset(
    {".c", ".h", ".rc", ".sln", ".vcxproj", ".filters", ".props", ".inf", ".inx", ".ps1", ".cmd"}
)
INF_SUFFIXES = frozenset({".inf", ".inx"})


def template_dir(name: str = DEFAULT_TEMPLATE) -> Path:
    """The built-in template called ``name``: packaged copy first, then the checkout's."""
    packaged = Path(str(files("wfpgen"))) / "templates" / name
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "templates" / name


def render_project(template: Path, context: dict[str, Any], output_dir: Path) -> Path:
    """Render ``template`` with ``context`` into ``output_dir``; return the project folder.

    Raises:
        TemplateError: the template is missing, invalid, or fails to render.
    """
    if not (template / "cookiecutter.json").is_file():
        raise TemplateError(
            f"{template} is not a cookiecutter template (no cookiecutter.json)",
            "point --template at a folder holding cookiecutter.json",
        )
    try:
        project = generate_files(
            repo_dir=str(template.resolve()),
            context={"cookiecutter": context},
            output_dir=str(output_dir.resolve()),
            accept_hooks=False,
        )
    except UndefinedVariableInTemplate as err:
        # str(err) would print the whole context; the Jinja message names the variable.
        raise TemplateError(f"rendering {template} failed: {err.error.message}") from err
    except (CookiecutterException, JinjaError, OSError) as err:
        reason = str(err) or type(err).__name__
        raise TemplateError(f"rendering {template} failed: {reason}") from err
    root = Path(project)
    finish_files(root)
    return root


def finish_files(root: Path) -> None:
    """Drop files that rendered empty and give the rest their line endings and encoding.

    A template makes a file conditional by rendering it to nothing (for example
    flow handling when no callout keeps flow contexts). INF files stay ASCII
    when they can and become UTF-16LE with a BOM otherwise, the two encodings
    the INF tools accept.
    """
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        data = path.read_bytes()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            continue  # binary file: copied as is
        if not text.strip():
            path.unlink()
            continue
        text = text.replace("\r\n", "\n")
        if path.suffix.lower() in CRLF_SUFFIXES:
            text = text.replace("\n", "\r\n")
        if path.suffix.lower() in INF_SUFFIXES and not text.isascii():
            path.write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
        else:
            path.write_bytes(text.encode("utf-8"))
    for folder in sorted((p for p in root.rglob("*") if p.is_dir()), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()
