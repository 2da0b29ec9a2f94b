//
// callouts.c - run-time callouts: registration, and every call the filter
// engine makes into them.
//
// Reproduced behaviour (Microsoft Learn: FwpsCalloutRegister0-3,
// FwpsCalloutUnregisterById0, classifyFn, notifyFn, flowDeleteFn):
// - registration needs PASSIVE_LEVEL, a device object, and a key not yet
//   registered (else STATUS_FWP_ALREADY_EXISTS);
// - FwpsCalloutRegister1, 2 and 3 exist from Windows 7, 8 and 10 1703 on
//   (fwpsk.h declares FwpsCalloutRegister3 from NTDDI_WIN10_RS2);
// - unregistering returns STATUS_DEVICE_BUSY while flows still carry a
//   context of the callout (a classification running on another processor
//   returns meanwhile, completing removals it held back); a driver that
//   never gets past it hangs its unload, which is reported;
// - filters that use the callout may remain: Windows allows it, and they
//   then block, or permit with FWPM_FILTER_FLAG_PERMIT_IF_CALLOUT_UNREGISTERED
//   (FwpsCalloutUnregisterById0 remarks); the driver that added them
//   should delete them first, so that order is a warning (not here: with
//   filters = "none" the filters belong to a user-mode program);
// - notifyFn, classifyFn and flowDeleteFn are never called for a callout
//   that is not registered, and they return at the IRQL they were called at.
//

#include "sim_internal.h"

#define SIM_MAX_CALLOUTS 32
// Unregistering that stays busy this many times with nothing changing means
// the driver waits for something that never happens.
#define SIM_BUSY_LIMIT 100

//
// classifyFn and notifyFn as registered: their filter parameter has the type
// of the FWPS_CALLOUTn version used, and only the Windows the driver is built
// for declares the newer ones (fwpsk.h, FWPS_CALLOUT0..3 on Microsoft Learn).
//
typedef union SIM_CALLOUT_FUNCTIONS {
    FWPS_CALLOUT0 v0;
#if (NTDDI_VERSION >= NTDDI_WIN7)
    FWPS_CALLOUT1 v1;
#endif
#if (NTDDI_VERSION >= NTDDI_WIN8)
    FWPS_CALLOUT2 v2;
#endif
#if (NTDDI_VERSION >= NTDDI_WIN10_RS3)
    FWPS_CALLOUT3 v3;
#endif
} SIM_CALLOUT_FUNCTIONS;

struct SIM_CALLOUT {
    BOOLEAN registered;
    int api;
    GUID key;
    UINT32 flags;
    SIM_CALLOUT_FUNCTIONS functions; // the member of version api
    FWPS_CALLOUT_FLOW_DELETE_NOTIFY_FN0 flowDeleteFn;
    const DEVICE_OBJECT* device;
    ULONG busyCount;
};

static struct SIM_CALLOUT SimCallouts[SIM_MAX_CALLOUTS]; // id = index + 1

void SimCalloutsReset(void)
{
    RtlZeroMemory(SimCallouts, sizeof(SimCallouts));
}

SIM_CALLOUT* SimCalloutById(UINT32 id)
{
    if (id == 0 || id > SIM_MAX_CALLOUTS || !SimCallouts[id - 1].registered) {
        return NULL;
    }
    return &SimCallouts[id - 1];
}

UINT32 SimCalloutFlags(const SIM_CALLOUT* callout)
{
    return callout != NULL ? callout->flags : 0;
}

BOOLEAN SimCalloutIsFlowCapable(const SIM_CALLOUT* callout)
{
    return (BOOLEAN)(callout != NULL && callout->flowDeleteFn != NULL);
}

BOOLEAN SimCalloutFindByKey(const GUID* key, UINT32* id)
{
    for (ULONG i = 0; i < SIM_MAX_CALLOUTS; i++) {
        if (SimCallouts[i].registered && RtlEqualMemory(&SimCallouts[i].key, key, sizeof(GUID))) {
            *id = i + 1;
            return TRUE;
        }
    }
    *id = 0;
    return FALSE;
}

ULONG SimCalloutsOnDevice(const DEVICE_OBJECT* device)
{
    ULONG count = 0;

    for (ULONG i = 0; i < SIM_MAX_CALLOUTS; i++) {
        count += (SimCallouts[i].registered && SimCallouts[i].device == device) ? 1 : 0;
    }
    return count;
}

static NTSTATUS SimRegister(void* deviceObject, int api, const GUID* key, UINT32 flags, BOOLEAN functionsGiven,
                            const SIM_CALLOUT_FUNCTIONS* functions, FWPS_CALLOUT_FLOW_DELETE_NOTIFY_FN0 flowDeleteFn,
                            UINT32* calloutId)
{
    UINT32 existing;

    SimRequireIrql(PASSIVE_LEVEL, "FwpsCalloutRegister");
    if (deviceObject == NULL || !functionsGiven) {
        SimBugCheck("FwpsCalloutRegister%d: a device object, classifyFn and notifyFn are required", api);
    }
    if ((flags & FWP_CALLOUT_FLAG_CONDITIONAL_ON_FLOW) && flowDeleteFn == NULL) {
        SimBugCheck("FwpsCalloutRegister%d: FWP_CALLOUT_FLAG_CONDITIONAL_ON_FLOW without a flowDeleteFn: no flow "
                    "context could ever be associated, so classifyFn would never run", api);
    }
    if (SimCalloutFindByKey(key, &existing)) {
        return STATUS_FWP_ALREADY_EXISTS;
    }
    if (SimFaultShouldFail("FwpsCalloutRegister")) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    for (ULONG i = 0; i < SIM_MAX_CALLOUTS; i++) {
        struct SIM_CALLOUT* callout = &SimCallouts[i];

        if (!callout->registered) {
            RtlZeroMemory(callout, sizeof(*callout));
            callout->registered = TRUE;
            callout->api = api;
            callout->key = *key;
            callout->flags = flags;
            callout->functions = *functions;
            callout->flowDeleteFn = flowDeleteFn;
            callout->device = deviceObject;
            if (calloutId != NULL) {
                *calloutId = i + 1;
            }
            SimEngineCalloutRegistered(key, i + 1);
            return STATUS_SUCCESS;
        }
    }
    SimBugCheck("the simulation registers at most %d callouts", SIM_MAX_CALLOUTS);
}

NTSTATUS NTAPI FwpsCalloutRegister0(void* deviceObject, const FWPS_CALLOUT0* callout, UINT32* calloutId)
{
    SIM_CALLOUT_FUNCTIONS functions = { .v0 = *callout };

    return SimRegister(deviceObject, 0, &callout->calloutKey, callout->flags,
                       (BOOLEAN)(callout->classifyFn != NULL && callout->notifyFn != NULL), &functions,
                       callout->flowDeleteFn, calloutId);
}

#if (NTDDI_VERSION >= NTDDI_WIN7)
NTSTATUS NTAPI FwpsCalloutRegister1(void* deviceObject, const FWPS_CALLOUT1* callout, UINT32* calloutId)
{
    SIM_CALLOUT_FUNCTIONS functions = { .v1 = *callout };

    SimRequireWindows(NTDDI_WIN7, "FwpsCalloutRegister1");
    return SimRegister(deviceObject, 1, &callout->calloutKey, callout->flags,
                       (BOOLEAN)(callout->classifyFn != NULL && callout->notifyFn != NULL), &functions,
                       callout->flowDeleteFn, calloutId);
}
#endif

#if (NTDDI_VERSION >= NTDDI_WIN8)
NTSTATUS NTAPI FwpsCalloutRegister2(void* deviceObject, const FWPS_CALLOUT2* callout, UINT32* calloutId)
{
    SIM_CALLOUT_FUNCTIONS functions = { .v2 = *callout };

    SimRequireWindows(NTDDI_WIN8, "FwpsCalloutRegister2");
    return SimRegister(deviceObject, 2, &callout->calloutKey, callout->flags,
                       (BOOLEAN)(callout->classifyFn != NULL && callout->notifyFn != NULL), &functions,
                       callout->flowDeleteFn, calloutId);
}
#endif

#if (NTDDI_VERSION >= NTDDI_WIN10_RS3)
NTSTATUS NTAPI FwpsCalloutRegister3(void* deviceObject, const FWPS_CALLOUT3* callout, UINT32* calloutId)
{
    SIM_CALLOUT_FUNCTIONS functions = { .v3 = *callout };

    SimRequireWindows(NTDDI_WIN10_RS2, "FwpsCalloutRegister3");
    return SimRegister(deviceObject, 3, &callout->calloutKey, callout->flags,
                       (BOOLEAN)(callout->classifyFn != NULL && callout->notifyFn != NULL), &functions,
                       callout->flowDeleteFn, calloutId);
}
#endif

NTSTATUS NTAPI FwpsCalloutUnregisterById0(const UINT32 calloutId)
{
    struct SIM_CALLOUT* callout = SimCalloutById(calloutId);
    ULONG flows;

    SimRequireIrql(PASSIVE_LEVEL, "FwpsCalloutUnregisterById0");
    if (callout == NULL) {
        return STATUS_FWP_CALLOUT_NOT_FOUND;
    }
    flows = SimFlowContextsOfCallout(calloutId);
    if (flows != 0) {
        if (++callout->busyCount == SIM_BUSY_LIMIT) {
            SimViolation("unloading hangs: FwpsCalloutUnregisterById0(%u) keeps returning STATUS_DEVICE_BUSY because "
                         "%lu flow context(s) of the callout are still associated, and the driver never removes them "
                         "with FwpsFlowRemoveContext0", calloutId, (unsigned long)flows);
        }
        SimFlowsElsewhereReturn();
        return STATUS_DEVICE_BUSY;
    }
    callout->registered = FALSE;
    SimEngineCalloutUnregistered(calloutId);
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI FwpsCalloutUnregisterByKey0(const GUID* calloutKey)
{
    UINT32 id;

    SimRequireIrql(PASSIVE_LEVEL, "FwpsCalloutUnregisterByKey0");
    return SimCalloutFindByKey(calloutKey, &id) ? FwpsCalloutUnregisterById0(id) : STATUS_FWP_CALLOUT_NOT_FOUND;
}

void SimCalloutsCheckClean(const char* when)
{
    for (ULONG i = 0; i < SIM_MAX_CALLOUTS; i++) {
        if (SimCallouts[i].registered) {
            SimBugCheck("callout %lu still registered %s: WFP would call into an unloaded driver",
                        (unsigned long)(i + 1), when);
        }
    }
}

static SIM_CALLOUT* SimCalloutForCall(UINT32 calloutId, const char* what)
{
    SIM_CALLOUT* callout = SimCalloutById(calloutId);

    if (callout == NULL) {
        SimBugCheck("the simulation itself: %s for callout %u, which is not registered", what, calloutId);
    }
    return callout;
}

//
// FWPS_FILTER0..3 have the same members; only the type providerContext points
// to differs (FWPS_FILTER0..3 on Microsoft Learn), and the simulation leaves it
// NULL. So the one filter the simulation keeps is passed as each version's.
//
static NTSTATUS SimCallNotify(const SIM_CALLOUT* callout, FWPS_CALLOUT_NOTIFY_TYPE type, const GUID* filterKey,
                              FWPS_FILTER0* filter)
{
    switch (callout->api) {
#if (NTDDI_VERSION >= NTDDI_WIN7)
    case 1:
        return callout->functions.v1.notifyFn(type, filterKey, (FWPS_FILTER1*)(void*)filter);
#endif
#if (NTDDI_VERSION >= NTDDI_WIN8)
    case 2:
        return callout->functions.v2.notifyFn(type, filterKey, (FWPS_FILTER2*)(void*)filter);
#endif
#if (NTDDI_VERSION >= NTDDI_WIN10_RS3)
    case 3:
        return callout->functions.v3.notifyFn(type, filterKey, (FWPS_FILTER3*)(void*)filter);
#endif
    default:
        return callout->functions.v0.notifyFn(type, filterKey, filter);
    }
}

static void SimCallClassify(const SIM_CALLOUT* callout, SIM_CLASSIFY_DATA* data, const FWPS_FILTER0* filter,
                            UINT64 flowContext, FWPS_CLASSIFY_OUT0* classifyOut)
{
    const FWPS_INCOMING_VALUES0* values = &data->values;
    const FWPS_INCOMING_METADATA_VALUES0* metadata = &data->metadata;

    switch (callout->api) {
#if (NTDDI_VERSION >= NTDDI_WIN7)
    case 1:
        callout->functions.v1.classifyFn(values, metadata, data->layerData, data, (const FWPS_FILTER1*)(const void*)filter,
                                         flowContext, classifyOut);
        break;
#endif
#if (NTDDI_VERSION >= NTDDI_WIN8)
    case 2:
        callout->functions.v2.classifyFn(values, metadata, data->layerData, data, (const FWPS_FILTER2*)(const void*)filter,
                                         flowContext, classifyOut);
        break;
#endif
#if (NTDDI_VERSION >= NTDDI_WIN10_RS3)
    case 3:
        callout->functions.v3.classifyFn(values, metadata, data->layerData, data, (const FWPS_FILTER3*)(const void*)filter,
                                         flowContext, classifyOut);
        break;
#endif
    default:
        callout->functions.v0.classifyFn(values, metadata, data->layerData, filter, flowContext, classifyOut);
        break;
    }
}

NTSTATUS SimCalloutNotify(UINT32 calloutId, FWPS_CALLOUT_NOTIFY_TYPE type, const GUID* filterKey, FWPS_FILTER0* filter)
{
    SIM_CALLOUT* callout = SimCalloutForCall(calloutId, "notifyFn");
    KIRQL irql;
    ULONG locks = SimSpinLocksHeld();
    NTSTATUS status;

    // notifyFn may run at DISPATCH_LEVEL (FWPS_CALLOUT_NOTIFY_FN0..3): it runs
    // there, so paged pool or PAGED_CODE in it fails here (see irql.c).
    irql = SimRaiseIrql(DISPATCH_LEVEL);
    status = SimCallNotify(callout, type, filterKey, filter);
    SimCheckDriverReturn(DISPATCH_LEVEL, locks, "notifyFn");
    SimLowerIrql(irql);
    return status;
}

void SimCalloutClassify(UINT32 calloutId, SIM_CLASSIFY_DATA* data, const FWPS_FILTER0* filter, UINT64 flowContext,
                        FWPS_CLASSIFY_OUT0* classifyOut)
{
    SIM_CALLOUT* callout = SimCalloutForCall(calloutId, "classifyFn");
    ULONG locks = SimSpinLocksHeld();
    KIRQL irql;

    // Classification may run at DISPATCH_LEVEL: a classifyFn that calls a
    // PASSIVE_LEVEL function fails here.
    irql = SimRaiseIrql(DISPATCH_LEVEL);
    SimCallClassify(callout, data, filter, flowContext, classifyOut);
    SimCheckDriverReturn(DISPATCH_LEVEL, locks, "classifyFn");
    SimLowerIrql(irql);
    SimRedirectCheckClassifyReturn();
}

void SimCalloutFlowDelete(UINT32 calloutId, UINT16 layerId, UINT64 flowContext)
{
    SIM_CALLOUT* callout = SimCalloutForCall(calloutId, "flowDeleteFn");
    KIRQL irql;
    ULONG locks = SimSpinLocksHeld();

    if (callout->flowDeleteFn == NULL) {
        SimBugCheck("the simulation itself: a flow context for callout %u, which has no flowDeleteFn", calloutId);
    }
    // flowDeleteFn may run at DISPATCH_LEVEL
    // (FWPS_CALLOUT_FLOW_DELETE_NOTIFY_FN0): it runs there.
    irql = SimRaiseIrql(DISPATCH_LEVEL);
    callout->flowDeleteFn(layerId, calloutId, flowContext);
    SimCheckDriverReturn(DISPATCH_LEVEL, locks, "flowDeleteFn");
    SimLowerIrql(irql);
}

