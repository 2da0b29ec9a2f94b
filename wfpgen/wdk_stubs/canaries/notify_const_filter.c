// A notifyFn whose filter parameter is const does not match
// FWPS_CALLOUT_NOTIFY_FN3, which takes a writable FWPS_FILTER3* (the old doc
// example's mistake: it cannot set filter->context).
// expect: incompatible-function-pointer-types
#include <ntddk.h>
#include <wdf.h>
#include <fwpsk.h>
#include <fwpmk.h>

static NTSTATUS NTAPI BadNotify(FWPS_CALLOUT_NOTIFY_TYPE notifyType, const GUID *filterKey,
                                const FWPS_FILTER3 *filter)
{
    UNREFERENCED_PARAMETER(notifyType);
    UNREFERENCED_PARAMETER(filterKey);
    UNREFERENCED_PARAMETER(filter);
    return STATUS_SUCCESS;
}

void Canary(FWPS_CALLOUT3 *callout)
{
    callout->notifyFn = BadNotify;
}
