{% if cookiecutter.tests.enabled -%}
//
// wdmsec.h - the SDDL strings for device objects, as far as the simulation
// needs them.
//

#pragma once

#include <ntddk.h>

// "D:P": no access for anyone in user mode; kernel-mode callers only.
EXTERN_C const UNICODE_STRING SDDL_DEVOBJ_KERNEL_ONLY;
{% endif -%}
