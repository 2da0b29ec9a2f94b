{% if cookiecutter.tests.enabled -%}
//
// bfe.c - the state of the Base Filtering Engine service.
//
// Reproduced behaviour (Microsoft Learn: FwpmBfeStateGet0,
// FwpmBfeStateSubscribeChanges0, FwpmBfeStateUnsubscribeChanges0, and
// "Calling Other Windows Filtering Platform Functions"): BFE runs unless a
// test stops it; a subscriber's callback runs at PASSIVE_LEVEL on every state
// change; a driver unsubscribes before it unloads.
//

#include "sim_internal.h"

typedef struct SIM_SUBSCRIPTION {
    BOOLEAN live;
    FWPM_SERVICE_STATE_CHANGE_CALLBACK0 callback;
    void* context;
} SIM_SUBSCRIPTION;

static FWPM_SERVICE_STATE SimBfeState = FWPM_SERVICE_RUNNING;
static SIM_SUBSCRIPTION SimSubscriptions[4];

void SimBfeReset(void)
{
    SimBfeState = FWPM_SERVICE_RUNNING;
    RtlZeroMemory(SimSubscriptions, sizeof(SimSubscriptions));
}

void SimBfeCheckClean(const char* when)
{
    for (ULONG i = 0; i < SIM_COUNT(SimSubscriptions); i++) {
        if (SimSubscriptions[i].live) {
            SimBugCheck("BFE state subscription left %s: FwpmBfeStateSubscribeChanges0 without "
                        "FwpmBfeStateUnsubscribeChanges0", when);
        }
    }
}

FWPM_SERVICE_STATE FwpmBfeStateGet0(void)
{
    return SimBfeState;
}

NTSTATUS FwpmBfeStateSubscribeChanges0(void* deviceObject, FWPM_SERVICE_STATE_CHANGE_CALLBACK0 callback,
                                       void* context, HANDLE* changeHandle)
{
    SimRequireIrql(PASSIVE_LEVEL, "FwpmBfeStateSubscribeChanges0");
    *changeHandle = NULL;
    if (deviceObject == NULL || callback == NULL) {
        return STATUS_INVALID_PARAMETER;
    }
    if (SimFaultShouldFail("FwpmBfeStateSubscribeChanges0")) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    for (ULONG i = 0; i < SIM_COUNT(SimSubscriptions); i++) {
        if (!SimSubscriptions[i].live) {
            SimSubscriptions[i].live = TRUE;
            SimSubscriptions[i].callback = callback;
            SimSubscriptions[i].context = context;
            *changeHandle = (HANDLE)&SimSubscriptions[i];
            return STATUS_SUCCESS;
        }
    }
    return STATUS_INSUFFICIENT_RESOURCES;
}

NTSTATUS FwpmBfeStateUnsubscribeChanges0(HANDLE changeHandle)
{
    SimRequireIrql(PASSIVE_LEVEL, "FwpmBfeStateUnsubscribeChanges0");
    for (ULONG i = 0; i < SIM_COUNT(SimSubscriptions); i++) {
        if (changeHandle == (HANDLE)&SimSubscriptions[i] && SimSubscriptions[i].live) {
            SimSubscriptions[i].live = FALSE;
            return STATUS_SUCCESS;
        }
    }
    SimBugCheck("FwpmBfeStateUnsubscribeChanges0 with a handle that is not subscribed (%p)", changeHandle);
}

void SimBfeSetState(FWPM_SERVICE_STATE state)
{
    SimBfeState = state;
    for (ULONG i = 0; i < SIM_COUNT(SimSubscriptions); i++) {
        if (SimSubscriptions[i].live) {
            KIRQL irql = KeGetCurrentIrql();
            ULONG locks = SimSpinLocksHeld();

            SimSubscriptions[i].callback(SimSubscriptions[i].context, state);
            SimCheckDriverReturn(irql, locks, "the BFE state change callback");
        }
    }
}
{% endif -%}
