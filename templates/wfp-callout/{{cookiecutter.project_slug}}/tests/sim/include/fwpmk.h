{% if cookiecutter.tests.enabled -%}
// fwpmk.h - the WDK stand-in that wfpgen's compile check uses too (its
// template's templates/wdk/fwpmk.h): the simulation builds the driver against
// the same declarations.
{% include "wdk/fwpmk.h" %}{% endif -%}
