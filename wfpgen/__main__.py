"""Run the CLI as ``python -m wfpgen``."""

from wfpgen.cli import main

main()
