{% if cookiecutter.tests.enabled -%}
// inaddr.h - the WDK stand-in that wfpgen's compile check uses too (its
// template's templates/wdk/inaddr.h): the simulation builds the driver against
// the same declarations.
{% include "wdk/inaddr.h" %}{% endif -%}
