// A variable read only by NT_ASSERT: without DBG the assertion is compiled
// out, so the variable is set but never used.
// expect: unused-but-set-variable
#include <ntddk.h>
#include <wdf.h>
#include <fwpsk.h>
#include <fwpmk.h>

void Canary(void)
{
    NTSTATUS status;

    status = STATUS_SUCCESS;
    NT_ASSERT(NT_SUCCESS(status));
}
