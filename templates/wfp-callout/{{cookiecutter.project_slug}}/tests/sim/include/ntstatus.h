{% if cookiecutter.tests.enabled -%}
// ntstatus.h - the WDK stand-in that wfpgen's compile check uses too (its
// template's templates/wdk/ntstatus.h): the simulation builds the driver against
// the same declarations.
{% include "wdk/ntstatus.h" %}{% endif -%}
