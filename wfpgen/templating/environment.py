"""The one Jinja environment a render uses: cookiecutter's settings, sandboxed unless trusted.

Cookiecutter renders with a ``StrictEnvironment``: undefined variables are
errors, a file's trailing newline is kept, its default extensions are loaded
and a template's ``cookiecutter.json`` may add ``_extensions`` and
``_jinja2_env_vars``. wfpgen builds the same environment with three changes:

- Untrusted templates render in Jinja's ``SandboxedEnvironment``, which
  refuses access to Python internals (``''.__class__.__mro__``, function
  globals, ...) and so to ``os`` and everything else a template could reach
  through them.
- Extensions a template declares are Python code: they load only when the
  template is trusted, and so do ``_jinja2_env_vars`` other than plain syntax
  settings.
- Cookiecutter's default extensions (``jsonify``, ``slugify``,
  ``random_ascii_string``, ``uuid4``, ``{% now %}``) load only when some
  template text names them: they are safe, but importing them costs more
  than rendering a whole project.
"""

import re
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from jinja2 import BaseLoader, BytecodeCache, Environment, StrictUndefined, TemplateNotFound
from jinja2.sandbox import SandboxedEnvironment

from wfpgen.errors import TemplateError, UntrustedTemplateError

COOKIECUTTER_EXTENSIONS = (
    "cookiecutter.extensions.JsonifyExtension",
    "cookiecutter.extensions.RandomStringExtension",
    "cookiecutter.extensions.SlugifyExtension",
    "cookiecutter.extensions.TimeExtension",
    "cookiecutter.extensions.UUIDExtension",
)
_USES_COOKIECUTTER_EXTENSIONS = re.compile(
    r"\b(?:jsonify|slugify|random_ascii_string|uuid4)\b|\{%[-+]?\s*now\b"
)
# _jinja2_env_vars that only change the syntax or whitespace: allowed untrusted.
SYNTAX_OPTIONS = frozenset(
    {
        "block_start_string",
        "block_end_string",
        "variable_start_string",
        "variable_end_string",
        "comment_start_string",
        "comment_end_string",
        "line_statement_prefix",
        "line_comment_prefix",
        "trim_blocks",
        "lstrip_blocks",
        "newline_sequence",
        "keep_trailing_newline",
    }
)
TRUST_HINT = (
    "read the template, then pass --trust if you trust its code, "
    "or trust its source once with `wfpgen trust SOURCE`"
)
# Template names of file and folder names, which are templates too.
NAME_PREFIX = "\0name:"


class SourceLoader(BaseLoader):
    """Serves template sources read up front; ``filename`` is the path in the template."""

    def __init__(self, sources: Mapping[str, tuple[str, str]]) -> None:
        self.sources = sources  # name -> (source, file name relative to the template)

    def get_source(
        self,
        environment: Environment,  # noqa: ARG002 (Jinja's signature)
        template: str,
    ) -> tuple[str, str, Callable[[], bool]]:
        """The source of ``template``, which never changes during a render."""
        if template.startswith(NAME_PREFIX):
            return template.removeprefix(NAME_PREFIX), "<template>", _always_current
        try:
            source, filename = self.sources[template]
        except KeyError:
            raise TemplateNotFound(template) from None
        return source, filename, _always_current

    def list_templates(self) -> list[str]:
        """Every template name this loader serves."""
        return sorted(self.sources)


def _always_current() -> bool:
    return True


def build_environment(
    *,
    sources: Mapping[str, tuple[str, str]],
    extensions: Sequence[str],
    env_vars: Mapping[str, Any],
    template: Path,
    trusted: bool,
    cache: BytecodeCache | None,
) -> Environment:
    """The environment for one render of ``template``.

    Raises:
        UntrustedTemplateError: the template declares extensions or options
            that run code, and is not trusted.
        TemplateError: an extension or option cannot be loaded.
    """
    unsafe = sorted(set(env_vars) - SYNTAX_OPTIONS)
    if not trusted and (extensions or unsafe):
        what = [f"the Jinja extension {name}" for name in extensions]
        what += [f"the Jinja option {name} (_jinja2_env_vars)" for name in unsafe]
        raise UntrustedTemplateError(
            f"{template} asks to run code: {', '.join(what)}; it was not loaded", TRUST_HINT
        )
    wanted = [*_default_extensions(sources), *extensions]
    kind = Environment if trusted else SandboxedEnvironment
    try:
        with _importable_from(template if trusted else None):
            settings = {"undefined": StrictUndefined, "keep_trailing_newline": True, **env_vars}
            environment = kind(
                loader=SourceLoader(sources), extensions=wanted, bytecode_cache=cache, **settings
            )
    except ImportError as err:
        raise TemplateError(
            f"{template}: cannot load a Jinja extension: {err}",
            "check the _extensions list in cookiecutter.json",
        ) from err
    except (TypeError, ValueError, AttributeError) as err:
        raise TemplateError(
            f"{template}: _jinja2_env_vars in cookiecutter.json is invalid: {err}"
        ) from err
    return environment


def _default_extensions(sources: Mapping[str, tuple[str, str]]) -> list[str]:
    if any(_USES_COOKIECUTTER_EXTENSIONS.search(text) for text, _ in sources.values()):
        return list(COOKIECUTTER_EXTENSIONS)
    return []


@contextmanager
def _importable_from(folder: Path | None) -> Iterator[None]:
    """Let a trusted template's own extension modules import, as cookiecutter does."""
    if folder is None:
        yield
        return
    entry = str(folder)
    sys.path.insert(0, entry)
    try:
        yield
    finally:
        sys.path.remove(entry)
