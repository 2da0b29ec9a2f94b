"""Templating: where a template comes from and how it becomes files in memory.

Sources (``sources``, ``source_errors``), a template's configuration and contract
(``config``, ``info``, ``chosen``), the Jinja environment and compiled-template cache
(``environment``, ``cache``), rendering (``render``, ``files``, ``file_rules``,
``output_paths``) and hooks (``hooks``).

It may import ``wfpgen.core``, ``wfpgen.errors`` and ``wfpgen.paths``; never the
lifecycle, the checks or the CLI (``wfpgen/templating/ruff.toml`` enforces it).
"""
