{% if cookiecutter.tests.enabled -%}
// in6addr.h - the WDK stand-in that wfpgen's compile check uses too (its
// template's templates/wdk/in6addr.h): the simulation builds the driver against
// the same declarations.
{% include "wdk/in6addr.h" %}{% endif -%}
