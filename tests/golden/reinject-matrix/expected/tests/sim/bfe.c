//
// bfe.c - the state of the Base Filtering Engine service.
//
// Reproduced behaviour (Microsoft Learn: FwpmBfeStateGet0,
// FwpmBfeStateSubscribeChanges0, FwpmBfeStateUnsubscribeChanges0,
// FWPM_SERVICE_STATE_CHANGE_CALLBACK0, Object Management):
// - BFE runs unless a test stops it; a subscriber's callback runs at
//   PASSIVE_LEVEL on every state change, including the ones that happen
//   while the driver subscribes;
// - when BFE stops, its sessions end and its objects go (engine.c,
//   objects.c) before the subscribers hear FWPM_SERVICE_STOPPED; a BFE that
//   stops gracefully says FWPM_SERVICE_STOP_PENDING first, while sessions
//   still work (WFPSampler closes its engine handle there:
//   SubscriptionFunctions_BFEState.cpp), one that dies goes straight to
//   FWPM_SERVICE_STOPPED;
// - a driver unsubscribes before it unloads, and never from inside the
//   callback ("Doing so can cause a deadlock", FwpmBfeStateSubscribeChanges0).
//

#include "sim_internal.h"

typedef struct SIM_SUBSCRIPTION {
    BOOLEAN live;
    FWPM_SERVICE_STATE_CHANGE_CALLBACK0 callback;
    void* context;
} SIM_SUBSCRIPTION;

static FWPM_SERVICE_STATE SimBfeState = FWPM_SERVICE_RUNNING;
static SIM_SUBSCRIPTION SimSubscriptions[4];
static BOOLEAN SimInCallback;
static BOOLEAN SimRaceArmed;
static SIM_BFE_RACE SimRace;
static BOOLEAN SimRestartOnUnsubscribe;

void SimBfeReset(void)
{
    SimBfeState = FWPM_SERVICE_RUNNING;
    RtlZeroMemory(SimSubscriptions, sizeof(SimSubscriptions));
    SimInCallback = FALSE;
    SimRaceArmed = FALSE;
    SimRestartOnUnsubscribe = FALSE;
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
    SimRequireIrql(DISPATCH_LEVEL, "FwpmBfeStateGet0");
    return SimBfeState;
}

static void SimBfeTell(SIM_SUBSCRIPTION* subscription, FWPM_SERVICE_STATE state)
{
    KIRQL irql = KeGetCurrentIrql();
    ULONG locks = SimSpinLocksHeld();

    SimInCallback = TRUE;
    subscription->callback(subscription->context, state);
    SimInCallback = FALSE;
    SimCheckDriverReturn(irql, locks, "the BFE state change callback");
    SimEngineCheckNoTransaction("the BFE state change callback returned");
}

void SimBfeStartDuringSubscribe(SIM_BFE_RACE race)
{
    SimRaceArmed = TRUE;
    SimRace = race;
}

void SimBfeRestartDuringUnsubscribe(void)
{
    SimRestartOnUnsubscribe = TRUE;
}

NTSTATUS FwpmBfeStateSubscribeChanges0(void* deviceObject, FWPM_SERVICE_STATE_CHANGE_CALLBACK0 callback,
                                       void* context, HANDLE* changeHandle)
{
    BOOLEAN race = SimRaceArmed;

    SimRequireIrql(PASSIVE_LEVEL, "FwpmBfeStateSubscribeChanges0");
    SimRaceArmed = FALSE;
    *changeHandle = NULL;
    if (deviceObject == NULL || callback == NULL) {
        return STATUS_INVALID_PARAMETER;
    }
    if (race && SimRace == SIM_BFE_STARTS_BEFORE_SUBSCRIBED) {
        SimBfeState = FWPM_SERVICE_RUNNING; // too early for this subscriber to hear of it
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
            if (race && SimRace == SIM_BFE_STARTS_AFTER_SUBSCRIBED) {
                SimBfeState = FWPM_SERVICE_RUNNING;
                SimBfeTell(&SimSubscriptions[i], FWPM_SERVICE_RUNNING);
            }
            return STATUS_SUCCESS;
        }
    }
    return STATUS_INSUFFICIENT_RESOURCES;
}

NTSTATUS FwpmBfeStateUnsubscribeChanges0(HANDLE changeHandle)
{
    SimRequireIrql(PASSIVE_LEVEL, "FwpmBfeStateUnsubscribeChanges0");
    if (SimInCallback) {
        SimViolation("FwpmBfeStateUnsubscribeChanges0 called from the BFE state change callback: Microsoft Learn "
                     "warns that this can deadlock (FwpmBfeStateSubscribeChanges0)");
    }
    if (SimRestartOnUnsubscribe) {
        // The notifications of a restart can run until the subscription ends.
        SimRestartOnUnsubscribe = FALSE;
        SimBfeSetState(FWPM_SERVICE_STOPPED);
        SimBfeSetState(FWPM_SERVICE_RUNNING);
    }
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
    if (state == FWPM_SERVICE_STOPPED && SimBfeState != FWPM_SERVICE_STOPPED) {
        SimEngineBfeStopped();
    }
    SimBfeState = state;
    for (ULONG i = 0; i < SIM_COUNT(SimSubscriptions); i++) {
        if (SimSubscriptions[i].live) {
            SimBfeTell(&SimSubscriptions[i], state);
        }
    }
}
