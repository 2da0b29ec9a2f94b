"""The spec core: what a driver spec says, whether it is valid, and what the template sees.

Here live the spec model (``spec``, read by ``spec_reader``), the WFP catalog (``catalog``, ``catalog_data``),
validation (the ``validation`` package: a table of rules with stable codes),
resolution (``resolve``, ``project``, ``edit``), naming (``names``, ``reserved``,
``known_guids``), the template context (``context``, ``simulation``), the JSON
Schema (``schema``) and the rows ``layers``/``flags`` show (``reference``).

It may import only ``wfpgen.errors`` and itself: no Typer, Rich, Jinja,
cookiecutter, processes or file writes (``wfpgen/core/ruff.toml`` enforces it).
"""
