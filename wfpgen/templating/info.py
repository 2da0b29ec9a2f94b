"""Read what a fetched template declares: its contract, its own variables and its hooks."""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wfpgen.errors import TemplateError
from wfpgen.templating.config import TemplateVariable, check_contract, declared_variables

HOOK_NAMES = ("pre_prompt", "pre_gen_project", "post_gen_project")  # cookiecutter's hooks


@dataclass(frozen=True)
class TemplateInfo:
    """A template's ``cookiecutter.json`` and ``hooks/``, read and checked."""

    path: Path
    config: dict[str, Any]
    contract: int
    variables: tuple[TemplateVariable, ...]
    hooks: tuple[str, ...]  # file names in hooks/ that cookiecutter would run


def read_template(path: Path) -> TemplateInfo:
    """Read the template in ``path``.

    Raises:
        TemplateError: no readable cookiecutter.json, or a contract newer than this wfpgen's.
    """
    config_path = path / "cookiecutter.json"
    try:
        config = json.loads(config_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as err:
        raise TemplateError(f"{config_path} cannot be read: {err}") from err
    if not isinstance(config, dict):
        raise TemplateError(f"{config_path} must hold a JSON object")
    contract = check_contract(config, f"the template {path}")
    return TemplateInfo(path, config, contract, declared_variables(config), find_hooks(path))


def find_hooks(path: Path) -> tuple[str, ...]:
    """The hook scripts of the template in ``path``, as cookiecutter finds them."""
    folder = path / "hooks"
    if not folder.is_dir():
        return ()
    return tuple(
        sorted(
            f.name
            for f in folder.iterdir()
            if f.is_file() and f.stem in HOOK_NAMES and not f.name.endswith("~")
        )
    )
