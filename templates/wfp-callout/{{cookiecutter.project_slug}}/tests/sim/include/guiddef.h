{% if cookiecutter.tests.enabled -%}
// guiddef.h - the WDK stand-in that wfpgen's compile check uses too (its
// template's templates/wdk/guiddef.h): the simulation builds the driver against
// the same declarations.
{% include "wdk/guiddef.h" %}{% endif -%}
