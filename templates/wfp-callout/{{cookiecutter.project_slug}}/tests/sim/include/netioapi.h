{% if cookiecutter.tests.enabled -%}
// netioapi.h - the WDK stand-in that wfpgen's compile check uses too (its
// template's templates/wdk/netioapi.h): the simulation builds the driver against
// the same declarations.
{% include "wdk/netioapi.h" %}{% endif -%}
