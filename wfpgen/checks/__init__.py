"""Checks of generated code: the libclang compile check and the specs it covers.

``compile_check`` compiles a rendered driver against WDK stand-ins (or a real WDK);
``matrix`` lists the specs that together cover every layer family, flag and
minimum Windows.

It may import ``wfpgen.core`` and ``wfpgen.errors`` only (``wfpgen/checks/ruff.toml``).
"""
