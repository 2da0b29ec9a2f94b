"""Every ``--json`` document the suite produces is checked against its published schema.

``run_cli`` (conftest) and ``tests.test_property.wfpgen`` call
:func:`check_json_output` whenever ``--json`` is among the arguments, so each
existing JSON test also checks the envelope: the command's shipped schema
(``wfpgen schema --output COMMAND``) and that ``exit_code`` is the real one.
"""

import copy
import functools
import json
from collections.abc import Sequence
from typing import Any

from jsonschema import Draft202012Validator

from wfpgen.cli.envelope import COMMANDS, load_output_schema


@functools.cache
def validator(command: str) -> Draft202012Validator:
    """The validator of ``command``'s output; any other command gets the bare envelope."""
    if command in COMMANDS:
        schema = load_output_schema(command)
    else:  # a usage error names whatever command it could make out
        schema = copy.deepcopy(load_output_schema("validate"))
        schema["properties"]["command"] = {"type": "string"}
        schema["then"]["required"] = []
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def wants_json(args: Sequence[object]) -> bool:
    """``--json`` is among the options (before any ``--``)."""
    words = [str(a) for a in args]
    return "--json" in (words[: words.index("--")] if "--" in words else words)


def check_json_output(stdout: str, exit_code: int) -> dict[str, Any]:
    """The document on ``stdout``, after checking it against its schema and ``exit_code``."""
    document = json.loads(stdout)
    assert isinstance(document, dict), stdout
    errors = sorted(validator(document.get("command", "")).iter_errors(document), key=str)
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)
    assert document["exit_code"] == exit_code, (document["exit_code"], exit_code)
    return document
