/*
 * wfpgen test stub: <ntddk.h> pulls in the WDM declarations
 * (learn.microsoft.com/windows-hardware/drivers/ddi/ntddk/ - the header
 * extends wdm.h; the templates use nothing ntddk-only).
 */
#ifndef WFPGEN_STUB_NTDDK_H
#define WFPGEN_STUB_NTDDK_H
#include <wdm.h>
#endif /* WFPGEN_STUB_NTDDK_H */
