{% if cookiecutter.tests.enabled -%}
// fwpsk.h - the WDK stand-in that wfpgen's compile check uses too (its
// template's templates/wdk/fwpsk.h): the simulation builds the driver against
// the same declarations, then what the simulation adds.
{% include "wdk/fwpsk.h" %}
//
// The test seam: classify.c calls this where the driver's own filtering
// logic goes, so a scenario can play that logic's decision (SIM_TRAFFIC's
// logic* members). The WDK's headers never define SIM_USER_LOGIC_HOOK.
//
#ifndef SIM_USER_LOGIC_HOOK
#define SIM_USER_LOGIC_HOOK 1
EXTERN_C void SimUserLogic(FWP_ACTION_TYPE* verdict, FWPS_STREAM_CALLOUT_IO_PACKET0* streamPacket, BOOLEAN* redirect);
{%- if cookiecutter.driver.has_reinject %}
// The same for <Callout>Inspect of a reinject callout (inject.c).
EXTERN_C void SimInspectLogic(const void* inspection, FWP_ACTION_TYPE* verdict);
{%- endif %}
#endif
{% endif -%}
