//
// callouts.c - registers the callouts with the filter engine
// (FwpsCalloutRegister1) and unregisters them.
//
// Callouts are registered before any filter that uses them is added, so no
// traffic ever meets a filter whose callout is missing.
//

#include "driver.h"

//
// While WFP reports a callout busy, unregistering is retried this many
// milliseconds apart, with a debugger message every CALLOUT_BUSY_REPORT_EVERY
// attempts (every five seconds).
//
#define CALLOUT_UNREGISTER_DELAY_MS 100
#define CALLOUT_BUSY_REPORT_EVERY 50

typedef struct _CALLOUT_REGISTRATION {
    const GUID* CalloutKey;
    UINT32 Flags;
    FWPS_CALLOUT_CLASSIFY_FN1 ClassifyFn;
    FWPS_CALLOUT_NOTIFY_FN1 NotifyFn;
    FWPS_CALLOUT_FLOW_DELETE_NOTIFY_FN0 FlowDeleteFn;
} CALLOUT_REGISTRATION;

//
// Indexed by CALLOUT_INDEX.
//
static const CALLOUT_REGISTRATION CalloutRegistrations[CALLOUT_COUNT] = {
    {
        &DgramV4CalloutKey,
        0,
        DgramV4Classify,
        DgramV4Notify,
        NULL,
    },
    {
        &PacketInV6CalloutKey,
        0,
        PacketInV6Classify,
        PacketInV6Notify,
        NULL,
    },
    {
        &SendV6CalloutKey,
        0,
        SendV6Classify,
        SendV6Notify,
        NULL,
    },
    {
        &RecvV4CalloutKey,
        0,
        RecvV4Classify,
        RecvV4Notify,
        NULL,
    },
    {
        &PacketOutV6CalloutKey,
        0,
        PacketOutV6Classify,
        PacketOutV6Notify,
        NULL,
    },
    {
        &DgramV6CalloutKey,
        0,
        DgramV6Classify,
        DgramV6Notify,
        NULL,
    },
};

static UINT32 CalloutIds[CALLOUT_COUNT];
static ULONG CalloutsRegistered; // CalloutIds[0 .. CalloutsRegistered - 1] are live

_IRQL_requires_(PASSIVE_LEVEL)
static
NTSTATUS
CalloutRegister(
    _Inout_ DEVICE_OBJECT* deviceObject,
    _In_ const CALLOUT_REGISTRATION* registration,
    _Out_ UINT32* calloutId
    )
{
    FWPS_CALLOUT1 callout;

    *calloutId = 0;

    RtlZeroMemory(&callout, sizeof(callout));
    callout.calloutKey = *registration->CalloutKey;
    callout.flags = registration->Flags;
    callout.classifyFn = registration->ClassifyFn;
    callout.notifyFn = registration->NotifyFn;
    callout.flowDeleteFn = registration->FlowDeleteFn;

    return FwpsCalloutRegister1(deviceObject, &callout, calloutId);
}

_Use_decl_annotations_
NTSTATUS
CalloutsRegister(
    DEVICE_OBJECT* deviceObject
    )
{
    NTSTATUS status = STATUS_SUCCESS;

    NT_ASSERT(CalloutsRegistered == 0);

    while (CalloutsRegistered < CALLOUT_COUNT) {
        status = CalloutRegister(deviceObject,
                                 &CalloutRegistrations[CalloutsRegistered],
                                 &CalloutIds[CalloutsRegistered]);
        if (!NT_SUCCESS(status)) {
            DbgPrintEx(DPFLTR_IHVNETWORK_ID, DPFLTR_ERROR_LEVEL,
                       "ContosoReinject: registering callout %lu failed, 0x%08lX\n",
                       CalloutsRegistered, (ULONG)status);
            CalloutsUnregister();
            break;
        }

        CalloutsRegistered++;
    }

    return status;
}

_IRQL_requires_max_(DISPATCH_LEVEL)
static
BOOLEAN
CalloutIsBusy(
    _In_ NTSTATUS status
    )
{
    return (status == STATUS_DEVICE_BUSY || status == STATUS_FWP_IN_USE) ? TRUE : FALSE;
}

_IRQL_requires_(PASSIVE_LEVEL)
static
void
CalloutUnregister(
    _In_ UINT32 calloutId
    )
{
    LARGE_INTEGER delay;
    NTSTATUS status;
    ULONG attempt;

    delay.QuadPart = -10000LL * CALLOUT_UNREGISTER_DELAY_MS; // relative, 100 ns units

    //
    // The driver must not unload while WFP can still call into it, so a busy
    // callout is waited for, however long that takes. STATUS_FWP_IN_USE means
    // another (un)registration is under way: it is waited out the same way.
    //
    for (attempt = 1; CalloutIsBusy(status = FwpsCalloutUnregisterById0(calloutId)); attempt++) {
        if (attempt % CALLOUT_BUSY_REPORT_EVERY == 0) {
            DbgPrintEx(DPFLTR_IHVNETWORK_ID, DPFLTR_WARNING_LEVEL,
                       "ContosoReinject: callout %u still busy after %lu attempts\n",
                       calloutId, attempt);
        }
        //
        // Busy: a classifyFn of this callout is still running. Give it time
        // to return, and try again.
        //
        KeDelayExecutionThread(KernelMode, FALSE, &delay);
    }

    if (!NT_SUCCESS(status)) {
        //
        // Any other failure means the id is not (or no longer) registered:
        // there is nothing left to wait for.
        //
        DbgPrintEx(DPFLTR_IHVNETWORK_ID, DPFLTR_ERROR_LEVEL,
                   "ContosoReinject: FwpsCalloutUnregisterById0(%u) failed, 0x%08lX\n",
                   calloutId, (ULONG)status);
    }
}

_Use_decl_annotations_
void
CalloutsUnregister(
    void
    )
{
    while (CalloutsRegistered > 0) {
        CalloutsRegistered--;
        CalloutUnregister(CalloutIds[CalloutsRegistered]);
    }
}
