{% set api = cookiecutter.driver.api_version -%}
//
// callouts.c - registers the callouts with the filter engine
// (FwpsCalloutRegister{{ api }}) and unregisters them.
//
// Callouts are registered before any filter that uses them is added, so no
// traffic ever meets a filter whose callout is missing.
//

#include "driver.h"
{%- if cookiecutter.driver.has_flow_contexts %}
#include "flow.h"
{%- endif %}

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
    FWPS_CALLOUT_CLASSIFY_FN{{ api }} ClassifyFn;
    FWPS_CALLOUT_NOTIFY_FN{{ api }} NotifyFn;
    FWPS_CALLOUT_FLOW_DELETE_NOTIFY_FN0 FlowDeleteFn;
} CALLOUT_REGISTRATION;

//
// Indexed by CALLOUT_INDEX.
//
static const CALLOUT_REGISTRATION CalloutRegistrations[CALLOUT_COUNT] = {
{%- for name, c in cookiecutter.callouts.items() %}
    {
        &{{ c.symbol }},
        {{ c.flags | join(" | ") if c.flags else "0" }},
        {{ c.classify_fn }},
        {{ c.notify_fn }},
        {{ c.flow_delete_fn if c.flow_delete_fn else "NULL" }},
    },
{%- endfor %}
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
    FWPS_CALLOUT{{ api }} callout;

    *calloutId = 0;

    RtlZeroMemory(&callout, sizeof(callout));
    callout.calloutKey = *registration->CalloutKey;
    callout.flags = registration->Flags;
    callout.classifyFn = registration->ClassifyFn;
    callout.notifyFn = registration->NotifyFn;
    callout.flowDeleteFn = registration->FlowDeleteFn;

    return FwpsCalloutRegister{{ api }}(deviceObject, &callout, calloutId);
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
                       "{{ cookiecutter.driver.name }}: registering callout %lu failed, 0x%08lX\n",
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
                       "{{ cookiecutter.driver.name }}: callout %u still busy after %lu attempts\n",
                       calloutId, attempt);
        }
{%- if cookiecutter.driver.has_flow_contexts %}
        //
        // Busy: a classifyFn of this callout is still running, or a flow
        // still carries one of its contexts (a removal that was pending when
        // FlowStop ran completes once that classifyFn returns). Remove what
        // is left, give it time, and try again.
        //
        FlowRemoveAll();
{%- else %}
        //
        // Busy: a classifyFn of this callout is still running. Give it time
        // to return, and try again.
        //
{%- endif %}
        KeDelayExecutionThread(KernelMode, FALSE, &delay);
    }

    if (!NT_SUCCESS(status)) {
        //
        // Any other failure means the id is not (or no longer) registered:
        // there is nothing left to wait for.
        //
        DbgPrintEx(DPFLTR_IHVNETWORK_ID, DPFLTR_ERROR_LEVEL,
                   "{{ cookiecutter.driver.name }}: FwpsCalloutUnregisterById0(%u) failed, 0x%08lX\n",
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
{%- if cookiecutter.driver.has_flow_contexts %}

_Use_decl_annotations_
UINT32
CalloutsGetId(
    CALLOUT_INDEX callout
    )
{
    NT_ASSERT(callout < CALLOUT_COUNT);

    return CalloutIds[callout];
}
{%- endif %}
