{% if cookiecutter.tests.enabled -%}
// wdm.h - the WDK stand-in that wfpgen's compile check uses too (its
// template's templates/wdk/wdm.h): the simulation builds the driver against
// the same declarations.
{% include "wdk/wdm.h" %}{% endif -%}
