{% if cookiecutter.tests.enabled -%}
// ntdef.h - the WDK stand-in that wfpgen's compile check uses too (its
// template's templates/wdk/ntdef.h): the simulation builds the driver against
// the same declarations.
{% include "wdk/ntdef.h" %}{% endif -%}
