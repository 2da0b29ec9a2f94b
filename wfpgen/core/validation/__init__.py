"""Validation: a spec checked against the WFP catalog by a table of rules with stable codes.

- ``registry``: the :class:`Rule` table (``RULES``), the code scheme (E1xx structure,
  keys and values; E2xx layers, flags, Windows and KMDF; E3xx names, GUIDs and
  collisions; W4xx warnings), rule groups and lookup by code;
- ``structure``, ``platform``, ``names``, ``warnings``, ``behaviors`` (the control
  channel and ask/reinject): the rules, one small function each, with a summary, an
  explanation, the fix and the documentation source;
- ``checker``: the walk that runs each group of rules on each part of a spec;
- ``facts``: limits, patterns and WFP questions (is this a flow layer?) the rest of
  the core asks too.

``wfpgen explain CODE`` shows a rule; ``registry.markdown_list`` writes the
list of codes in docs/rule-codes.md (``tools/rule_codes.py``).

To add a check: write a function of the subject in the module of its category,
decorate it with its group's ``rule(code, summary, explanation=, fix=, source=)``
(a new code, never a reused one), add a spec that triggers it alone to
``TRIGGERS`` in tests/test_rules.py, and run ``python tools/rule_codes.py``.

Problems make the spec unusable (exit status 2, nothing written); warnings are
legal but suspicious choices the user should hear about.
"""

# Importing the rule modules registers their rules, in code order.
from wfpgen.core.validation import behaviors, names, platform, structure, warnings
from wfpgen.core.validation.checker import Findings, validate_spec
from wfpgen.core.validation.facts import (
    C_KEYWORDS,
    GUID_TEXT,
    IDENTIFIER,
    KMDF_VERSIONS,
    KMDF_WITHOUT_HEADERS,
    MAX_CALLOUT_NAME,
    MAX_DRIVER_NAME,
    MAX_TEXT,
    behaviors_at,
    canonical_action,
    canonical_architecture,
    canonical_behavior,
    canonical_guid,
    default_action,
    default_architectures,
    default_kmdf,
    is_flow_associator,
    is_flow_target,
    oldest_windows_for,
    usable_flags,
)
from wfpgen.core.validation.registry import (
    RULES,
    Rule,
    closest_codes,
    find_rule,
    markdown_list,
    sorted_rules,
)

__all__ = [
    "C_KEYWORDS",
    "GUID_TEXT",
    "IDENTIFIER",
    "KMDF_VERSIONS",
    "KMDF_WITHOUT_HEADERS",
    "MAX_CALLOUT_NAME",
    "MAX_DRIVER_NAME",
    "MAX_TEXT",
    "RULES",
    "Findings",
    "Rule",
    "behaviors",
    "behaviors_at",
    "canonical_action",
    "canonical_architecture",
    "canonical_behavior",
    "canonical_guid",
    "closest_codes",
    "default_action",
    "default_architectures",
    "default_kmdf",
    "find_rule",
    "is_flow_associator",
    "is_flow_target",
    "markdown_list",
    "names",
    "oldest_windows_for",
    "platform",
    "sorted_rules",
    "structure",
    "usable_flags",
    "validate_spec",
    "warnings",
]
