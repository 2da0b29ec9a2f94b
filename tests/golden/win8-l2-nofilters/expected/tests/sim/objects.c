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
// - deleting a callout that a filter uses, a sublayer that holds filters or
//   a provider that other objects name fails with STATUS_FWP_IN_USE ("The
//   object is referenced by other objects so cannot be deleted", WFP Error
//   Codes); deleting what is not there fails with the kind's NOT_FOUND code;
// - FwpmFilterEnum0 returns the filters in one allocation that the caller
//   frees with FwpmFreeMemory0 (Microsoft Learn: FwpmFilterEnum0,
//   FwpmFreeMemory0); an enumeration handle lasts until
//   FwpmFilterDestroyEnumHandle0 (FwpmFilterCreateEnumHandle0);
// - objects added by a session that is not dynamic outlive it (Object
//   Management): the program that adds the filters of a filters = "none"
//   driver relies on that.
// wfpgen's rule on top: every object is added inside a transaction, so a
// failure leaves nothing half added.
// What the simulation reports:
// - VIOLATION: FwpmFreeMemory0 of memory FwpmFilterEnum0 did not return, an
//   enumeration handle used after it was destroyed, and (SimEngineCheckUser)
//   enumeration results or handles a program never gave back;
// - WARNING: an enumeration handle still open when its session closes.
//

#include "sim_internal.h"

#include <stdlib.h>

#define SIM_MAX_OBJECTS 256
#define SIM_MAX_ENUMS 4
#define SIM_MAX_ENUM_BLOCKS 8
#define SIM_ENUM_HANDLE_BASE 0xE1E10000u // opaque numbers, like engine handles
#define SIM_NAME_LENGTH 64

typedef enum SIM_OBJECT_KIND { SimProvider, SimSublayer, SimCallout, SimFilter } SIM_OBJECT_KIND;

//
// Who added an object: the driver is checked for leaks at unload; a
// program's objects (added through the user-mode API, see fwpmu.c) and other
// clients' outlive the driver.
//
typedef enum SIM_ORIGIN { SimByOtherClient, SimByDriver, SimByProgram } SIM_ORIGIN;

typedef struct SIM_OBJECT {
    BOOLEAN live;
    SIM_OBJECT_KIND kind;
    SIM_ORIGIN origin;
    GUID key;
    GUID layerKey;        // callouts and filters
    GUID subLayerKey;     // filters
    BOOLEAN hasProvider;
    GUID providerKey;
    SIM_SESSION* session; // while the session that added it is open
    BOOLEAN uncommitted;
    wchar_t name[SIM_NAME_LENGTH]; // the display name, cut short
} SIM_OBJECT;

typedef struct SIM_ENUM {
    BOOLEAN open;
    SIM_SESSION* session;
    UINT64 lastId; // filters are returned in id order, after this one
} SIM_ENUM;

static const char* const SimKindNames[] = { "provider", "sublayer", "callout", "filter" };

static SIM_OBJECT SimObjects[SIM_MAX_OBJECTS];
static SIM_FILTER_ENTRY SimFilters[SIM_MAX_OBJECTS]; // indexed like SimObjects
static ULONG SimObjectCount;
static UINT64 SimLastFilterId;
static SIM_ENUM SimEnums[SIM_MAX_ENUMS];
static void* SimEnumBlocks[SIM_MAX_ENUM_BLOCKS]; // FwpmFilterEnum0 results not freed yet

void SimObjectsReset(void)
{
    RtlZeroMemory(SimObjects, sizeof(SimObjects));
    RtlZeroMemory(SimFilters, sizeof(SimFilters));
    RtlZeroMemory(SimEnums, sizeof(SimEnums));
    RtlZeroMemory(SimEnumBlocks, sizeof(SimEnumBlocks));
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
static SIM_OBJECT* SimAddObject(HANDLE engineHandle, SIM_OBJECT_KIND kind, GUID key, const FWPM_DISPLAY_DATA0* display,
                                const GUID* providerKey, const char* api, NTSTATUS* status)
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
    object->origin = SimSessionIsProgram(session) ? SimByProgram : SimByDriver;
    object->session = session;
    object->uncommitted = TRUE;
    object->hasProvider = providerKey != NULL ? TRUE : FALSE;
    if (providerKey != NULL) {
        object->providerKey = *providerKey;
    }
    for (ULONG i = 0; i + 1 < SIM_NAME_LENGTH && display->name[i] != L'\0'; i++) {
        object->name[i] = display->name[i];
    }
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
    (void)SimAddObject(engineHandle, SimProvider, provider->providerKey, &provider->displayData, NULL,
                       "FwpmProviderAdd0", &status);
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
        (void)SimAddObject(engineHandle, SimSublayer, subLayer->subLayerKey, &subLayer->displayData,
                           subLayer->providerKey, "FwpmSubLayerAdd0", &status);
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
    object = SimAddObject(engineHandle, SimCallout, callout->calloutKey, &callout->displayData, callout->providerKey,
                          "FwpmCalloutAdd0", &status);
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
    object = SimAddObject(engineHandle, SimFilter, filter->filterKey, &filter->displayData, filter->providerKey,
                          "FwpmFilterAdd0", &status);
    if (object == NULL) {
        return status;
    }
    object->subLayerKey = filter->subLayerKey;
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
// The session ended (after SimObjectsDelete for a dynamic one): what it
// added stays, owned by no session, and so do its enumerations' results;
// its enumeration handles go with it.
//
void SimObjectsSessionEnded(SIM_SESSION* session)
{
    for (ULONG i = 0; i < SimObjectCount; i++) {
        if (SimObjects[i].session == session) {
            SimObjects[i].session = NULL;
        }
    }
    for (ULONG i = 0; i < SIM_MAX_ENUMS; i++) {
        if (SimEnums[i].open && SimEnums[i].session == session) {
            SimWarning("an enumeration handle was still open when its engine session closed: "
                       "FwpmFilterDestroyEnumHandle0 is missing on some path");
            SimEnums[i].open = FALSE;
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
        if (SimObjects[i].live && SimObjects[i].kind == SimFilter && SimObjects[i].origin != SimByOtherClient &&
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
        if (SimObjects[i].live && SimObjects[i].origin == SimByDriver) {
            SimBugCheck("filter-engine %s left %s: added in a session that is not dynamic and never deleted",
                        SimKindNames[SimObjects[i].kind], when);
        }
    }
}

static BOOLEAN SimSameGuid(const GUID* a, const GUID* b)
{
    return RtlEqualMemory(a, b, sizeof(GUID)) ? TRUE : FALSE;
}

//
// Whether a live object still names the object of this kind and key.
//
static BOOLEAN SimReferenced(SIM_OBJECT_KIND kind, const GUID* key)
{
    for (ULONG i = 0; i < SimObjectCount; i++) {
        const SIM_OBJECT* object = &SimObjects[i];
        BOOLEAN callsIt = (object->kind == SimFilter && (SimFilters[i].runtime.action.type & FWP_ACTION_FLAG_CALLOUT))
                              ? SimSameGuid(&SimFilters[i].calloutKey, key) : FALSE;

        if (!object->live) {
            continue;
        }
        if ((kind == SimProvider && object->hasProvider && SimSameGuid(&object->providerKey, key)) ||
            (kind == SimSublayer && object->kind == SimFilter && SimSameGuid(&object->subLayerKey, key)) ||
            (kind == SimCallout && callsIt)) {
            return TRUE;
        }
    }
    return FALSE;
}

static NTSTATUS SimDeleteByKey(HANDLE engineHandle, SIM_OBJECT_KIND kind, const GUID* key, const char* api,
                               NTSTATUS notFound)
{
    SIM_OBJECT* object;

    (void)SimSessionOf(engineHandle, api);
    object = SimFind(kind, key);
    if (object == NULL) {
        return notFound;
    }
    if (SimReferenced(kind, key)) {
        return STATUS_FWP_IN_USE;
    }
    SimDeleteObject(object);
    return STATUS_SUCCESS;
}

NTSTATUS FwpmProviderDeleteByKey0(HANDLE engineHandle, const GUID* key)
{
    return SimDeleteByKey(engineHandle, SimProvider, key, "FwpmProviderDeleteByKey0", STATUS_FWP_PROVIDER_NOT_FOUND);
}

NTSTATUS FwpmSubLayerDeleteByKey0(HANDLE engineHandle, const GUID* key)
{
    return SimDeleteByKey(engineHandle, SimSublayer, key, "FwpmSubLayerDeleteByKey0", STATUS_FWP_SUBLAYER_NOT_FOUND);
}

NTSTATUS FwpmCalloutDeleteByKey0(HANDLE engineHandle, const GUID* key)
{
    return SimDeleteByKey(engineHandle, SimCallout, key, "FwpmCalloutDeleteByKey0", STATUS_FWP_CALLOUT_NOT_FOUND);
}

//
// Filter enumeration. Handles are opaque numbers; each FwpmFilterEnum0
// result is one allocation: the pointer array, then the filters, then their
// provider keys and names.
//
static SIM_ENUM* SimEnumOf(HANDLE enumHandle, const char* api)
{
    ULONG_PTR slot = (ULONG_PTR)enumHandle - SIM_ENUM_HANDLE_BASE;

    if ((ULONG_PTR)enumHandle <= SIM_ENUM_HANDLE_BASE || slot > SIM_MAX_ENUMS || !SimEnums[slot - 1].open) {
        SimViolation("%s with an enumeration handle that FwpmFilterCreateEnumHandle0 did not return, or that "
                     "was destroyed already (%p)", api, enumHandle);
    }
    return &SimEnums[slot - 1];
}

NTSTATUS FwpmFilterCreateEnumHandle0(HANDLE engineHandle, const FWPM_FILTER_ENUM_TEMPLATE0* enumTemplate,
                                     HANDLE* enumHandle)
{
    SIM_SESSION* session = SimSessionOf(engineHandle, "FwpmFilterCreateEnumHandle0");

    *enumHandle = NULL;
    if (enumTemplate != NULL) {
        SimBugCheck("FwpmFilterCreateEnumHandle0: the simulation enumerates without a template only");
    }
    for (ULONG i = 0; i < SIM_MAX_ENUMS; i++) {
        if (!SimEnums[i].open) {
            SimEnums[i].open = TRUE;
            SimEnums[i].session = session;
            SimEnums[i].lastId = 0;
            *enumHandle = (HANDLE)(ULONG_PTR)(SIM_ENUM_HANDLE_BASE + i + 1);
            return STATUS_SUCCESS;
        }
    }
    SimBugCheck("more than %d filter enumerations open at once: is FwpmFilterDestroyEnumHandle0 missing?",
                SIM_MAX_ENUMS);
}

NTSTATUS FwpmFilterDestroyEnumHandle0(HANDLE engineHandle, HANDLE enumHandle)
{
    (void)SimSessionOf(engineHandle, "FwpmFilterDestroyEnumHandle0");
    SimEnumOf(enumHandle, "FwpmFilterDestroyEnumHandle0")->open = FALSE;
    return STATUS_SUCCESS;
}

//
// Whether a session sees the filter: committed ones, and its own in its
// transaction.
//
static BOOLEAN SimEnumSees(const SIM_ENUM* enumeration, ULONG index)
{
    const SIM_OBJECT* object = &SimObjects[index];

    return object->live && object->kind == SimFilter && SimFilters[index].runtime.filterId > enumeration->lastId &&
           (!object->uncommitted || object->session == enumeration->session);
}

static void SimEnumCopy(ULONG index, FWPM_FILTER0* filter, GUID* providerKey, wchar_t* name)
{
    const SIM_OBJECT* object = &SimObjects[index];
    const SIM_FILTER_ENTRY* entry = &SimFilters[index];

    filter->filterKey = object->key;
    RtlCopyMemory(name, object->name, sizeof(object->name));
    filter->displayData.name = name;
    filter->layerKey = object->layerKey;
    filter->subLayerKey = object->subLayerKey;
    if (object->hasProvider) {
        *providerKey = object->providerKey;
        filter->providerKey = providerKey;
    }
    filter->action.type = entry->runtime.action.type;
    filter->action.calloutKey = entry->calloutKey;
    filter->rawContext = entry->runtime.context;
    filter->filterId = entry->runtime.filterId;
}

static void SimEnumKeep(void* block)
{
    for (ULONG i = 0; i < SIM_MAX_ENUM_BLOCKS; i++) {
        if (SimEnumBlocks[i] == NULL) {
            SimEnumBlocks[i] = block;
            return;
        }
    }
    SimBugCheck("more than %d FwpmFilterEnum0 results not freed: is FwpmFreeMemory0 missing?", SIM_MAX_ENUM_BLOCKS);
}

NTSTATUS FwpmFilterEnum0(HANDLE engineHandle, HANDLE enumHandle, UINT32 numEntriesRequested, FWPM_FILTER0*** entries,
                         UINT32* numEntriesReturned)
{
    SIM_ENUM* enumeration;
    FWPM_FILTER0** pointers;
    FWPM_FILTER0* filters;
    GUID* providerKeys;
    wchar_t* names;
    UINT32 count = 0;
    size_t each = sizeof(*pointers) + sizeof(*filters) + sizeof(*providerKeys) + SIM_NAME_LENGTH * sizeof(*names);

    (void)SimSessionOf(engineHandle, "FwpmFilterEnum0");
    enumeration = SimEnumOf(enumHandle, "FwpmFilterEnum0");
    *entries = NULL;
    *numEntriesReturned = 0;
    for (ULONG i = 0; i < SimObjectCount && count < numEntriesRequested; i++) {
        count += SimEnumSees(enumeration, i) ? 1 : 0;
    }
    if (count == 0) {
        return STATUS_SUCCESS;
    }
    pointers = calloc(count, each);
    if (pointers == NULL) {
        SimBugCheck("FwpmFilterEnum0: the test process is out of memory");
    }
    filters = (FWPM_FILTER0*)(pointers + count);
    providerKeys = (GUID*)(filters + count);
    names = (wchar_t*)(providerKeys + count);
    for (ULONG i = 0, n = 0; i < SimObjectCount && n < count; i++) {
        if (SimEnumSees(enumeration, i)) {
            SimEnumCopy(i, &filters[n], &providerKeys[n], &names[n * SIM_NAME_LENGTH]);
            pointers[n] = &filters[n];
            enumeration->lastId = filters[n].filterId;
            n++;
        }
    }
    SimEnumKeep(pointers);
    *entries = pointers;
    *numEntriesReturned = count;
    return STATUS_SUCCESS;
}

void FwpmFreeMemory0(void** p)
{
    if (*p == NULL) {
        return;
    }
    for (ULONG i = 0; i < SIM_MAX_ENUM_BLOCKS; i++) {
        if (SimEnumBlocks[i] == *p) {
            free(*p);
            SimEnumBlocks[i] = NULL;
            *p = NULL;
            return;
        }
    }
    SimViolation("FwpmFreeMemory0(%p): not memory a Fwpm*Enum0 call returned (freed twice, or the address of "
                 "the wrong variable)", *p);
}

//
// After a program's run: everything the enumerations gave it went back
// (sim.h).
//
void SimEngineCheckUser(const char* who)
{
    for (ULONG i = 0; i < SIM_MAX_ENUM_BLOCKS; i++) {
        if (SimEnumBlocks[i] != NULL) {
            SimViolation("%s leaked the memory of a FwpmFilterEnum0 result: FwpmFreeMemory0 is missing", who);
        }
    }
    for (ULONG i = 0; i < SIM_MAX_ENUMS; i++) {
        if (SimEnums[i].open) {
            SimViolation("%s left a filter enumeration handle open: FwpmFilterDestroyEnumHandle0 is missing", who);
        }
    }
}
