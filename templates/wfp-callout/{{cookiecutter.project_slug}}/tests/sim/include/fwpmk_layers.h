{% if cookiecutter.tests.enabled -%}
// fwpmk_layers.h - the WDK stand-in that wfpgen's compile check uses too (its
// template's templates/wdk/fwpmk_layers.h): the simulation builds the driver against
// the same declarations.
{% include "wdk/fwpmk_layers.h" %}{% endif -%}
