// calloutId is a UINT32* (unsigned int), not a ULONG* (unsigned long).
// expect: incompatible-pointer-types
#include <ntddk.h>
#include <wdf.h>
#include <fwpsk.h>
#include <fwpmk.h>

NTSTATUS Canary(void *deviceObject, const FWPS_CALLOUT3 *callout)
{
    ULONG calloutId;
    NTSTATUS status = FwpsCalloutRegister3(deviceObject, callout, &calloutId);
    UNREFERENCED_PARAMETER(calloutId);
    return status;
}
