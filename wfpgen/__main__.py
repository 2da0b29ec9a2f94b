"""Run the CLI as ``python -m wfpgen``."""

from wfpgen.entry import main

main()
