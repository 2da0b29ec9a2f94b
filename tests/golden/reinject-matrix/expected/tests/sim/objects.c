//
// objects.c - what the filter engine holds: providers, sublayers, callouts
// and filters, and the notifications a filter's callout gets.
//
// Reproduced behaviour (Microsoft Learn: FwpmProviderAdd0, FwpmSubLayerAdd0,
// FwpmCalloutAdd0, FwpmFilterAdd0, FWPM_FILTER0, notifyFn):
// - FwpmFilterAdd0 needs a display name, a known layer, sublayer and
//   provider, and for a callout action an FWPM callout at the same layer;
// - adding a filter whose callout is registered sends that notifyFn
//   FWPS_CALLOUT_NOTIFY_ADD_FILTER with the filter key and a writable
//   filter; a failed notification fails the add;
// - callouts registered with FWP_CALLOUT_FLAG_ENABLE_COMMIT_ADD_NOTIFY also
//   get FWPS_CALLOUT_NOTIFY_ADD_FILTER_POST_COMMIT after the commit;
// - deleting a filter sends FWPS_CALLOUT_NOTIFY_DELETE_FILTER with a NULL
//   filterKey, and the filter goes whatever notifyFn returns;
// - a filter added before its callout registered is never announced, but
//   its deletion is;
// - when BFE stops, every object goes: dynamic ones with their sessions,
//   static ones because they live "until they are deleted, BFE stops, or the
//   system is shut down" (Microsoft Learn: Object Management). The docs make
//   no exception for this deletion, so each callout filter's notifyFn gets
//   FWPS_CALLOUT_NOTIFY_DELETE_FILTER ("A filter is being deleted from the
//   filter engine", FWPS_CALLOUT_NOTIFY_FN0) and the driver frees its filter
//   contexts there. The FWPS callout registrations stay: they belong to the
//   kernel engine, not to BFE (Microsoft Learn, FwpsCalloutRegister2: it
//   can be called while BFE is not running).
// wfpgen's rule on top: every object is added inside a transaction, so a
// failure leaves nothing half added.
//

#include "sim_internal.h"

#define SIM_MAX_OBJECTS 256

typedef enum SIM_OBJECT_KIND { SimProvider, SimSublayer, SimCallout, SimFilter } SIM_OBJECT_KIND;

typedef struct SIM_OBJECT {
    BOOLEAN live;
    SIM_OBJECT_KIND kind;
    GUID key;
    GUID layerKey;        // callouts and filters
    SIM_SESSION* session; // NULL: added by another WFP client
    BOOLEAN uncommitted;
} SIM_OBJECT;

static const char* const SimKindNames[] = { "provider", "sublayer", "callout", "filter" };

static SIM_OBJECT SimObjects[SIM_MAX_OBJECTS];
static SIM_FILTER_ENTRY SimFilters[SIM_MAX_OBJECTS]; // indexed like SimObjects
static ULONG SimObjectCount;
static UINT64 SimLastFilterId;

void SimObjectsReset(void)
{
    RtlZeroMemory(SimObjects, sizeof(SimObjects));
    RtlZeroMemory(SimFilters, sizeof(SimFilters));
    SimObjectCount = 0;
    SimLastFilterId = 0;
}

static BOOLEAN SimGuidIsZero(const GUID* guid)
{
    static const GUID zero;
    return RtlEqualMemory(guid, &zero, sizeof(zero));
}

static SIM_OBJECT* SimFind(SIM_OBJECT_KIND kind, const GUID* key)
{
    for (ULONG i = 0; i < SimObjectCount; i++) {
        if (SimObjects[i].live && SimObjects[i].kind == kind && RtlEqualMemory(&SimObjects[i].key, key, sizeof(GUID))) {
            return &SimObjects[i];
        }
    }
    return NULL;
}

SIM_FILTER_ENTRY* SimFilterAt(ULONG index)
{
    return index < SimObjectCount ? &SimFilters[index] : NULL;
}

ULONG SimFilterCount(void)
{
    ULONG count = 0;

    for (ULONG i = 0; i < SimObjectCount; i++) {
        count += (SimObjects[i].live && SimObjects[i].kind == SimFilter) ? 1 : 0;
    }
    return count;
}

//
// A fresh object slot. Slots of deleted objects are reclaimed by moving the
// live ones down, which keeps filters in the order they were added.
//
static SIM_OBJECT* SimNewObject(void)
{
    ULONG kept = 0;
    SIM_OBJECT* object;

    if (SimObjectCount == SIM_MAX_OBJECTS) {
        for (ULONG i = 0; i < SimObjectCount; i++) {
            if (SimObjects[i].live) {
                SimObjects[kept] = SimObjects[i];
                SimFilters[kept] = SimFilters[i];
                kept++;
            }
        }
        SimObjectCount = kept;
    }
    if (SimObjectCount == SIM_MAX_OBJECTS) {
        SimBugCheck("the simulation holds at most %d filter-engine objects", SIM_MAX_OBJECTS);
    }
    object = &SimObjects[SimObjectCount];
    RtlZeroMemory(object, sizeof(*object));
    RtlZeroMemory(&SimFilters[SimObjectCount], sizeof(SimFilters[0]));
    SimObjectCount++;
    return object;
}

//
// The checks every add makes. Returns the new object, or NULL with *status set.
//
static SIM_OBJECT* SimAddObject(HANDLE engineHandle, SIM_OBJECT_KIND kind, GUID key, const char* api,
                                NTSTATUS* status)
{
    SIM_SESSION* session = SimSessionOf(engineHandle, api);
    SIM_OBJECT* object;

    if (!SimSessionInTransaction(session)) {
        SimBugCheck("%s outside a transaction: add every object between FwpmTransactionBegin0 and "
                    "FwpmTransactionCommit0, so a failure leaves nothing half added", api);
    }
    if (SimFaultShouldFail(api)) {
        *status = STATUS_INSUFFICIENT_RESOURCES;
        return NULL;
    }
    if (!SimGuidIsZero(&key) && SimFind(kind, &key) != NULL) {
        *status = STATUS_FWP_ALREADY_EXISTS;
        return NULL;
    }
    object = SimNewObject();
    object->live = TRUE;
    object->kind = kind;
    object->key = key;
    object->session = session;
    object->uncommitted = TRUE;
    *status = STATUS_SUCCESS;
    return object;
}

static NTSTATUS SimCheckProvider(const GUID* providerKey)
{
    return (providerKey == NULL || SimFind(SimProvider, providerKey) != NULL) ? STATUS_SUCCESS
                                                                             : STATUS_FWP_PROVIDER_NOT_FOUND;
}

NTSTATUS FwpmProviderAdd0(HANDLE engineHandle, const FWPM_PROVIDER0* provider, void* sd)
{
    NTSTATUS status;

    UNREFERENCED_PARAMETER(sd);
    if (provider->displayData.name == NULL) {
        return STATUS_FWP_NULL_DISPLAY_NAME;
    }
    (void)SimAddObject(engineHandle, SimProvider, provider->providerKey, "FwpmProviderAdd0", &status);
    return status;
}

NTSTATUS FwpmSubLayerAdd0(HANDLE engineHandle, const FWPM_SUBLAYER0* subLayer, void* sd)
{
    NTSTATUS status;

    UNREFERENCED_PARAMETER(sd);
    if (subLayer->displayData.name == NULL) {
        return STATUS_FWP_NULL_DISPLAY_NAME;
    }
    status = SimCheckProvider(subLayer->providerKey);
    if (NT_SUCCESS(status)) {
        (void)SimAddObject(engineHandle, SimSublayer, subLayer->subLayerKey, "FwpmSubLayerAdd0", &status);
    }
    return status;
}

NTSTATUS FwpmCalloutAdd0(HANDLE engineHandle, const FWPM_CALLOUT0* callout, void* sd, UINT32* id)
{
    SIM_OBJECT* object;
    NTSTATUS status;

    UNREFERENCED_PARAMETER(sd);
    if (callout->displayData.name == NULL) {
        return STATUS_FWP_NULL_DISPLAY_NAME;
    }
    if (SimLayerByKey(&callout->applicableLayer) == NULL) {
        return STATUS_FWP_LAYER_NOT_FOUND;
    }
    status = SimCheckProvider(callout->providerKey);
    if (!NT_SUCCESS(status)) {
        return status;
    }
    object = SimAddObject(engineHandle, SimCallout, callout->calloutKey, "FwpmCalloutAdd0", &status);
    if (object != NULL) {
        object->layerKey = callout->applicableLayer;
        if (id != NULL) {
            *id = (UINT32)(object - SimObjects) + 1;
        }
    }
    return status;
}

//
// Sends the filter's callout a notification, if the callout is registered.
//
static NTSTATUS SimNotify(SIM_FILTER_ENTRY* filter, FWPS_CALLOUT_NOTIFY_TYPE type, const GUID* filterKey)
{
    if (filter->calloutId == 0) {
        return STATUS_SUCCESS;
    }
    return SimCalloutNotify(filter->calloutId, type, filterKey, &filter->runtime);
}

static UINT64 SimCreateFilter(SIM_OBJECT* object, const SIM_LAYER* layer, const GUID* calloutKey, FWP_ACTION_TYPE action,
                              UINT32 fwpmFlags, UINT64 rawContext, NTSTATUS* status)
{
    SIM_FILTER_ENTRY* filter = &SimFilters[object - SimObjects];

    RtlZeroMemory(filter, sizeof(*filter));
    filter->live = TRUE;
    filter->layerId = layer->id;
    filter->calloutKey = *calloutKey;
    filter->runtime.filterId = ++SimLastFilterId;
    filter->runtime.action.type = action;
    filter->runtime.context = rawContext;
    if (fwpmFlags & FWPM_FILTER_FLAG_CLEAR_ACTION_RIGHT) {
        filter->runtime.flags |= FWPS_FILTER_FLAG_CLEAR_ACTION_RIGHT;
    }
    if (fwpmFlags & FWPM_FILTER_FLAG_PERMIT_IF_CALLOUT_UNREGISTERED) {
        filter->runtime.flags |= FWPS_FILTER_FLAG_PERMIT_IF_CALLOUT_UNREGISTERED;
    }
    object->layerKey = *layer->key;
    if (SimGuidIsZero(&object->key)) {
        object->key.Data1 = (uint32_t)filter->runtime.filterId; // BFE generates a key
        object->key.Data4[7] = 0xF1;
    }
    if ((action & FWP_ACTION_FLAG_CALLOUT) && SimCalloutFindByKey(calloutKey, &filter->calloutId)) {
        filter->runtime.action.calloutId = filter->calloutId;
        *status = SimNotify(filter, FWPS_CALLOUT_NOTIFY_ADD_FILTER, &object->key);
        if (!NT_SUCCESS(*status)) {
            filter->live = FALSE;
            object->live = FALSE;
            *status = STATUS_FWP_CALLOUT_NOTIFICATION_FAILED;
            return 0;
        }
    }
    *status = STATUS_SUCCESS;
    return filter->runtime.filterId;
}

NTSTATUS FwpmFilterAdd0(HANDLE engineHandle, const FWPM_FILTER0* filter, void* sd, UINT64* id)
{
    const SIM_LAYER* layer = SimLayerByKey(&filter->layerKey);
    SIM_OBJECT* object;
    NTSTATUS status;
    UINT64 filterId;

    UNREFERENCED_PARAMETER(sd);
    if (filter->displayData.name == NULL) {
        return STATUS_FWP_NULL_DISPLAY_NAME;
    }
    if (layer == NULL) {
        return STATUS_FWP_LAYER_NOT_FOUND;
    }
    if (!SimGuidIsZero(&filter->subLayerKey) && SimFind(SimSublayer, &filter->subLayerKey) == NULL) {
        return STATUS_FWP_SUBLAYER_NOT_FOUND;
    }
    status = SimCheckProvider(filter->providerKey);
    if (!NT_SUCCESS(status)) {
        return status;
    }
    if (filter->action.type & FWP_ACTION_FLAG_CALLOUT) {
        SIM_OBJECT* callout = SimFind(SimCallout, &filter->action.calloutKey);

        if (callout == NULL) {
            return STATUS_FWP_CALLOUT_NOT_FOUND;
        }
        if (!RtlEqualMemory(&callout->layerKey, &filter->layerKey, sizeof(GUID))) {
            return STATUS_FWP_INCOMPATIBLE_LAYER;
        }
    }
    object = SimAddObject(engineHandle, SimFilter, filter->filterKey, "FwpmFilterAdd0", &status);
    if (object == NULL) {
        return status;
    }
    filterId = SimCreateFilter(object, layer, &filter->action.calloutKey, filter->action.type, filter->flags,
                               filter->rawContext, &status);
    if (NT_SUCCESS(status) && id != NULL) {
        *id = filterId;
    }
    return status;
}

static void SimDeleteObject(SIM_OBJECT* object)
{
    if (object->kind == SimFilter) {
        SIM_FILTER_ENTRY* filter = &SimFilters[object - SimObjects];

        (void)SimNotify(filter, FWPS_CALLOUT_NOTIFY_DELETE_FILTER, NULL);
        filter->live = FALSE;
    }
    object->live = FALSE;
}

//
// Deletes the session's objects (only the uncommitted ones when
// onlyUncommitted), filters first and newest first, as their dependencies
// demand.
//
void SimObjectsDelete(SIM_SESSION* session, BOOLEAN onlyUncommitted)
{
    for (int kind = SimFilter; kind >= SimProvider; kind--) {
        for (ULONG i = SimObjectCount; i-- > 0;) {
            SIM_OBJECT* object = &SimObjects[i];

            if (object->live && object->session == session && (int)object->kind == kind &&
                (!onlyUncommitted || object->uncommitted)) {
                SimDeleteObject(object);
            }
        }
    }
}

//
// BFE stopped: nothing it held survives (see the top of this file).
//
void SimObjectsBfeStopped(void)
{
    for (int kind = SimFilter; kind >= SimProvider; kind--) {
        for (ULONG i = SimObjectCount; i-- > 0;) {
            if (SimObjects[i].live && (int)SimObjects[i].kind == kind) {
                SimDeleteObject(&SimObjects[i]);
            }
        }
    }
}

//
// What a test can ask about the engine's objects (sim.h).
//
BOOLEAN SimEngineHasObject(SIM_OBJECT_TYPE type, const GUID* key)
{
    static const SIM_OBJECT_KIND kinds[] = { SimProvider, SimSublayer, SimCallout, SimFilter };
    const SIM_OBJECT* object = SimFind(kinds[type], key);

    return (object != NULL && !object->uncommitted) ? TRUE : FALSE;
}

ULONG SimEngineFiltersOfCallout(const GUID* calloutKey)
{
    ULONG count = 0;

    for (ULONG i = 0; i < SimObjectCount; i++) {
        if (SimObjects[i].live && SimObjects[i].kind == SimFilter && SimObjects[i].session != NULL &&
            !SimObjects[i].uncommitted &&
            (SimFilters[i].runtime.action.type & FWP_ACTION_FLAG_CALLOUT) &&
            RtlEqualMemory(&SimFilters[i].calloutKey, calloutKey, sizeof(GUID))) {
            count++;
        }
    }
    return count;
}

NTSTATUS FwpmFilterDeleteById0(HANDLE engineHandle, UINT64 id)
{
    (void)SimSessionOf(engineHandle, "FwpmFilterDeleteById0");
    for (ULONG i = 0; i < SimObjectCount; i++) {
        if (SimObjects[i].live && SimObjects[i].kind == SimFilter && SimFilters[i].runtime.filterId == id) {
            SimDeleteObject(&SimObjects[i]);
            return STATUS_SUCCESS;
        }
    }
    return STATUS_FWP_FILTER_NOT_FOUND;
}

//
// After a commit: the session's new objects are permanent, and callouts that
// asked for it hear about the new filters.
//
void SimObjectsCommit(SIM_SESSION* session)
{
    for (ULONG i = 0; i < SimObjectCount; i++) {
        SIM_OBJECT* object = &SimObjects[i];

        if (!object->live || object->session != session || !object->uncommitted) {
            continue;
        }
        object->uncommitted = FALSE;
        if (object->kind == SimFilter && SimFilters[i].calloutId != 0 &&
            (SimCalloutFlags(SimCalloutById(SimFilters[i].calloutId)) & FWP_CALLOUT_FLAG_ENABLE_COMMIT_ADD_NOTIFY)) {
            (void)SimNotify(&SimFilters[i], FWPS_CALLOUT_NOTIFY_ADD_FILTER_POST_COMMIT, &object->key);
        }
    }
}

//
// Another WFP client's filters (see sim.h).
//
UINT64 SimFilterAdd(UINT16 layerId, const GUID* calloutKey, FWP_ACTION_TYPE action, UINT64 rawContext)
{
    const SIM_LAYER* layer = SimLayerById(layerId);
    SIM_OBJECT* object;
    NTSTATUS status;
    UINT64 id;

    if (layer == NULL) {
        SimBugCheck("SimFilterAdd: layer %u is not one of this driver's layers", (unsigned)layerId);
    }
    object = SimNewObject();
    object->live = TRUE;
    object->kind = SimFilter;
    id = SimCreateFilter(object, layer, calloutKey, action, 0, rawContext, &status);
    return NT_SUCCESS(status) ? id : 0;
}

void SimFilterDelete(UINT64 filterId)
{
    for (ULONG i = 0; i < SimObjectCount; i++) {
        if (SimObjects[i].live && SimObjects[i].kind == SimFilter && SimFilters[i].runtime.filterId == filterId) {
            SimDeleteObject(&SimObjects[i]);
            return;
        }
    }
    SimBugCheck("SimFilterDelete: no filter %llu", (unsigned long long)filterId);
}

//
// Filters keep their callout's run-time id while it is registered.
//
void SimEngineCalloutRegistered(const GUID* key, UINT32 id)
{
    for (ULONG i = 0; i < SimObjectCount; i++) {
        if (SimFilters[i].live && RtlEqualMemory(&SimFilters[i].calloutKey, key, sizeof(GUID)) &&
            (SimFilters[i].runtime.action.type & FWP_ACTION_FLAG_CALLOUT)) {
            SimFilters[i].calloutId = id;
            SimFilters[i].runtime.action.calloutId = id;
        }
    }
}

void SimEngineCalloutUnregistered(UINT32 id)
{
    for (ULONG i = 0; i < SimObjectCount; i++) {
        if (SimFilters[i].calloutId == id) {
            SimFilters[i].calloutId = 0;
        }
    }
}

void SimObjectsCheckClean(const char* when)
{
    for (ULONG i = 0; i < SimObjectCount; i++) {
        if (SimObjects[i].live && SimObjects[i].session != NULL) {
            SimBugCheck("filter-engine %s left %s: added in a session that is not dynamic and never deleted",
                        SimKindNames[SimObjects[i].kind], when);
        }
    }
}
