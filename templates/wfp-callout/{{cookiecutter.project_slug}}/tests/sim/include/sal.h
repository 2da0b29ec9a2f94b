{% if cookiecutter.tests.enabled -%}
// sal.h - the WDK stand-in that wfpgen's compile check uses too (its
// template's templates/wdk/sal.h): the simulation builds the driver against
// the same declarations.
{% include "wdk/sal.h" %}{% endif -%}
