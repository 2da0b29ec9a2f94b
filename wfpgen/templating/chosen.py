"""The template a command renders with, fetched, checked and given its variables' values.

One call for every command that renders (``new``, ``template context``, and
``update``): :func:`choose_template` reads the spec's ``[template]`` table,
applies the command-line overrides, fetches the template
(:mod:`wfpgen.templating.sources`), checks its contract, applies the ``--trust`` gate
for hooks (:mod:`wfpgen.templating.hooks`) and works out the value of each of the
template's own variables (:mod:`wfpgen.templating.config`)::

    with choose_template(raw.get("template", {}), base=spec_file.parent,
                         source=opt_template, checkout=opt_checkout,
                         directory=opt_directory, sets=opt_set, trust=opt_trust) as chosen:
        spec = replace(spec, template=chosen.record(target))
        generate_project(spec, catalog, target, template=chosen.path,
                         version=__version__, trusted=chosen.trusted)
"""

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wfpgen.core.spec import TemplateSpec
from wfpgen.templating.config import parse_set_options, variable_values
from wfpgen.templating.hooks import require_trust
from wfpgen.templating.info import TemplateInfo, read_template
from wfpgen.templating.sources import FetchedTemplate, open_template, template_request
from wfpgen.templating.trust import is_trusted, normal_source, trusted_entries


@dataclass(frozen=True)
class ChosenTemplate:
    """A fetched template, what it declares, and the values of its variables."""

    fetched: FetchedTemplate
    info: TemplateInfo
    values: dict[str, Any]  # every variable the template declares
    trusted: bool  # the built-in template, or --trust

    @property
    def path(self) -> Path:
        """The folder holding the template's cookiecutter.json."""
        return self.fetched.path

    def record(self, project: Path, values: Mapping[str, Any] | None = None) -> TemplateSpec:
        """The spec's ``[template]`` table for a project generated into ``project``."""
        chosen = dict(self.values if values is None else values)
        return TemplateSpec(**self.fetched.record(project), variables=chosen)


@contextmanager
def choose_template(
    table: Mapping[str, Any],
    *,
    base: Path,
    source: str | None = None,
    checkout: str | None = None,
    directory: str | None = None,
    sets: Sequence[str] = (),
    trust: bool = False,
    runs_hooks: bool = True,
) -> Iterator[ChosenTemplate]:
    """Fetch and check the template for a spec whose ``[template]`` table is ``table``.

    ``base`` is the folder of the spec file (relative local sources are
    relative to it); the other arguments are the command-line options. A
    command that never runs hooks (``check``, dry runs) passes ``runs_hooks``
    false: hooks then need no trust (Jinja extensions still do; the renderer
    refuses those itself).
    Fetched copies are removed when the block ends.

    Raises:
        SpecError: bad ``--set`` values, undeclared variables (exit status 2).
        TemplateError: the template cannot be fetched or needs a newer wfpgen.
        UntrustedTemplateError: the template has hooks and ``trust`` is false.
    """
    overrides = parse_set_options(sets)
    request = template_request(
        table, base=base, source=source, checkout=checkout, directory=directory
    )
    with open_template(request) as fetched:
        info = read_template(fetched.path)
        trusted = fetched.builtin or trust or _trusted_once(fetched)
        if runs_hooks:
            require_trust(info, trusted=trusted, label=fetched.label)
        given = table.get("variables")
        values = variable_values(
            info.variables, given if isinstance(given, Mapping) else {}, overrides
        )
        yield ChosenTemplate(fetched, info, values, trusted)


def _trusted_once(fetched: FetchedTemplate) -> bool:
    """Whether the user trusts this template's source (``wfpgen trust``, ``WFPGEN_TRUST``)."""
    if fetched.local_path is not None:
        source = normal_source(str(fetched.local_path))
    else:
        source = normal_source(fetched.source or "")
    return is_trusted(source, fetched.checkout, trusted_entries())
