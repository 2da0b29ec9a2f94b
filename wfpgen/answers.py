"""Read a spec file and write the answers file (``wfpgen.toml``) of a project."""

import tomllib
from pathlib import Path
from typing import Any

import tomli_w

from wfpgen.errors import Problem, SpecError
from wfpgen.spec import ProjectSpec, spec_to_raw

ANSWERS_FILE = "wfpgen.toml"
_HEADER = (
    "# The spec this project was generated from, with every generated GUID.\n"
    "# `wfpgen new --config wfpgen.toml` reproduces the project byte for byte.\n"
)


def read_spec_file(path: Path) -> dict[str, Any]:
    """The raw mapping in a TOML spec file.

    Raises:
        SpecError: the file cannot be read or is not valid TOML.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise SpecError([Problem(f"--config {path}", f"cannot read the file: {err}")]) from err
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise SpecError([Problem(f"--config {path}", f"not valid TOML: {err}")]) from err


def answers_text(spec: ProjectSpec, *, version: str) -> str:
    """The content of ``wfpgen.toml`` for a resolved spec."""
    return _HEADER + "\n" + tomli_w.dumps(spec_to_raw(spec, version=version))
