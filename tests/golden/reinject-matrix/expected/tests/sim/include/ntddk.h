// ntddk.h - the WDK stand-in that wfpgen's compile check uses too (its
// template's templates/wdk/ntddk.h): the simulation builds the driver against
// the same declarations, then what the simulation adds.
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

//
// What the simulation adds to the kernel (sim/*.c): checks that run in every
// build, where Windows has them only in a checked (DBG) build.
//
#ifndef SIM_NTDDK_ADDITIONS
#define SIM_NTDDK_ADDITIONS

// A failed NT_ASSERT fails the test.
EXTERN_C void SimAssertFailed(const char* expression, const char* file, int line);
#undef NT_ASSERT
#define NT_ASSERT(expression) \
    ((expression) ? (void)0 : SimAssertFailed(#expression, __FILE__, __LINE__))

// PAGED_CODE() marks a function that may be paged out: it must never run
// above APC_LEVEL (sim/irql.c checks it).
EXTERN_C void SimPagedCode(const char* function);
#undef PAGED_CODE
#define PAGED_CODE() SimPagedCode(__func__)

// driver.h's hook: the scenarios look at what each classifyFn read
// (sim/traffic.c). The WDK's headers never define it.
EXTERN_C void SimClassifyValuesRead(ULONG callout, const void* values);
#define CLASSIFY_VALUES_READ(callout, values) SimClassifyValuesRead((ULONG)(callout), (values))

#endif
