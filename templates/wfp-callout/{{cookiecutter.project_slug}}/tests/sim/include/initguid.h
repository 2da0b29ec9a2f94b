{% if cookiecutter.tests.enabled -%}
// initguid.h - the WDK stand-in that wfpgen's compile check uses too (its
// template's templates/wdk/initguid.h): the simulation builds the driver against
// the same declarations.
{% include "wdk/initguid.h" %}{% endif -%}
