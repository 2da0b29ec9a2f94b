{% if cookiecutter.tests.enabled -%}
// fwpsk_layers.h - the WDK stand-in that wfpgen's compile check uses too (its
// template's templates/wdk/fwpsk_layers.h): the simulation builds the driver against
// the same declarations.
{% include "wdk/fwpsk_layers.h" %}{% endif -%}
