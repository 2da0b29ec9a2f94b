{% if cookiecutter.tests.enabled -%}
// ndis.h - the WDK stand-in that wfpgen's compile check uses too (its
// template's templates/wdk/ndis.h): the simulation builds the driver against
// the same declarations.
{% include "wdk/ndis.h" %}{% endif -%}
