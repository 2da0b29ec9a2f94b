{% if cookiecutter.tests.enabled -%}
// wdmsec.h - the WDK stand-in that wfpgen's compile check uses too (its
// template's templates/wdk/wdmsec.h): the simulation builds the driver against
// the same declarations.
{% include "wdk/wdmsec.h" %}{% endif -%}
