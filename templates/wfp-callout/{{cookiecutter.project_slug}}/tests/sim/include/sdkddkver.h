{% if cookiecutter.tests.enabled -%}
// sdkddkver.h - the WDK stand-in that wfpgen's compile check uses too (its
// template's templates/wdk/sdkddkver.h): the simulation builds the driver against
// the same declarations, after the simulation's default.
// The simulation builds for the project's minimum Windows unless the build
// says otherwise, as _NT_TARGET_VERSION does in the WDK build.
#ifndef NTDDI_VERSION
#define NTDDI_VERSION {{ cookiecutter.driver.nt_target_version }}
#endif
{% include "wdk/sdkddkver.h" %}{% endif -%}
