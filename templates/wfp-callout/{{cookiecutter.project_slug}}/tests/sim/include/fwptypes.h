{% if cookiecutter.tests.enabled -%}
// fwptypes.h - the WDK stand-in that wfpgen's compile check uses too (its
// template's templates/wdk/fwptypes.h): the simulation builds the driver against
// the same declarations.
{% include "wdk/fwptypes.h" %}{% endif -%}
