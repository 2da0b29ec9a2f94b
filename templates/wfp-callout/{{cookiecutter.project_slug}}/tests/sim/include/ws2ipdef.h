{% if cookiecutter.tests.enabled -%}
// ws2ipdef.h - the WDK stand-in that wfpgen's compile check uses too (its
// template's templates/wdk/ws2ipdef.h): the simulation builds the driver against
// the same declarations.
{% include "wdk/ws2ipdef.h" %}{% endif -%}
