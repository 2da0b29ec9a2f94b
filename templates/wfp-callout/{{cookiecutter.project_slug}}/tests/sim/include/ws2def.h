{% if cookiecutter.tests.enabled -%}
// ws2def.h - the WDK stand-in that wfpgen's compile check uses too (its
// template's templates/wdk/ws2def.h): the simulation builds the driver against
// the same declarations.
{% include "wdk/ws2def.h" %}{% endif -%}
