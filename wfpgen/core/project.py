"""From raw input to a resolved spec: parse, validate, resolve, in that order."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from wfpgen.core.catalog import Catalog
from wfpgen.core.resolve import GuidFactory, Resolution, random_guid, resolve_spec
from wfpgen.core.spec import read_spec
from wfpgen.core.validation import validate_spec
from wfpgen.errors import Problem, SpecError


@dataclass(frozen=True)
class Plan:
    """A resolved spec ready to render, with what the user should be told."""

    resolution: Resolution
    warnings: tuple[Problem, ...]


def plan_project(
    raw: Mapping[str, Any], catalog: Catalog, new_guid: GuidFactory = random_guid
) -> Plan:
    """Parse and validate ``raw`` and resolve it.

    Raises:
        SpecError: listing every problem found.
    """
    spec, problems = read_spec(raw)
    findings = validate_spec(spec, catalog)
    # A field already reported as malformed is not reported again as invalid.
    malformed = {p.field for p in problems}
    problems += [p for p in findings.problems if p.field not in malformed]
    if problems:
        raise SpecError(problems)
    return Plan(resolve_spec(spec, catalog, new_guid), findings.warnings)
