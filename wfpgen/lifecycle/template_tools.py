"""What ``wfpgen template`` does: export the built-in template, show a context, test a template.

- ``export_template(target)`` writes the built-in template (with its
  ``CONTEXT.md`` and an example context in ``cookiecutter.json``) into
  ``target`` through the destination transaction, so a failure leaves nothing.
- ``check_template(info, ...)`` renders a template for every spec of the
  built-in matrix (``wfpgen.checks.matrix``: every layer family, every settable flag,
  every minimum Windows) and compiles each rendered ``.c`` with the suite's
  check (``wfpgen.checks.compile_check``: libclang in MSVC mode against the
  declaration-only WDK stand-ins in the built-in template's ``templates/wdk``); then, where
  cmake and a C compiler exist, builds and runs the generated ``tests/``
  (``wfpgen.checks.sim_build``), so a template whose simulation does not build
  or whose driver fails its own scenarios fails too.
"""

import itertools
import re
import shutil
import tempfile
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from wfpgen.checks.matrix import MATRIX
from wfpgen.checks.sim_build import PhaseResult, build_and_run
from wfpgen.core.catalog import Catalog
from wfpgen.core.project import plan_project
from wfpgen.core.spec import TemplateSpec, apply_options
from wfpgen.errors import DestinationError, SpecError, TemplateError, UntrustedTemplateError
from wfpgen.lifecycle.generate import check_destination, template_context
from wfpgen.lifecycle.transaction import DestinationTransaction
from wfpgen.templating.info import TemplateInfo
from wfpgen.templating.render import render_project, template_dir

_EXPORT_SKIP = ("__pycache__", "*.pyc")
_PROJECT_ITEM = re.compile(r'<Cl(?:Compile|Include) Include="([^"]+)"')


def export_template(target: Path, *, force: bool = False) -> tuple[str, ...]:
    """Write the built-in template into ``target``; return the files written.

    Raises:
        DestinationError: ``target`` is a file, or a non-empty folder without ``force``.
    """
    check_destination(target, force=force)
    with DestinationTransaction(target) as tx:
        check_destination(target, force=force)
        source = tx.scratch / "template"
        shutil.copytree(template_dir(), source, ignore=shutil.ignore_patterns(*_EXPORT_SKIP))
        files = tuple(
            sorted(p.relative_to(source).as_posix() for p in source.rglob("*") if p.is_file())
        )
        tx.commit(source, files)
    return files


def counting_guids() -> Any:
    """A GUID factory that counts: the same spec always gets the same GUIDs."""
    counter = itertools.count(1)
    return lambda: str(uuid.UUID(int=next(counter) + (0x7E57 << 64)))


def matrix_context(
    raw: Mapping[str, Any], catalog: Catalog, variables: Mapping[str, Any], version: str
) -> dict[str, Any]:
    """The context a template receives for the raw spec ``raw`` and these variable values."""
    plan = plan_project(apply_options(raw, from_file=True), catalog, counting_guids())
    spec = replace(plan.resolution.spec, template=TemplateSpec(variables=dict(variables)))
    return template_context(spec, catalog, version=version)


@dataclass(frozen=True)
class CaseResult:
    """How one matrix spec fared: rendered files, compile diagnostics, or a render failure."""

    case: str
    sources: int  # kernel .c files compiled
    diagnostics: tuple[str, ...]  # formatted, errors and warnings
    errors: int
    failure: str = ""  # the render failed: why
    phases: tuple[PhaseResult, ...] = ()  # building and running the generated tests/

    @property
    def compiled(self) -> bool:
        """Whether the template rendered and every .c compiled without errors."""
        return not self.failure and self.errors == 0

    @property
    def ok(self) -> bool:
        """Whether it compiled, and the generated tests built and passed (or were skipped)."""
        return self.compiled and all(phase.ok for phase in self.phases)


def check_template(
    info: TemplateInfo,
    catalog: Catalog,
    *,
    trusted: bool,
    variables: Mapping[str, Any],
    version: str,
    cases: Mapping[str, Mapping[str, Any]] = MATRIX,
    headers: Path | None = None,
    build: bool = True,
) -> Iterator[CaseResult]:
    """Render ``info`` for each of ``cases``, compile, build and run its tests; one result each.

    ``headers`` is a real WDK header tree made by ``wdk-headers``; without it
    the stand-ins in the built-in template's ``templates/wdk`` are used. Hooks do not run.
    With ``build``, a case that compiled also builds and runs its generated
    ``tests/``. Raises ``CheckUnavailableError`` when libclang is missing.
    """
    from wfpgen.checks.compile_check import check_project, format_diagnostics

    for case, raw in cases.items():
        context = matrix_context(raw, catalog, variables, version)
        with tempfile.TemporaryDirectory(prefix="wfpgen-test-") as scratch:
            try:
                project = render_project(info.path, context, Path(scratch), trusted=trusted)
            except UntrustedTemplateError:
                raise  # the same for every spec: exit status 4, as for new
            except (TemplateError, SpecError, DestinationError) as err:
                yield CaseResult(case, 0, (), 0, failure=err.message)
                continue
            driver = context["driver"]
            kmdf = (int(driver["kmdf_major"]), int(driver["kmdf_minor"]))
            try:
                diagnostics = check_project(
                    project,
                    headers=headers or "stub",
                    ntddi=driver["nt_target_version"],
                    kmdf=kmdf,
                )
            except FileNotFoundError as err:
                yield CaseResult(case, 0, (), 0, failure=str(err))
                continue
            sources = len(list(project.rglob("*.c")))
            listing = project_listing_problems(project)
            lines = (*listing, *format_diagnostics(diagnostics, project).splitlines())
            errors = len(listing) + sum(d.is_error for d in diagnostics)
            phases: tuple[PhaseResult, ...] = ()
            if build and errors == 0:
                phases = build_and_run(project, Path(scratch) / "build")
            yield CaseResult(case, sources, lines, errors, phases=phases)


def project_listing_problems(project: Path) -> list[str]:
    """Sources the ``.vcxproj`` files and the folders disagree on: orphans and missing files.

    A ``.c`` or ``.h`` file next to a ``.vcxproj`` that the project does not
    list is never built (an orphan); a listed file that was not generated
    breaks the build. Both are errors.
    """
    problems = []
    for vcxproj in sorted(project.rglob("*.vcxproj")):
        folder = vcxproj.parent
        text = vcxproj.read_text(encoding="utf-8-sig", errors="replace")
        listed = {name.replace("\\", "/") for name in _PROJECT_ITEM.findall(text)}
        where = vcxproj.relative_to(project).as_posix()
        problems += [
            f"{where}: lists {name}, which was not generated"
            for name in sorted(listed)
            if not (folder / name).is_file()
        ]
        for path in sorted(folder.iterdir()):
            if path.suffix in (".c", ".h") and path.name not in listed:
                rel = path.relative_to(project).as_posix()
                problems.append(f"{rel}: not listed in {where} (an orphan source file)")
    return problems
