//
// winioctl.h - CTL_CODE, METHOD_BUFFERED and the access bits, for the
// companion's logic (app/ctl.c) in the tests: the kernel stand-ins (wdm.h)
// define them as the SDK's winioctl.h does.
//

#pragma once

#include <ntddk.h>
