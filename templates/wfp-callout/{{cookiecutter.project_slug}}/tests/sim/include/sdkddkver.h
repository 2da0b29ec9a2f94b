{% if cookiecutter.tests.enabled -%}
// sdkddkver.h: the WDK stand-in that the compile check uses too
// (templates/wdk/sdkddkver.h in wfpgen's template), after the simulation's default.
// The simulation builds for the project's minimum Windows unless the build
// says otherwise, as _NT_TARGET_VERSION does in the WDK build.
#ifndef NTDDI_VERSION
#define NTDDI_VERSION {{ cookiecutter.driver.nt_target_version }}
#endif
{% include "wdk/sdkddkver.h" %}{% endif -%}
