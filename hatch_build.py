"""Build hook: ship the built-in template's compiled Jinja code inside the wheel.

A cold run (empty cache folder) would otherwise spend most of its rendering
time compiling the template's files. The hook renders the built-in template
for every spec of wfpgen's matrix and for the default spec, with the cache
folder pointed at a build folder, and the wheel carries what Jinja wrote
there as ``wfpgen/data/bytecode``: the read-only layer of the template cache
(``wfpgen/templating/cache.py``). Its entries are keyed like the cache's own,
by the Jinja and Python versions among others, so an interpreter or Jinja
that differs from the build's simply compiles as before. Editable installs
skip it: a checkout's templates change.
"""

import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class TemplateBytecodeHook(BuildHookInterface):  # type: ignore[type-arg]
    """Compile the built-in template into the wheel."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        """Render into a build folder and add what Jinja compiled to the wheel."""
        if self.target_name != "wheel" or version == "editable":
            return
        folder = Path(tempfile.mkdtemp(prefix="wfpgen-bytecode-"))
        previous = os.environ.get("WFPGEN_CACHE_DIR")
        os.environ["WFPGEN_CACHE_DIR"] = str(folder)
        sys.path.insert(0, self.root)
        try:
            _render_all()
        finally:
            sys.path.remove(self.root)
            if previous is None:
                os.environ.pop("WFPGEN_CACHE_DIR", None)
            else:
                os.environ["WFPGEN_CACHE_DIR"] = previous
        build_data["force_include"][str(folder / "templates")] = "wfpgen/data/bytecode"


def _render_all() -> None:
    from wfpgen import __version__
    from wfpgen.checks.matrix import MATRIX
    from wfpgen.core.catalog import load_catalog
    from wfpgen.core.context import build_context
    from wfpgen.core.project import plan_project
    from wfpgen.core.spec import apply_options
    from wfpgen.templating.render import render_files, template_dir

    catalog = load_catalog()
    default = apply_options({}, name=None, min_os=None, callouts=(), from_file=False)
    for raw in [default, *MATRIX.values()]:
        spec = plan_project(raw, catalog).resolution.spec
        context = build_context(spec, catalog, version=__version__)
        render_files(template_dir(), context, trusted=True)
