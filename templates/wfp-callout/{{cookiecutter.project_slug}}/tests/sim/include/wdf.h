{% if cookiecutter.tests.enabled -%}
// wdf.h: the WDK stand-in that the compile check uses too
// (templates/wdk/wdf.h in wfpgen's template).
// The KMDF version the driver's project builds against (its .vcxproj).
#ifndef KMDF_VERSION_MAJOR
#define KMDF_VERSION_MAJOR {{ cookiecutter.driver.kmdf_major }}
#define KMDF_VERSION_MINOR {{ cookiecutter.driver.kmdf_minor }}
#endif
{% include "wdk/wdf.h" %}{% endif -%}
