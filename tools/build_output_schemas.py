"""Write the JSON Schema of every command's ``--json`` output into wfpgen/data/output-schemas/.

The schemas are built by ``wfpgen.cli.envelope``; ``wfpgen schema --output
COMMAND`` prints the shipped files, and ``tests/test_json_output.py`` fails
when they differ from what this script would write. Run it after changing
a command's JSON:

    python tools/build_output_schemas.py
"""

import json
import sys

from wfpgen.cli.envelope import COMMANDS, SCHEMA_DIR, build_output_schema, schema_name


def rendered(command: str) -> str:
    """The file's text: the schema, indented, with a final newline."""
    return json.dumps(build_output_schema(command), indent=2) + "\n"


def main() -> int:
    """Write every schema; print the paths."""
    SCHEMA_DIR.mkdir(parents=True, exist_ok=True)
    for command in COMMANDS:
        path = SCHEMA_DIR / f"{schema_name(command)}.json"
        path.write_text(rendered(command), encoding="utf-8")
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
