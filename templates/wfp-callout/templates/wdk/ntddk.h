/*
 * wfpgen test stub: <ntddk.h> pulls in the WDM declarations
 * (learn.microsoft.com/windows-hardware/drivers/ddi/ntddk/ - the header
 * extends wdm.h).
 */
#ifndef WFPGEN_STUB_NTDDK_H
#define WFPGEN_STUB_NTDDK_H
#include <wdm.h>

/* ---- Processes: ntddk/nf-ntddk-psgetcurrentprocessid */
NTKERNELAPI HANDLE PsGetCurrentProcessId(VOID);
#endif /* WFPGEN_STUB_NTDDK_H */
