// The version-3 callout API with a Windows 7 minimum: FWPS_CALLOUT3 exists
// only from Windows 10, version 1709 (NTDDI_WIN10_RS3).
// ntddi: 0x06010000
// defines: NDIS620
// expect: FWPS_CALLOUT3
#include <ntddk.h>
#include <wdf.h>
#include <fwpsk.h>
#include <fwpmk.h>

NTSTATUS Canary(void *deviceObject)
{
    FWPS_CALLOUT3 callout = {0};
    return FwpsCalloutRegister3(deviceObject, &callout, NULL);
}
