{% if cookiecutter.tests.enabled -%}
// wdf.h - the WDK stand-in that wfpgen's compile check uses too (its
// template's templates/wdk/wdf.h): the simulation builds the driver against
// the same declarations.
// The KMDF version the driver's project builds against (its .vcxproj).
#ifndef KMDF_VERSION_MAJOR
#define KMDF_VERSION_MAJOR {{ cookiecutter.driver.kmdf_major }}
#define KMDF_VERSION_MINOR {{ cookiecutter.driver.kmdf_minor }}
#endif
{% include "wdk/wdf.h" %}{% endif -%}
