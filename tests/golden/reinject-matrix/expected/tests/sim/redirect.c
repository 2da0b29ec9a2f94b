//
// redirect.c - classify handles, writable layer data and redirect handles,
// which connect and bind redirection use, and the redirect records a
// redirected connection carries.
//
// Reproduced rules (Microsoft Learn: FwpsAcquireClassifyHandle0,
// FwpsAcquireWritableLayerDataPointer0, FwpsApplyModifiedLayerData0,
// FwpsReleaseClassifyHandle0, FwpsRedirectHandleCreate0,
// FwpsQueryConnectionRedirectState0, FWPS_CONNECT_REQUEST0,
// "Using Bind or Connect Redirection"):
// - the steps run in one order, each exactly once: acquire the classify
//   handle, acquire the writable layer data (only with
//   FWPS_RIGHT_ACTION_WRITE), write it, apply it with
//   FwpsApplyModifiedLayerData0, release the classify handle; anything else
//   (writing after applying, applying twice, releasing before applying, a
//   handle of another classification) is a violation;
// - the writable data is a copy that goes away when it is applied: a write
//   after FwpsApplyModifiedLayerData0 is a use after free;
// - the simulation never pends a classification, so the classify handle is
//   released before the classifyFn returns;
// - an applied change is recorded: modifierFilterId names the filter,
//   previousVersion the request before, and at the connect redirect layers
//   a redirect record names the redirect handle (localRedirectHandle) and
//   context; FwpsQueryConnectionRedirectState0 answers from those records;
// - a redirect handle is created at PASSIVE_LEVEL and destroyed before unload;
// - classify handles exist from Windows 7 on, redirect handles and
//   FwpsQueryConnectionRedirectState0 from Windows 8 on (fwpsk.h).
//

#include "sim_internal.h"

#include <stdlib.h>

typedef enum SIM_REDIRECT_STEP {
    SimNoHandle,      // no classify handle
    SimHandle,        // classify handle acquired
    SimWritable,      // writable layer data handed out
    SimApplied,       // applied; the handle still to be released
    SimReleased,      // released: this classification is done with it
} SIM_REDIRECT_STEP;

static struct {
    SIM_CLASSIFY_DATA* data;    // the classification running now
    const SIM_LAYER* layer;
    UINT64 filterId;
    SIM_REDIRECT_STEP step;
    void* writable;             // the copy handed out
    ULONG applied;              // changes applied in this classification
} SimClassifyNow;

static ULONG SimRedirectHandles;

void SimRedirectReset(void)
{
    RtlZeroMemory(&SimClassifyNow, sizeof(SimClassifyNow));
    SimRedirectHandles = 0;
}

void SimRedirectClassifyBegin(SIM_CLASSIFY_DATA* data, const SIM_LAYER* layer, const FWPS_FILTER0* filter)
{
    RtlZeroMemory(&SimClassifyNow, sizeof(SimClassifyNow));
    SimClassifyNow.data = data;
    SimClassifyNow.layer = layer;
    SimClassifyNow.filterId = filter->filterId;
}

//
// Right after classifyFn returned: nothing may be left half done.
//
void SimRedirectCheckClassifyReturn(void)
{
    if (SimClassifyNow.step == SimWritable) {
        SimViolation("classifyFn returned holding writable layer data: FwpsAcquireWritableLayerDataPointer0 without "
                     "FwpsApplyModifiedLayerData0");
    }
    if (SimClassifyNow.step == SimHandle || SimClassifyNow.step == SimApplied) {
        SimViolation("classifyFn returned without FwpsReleaseClassifyHandle0: the classify handle leaks (the "
                     "classification was not pended)");
    }
}

ULONG SimRedirectClassifyEnd(void)
{
    ULONG applied = SimClassifyNow.applied;

    RtlZeroMemory(&SimClassifyNow, sizeof(SimClassifyNow));
    return applied;
}

void SimRedirectCheckClean(const char* when)
{
    if (SimRedirectHandles != 0) {
        SimBugCheck("%lu redirect handle(s) left %s: FwpsRedirectHandleCreate0 without FwpsRedirectHandleDestroy0",
                    (unsigned long)SimRedirectHandles, when);
    }
}

static BOOLEAN SimIsConnectLayer(const SIM_LAYER* layer)
{
    return (BOOLEAN)(strcmp(layer->layerData, "connect_request") == 0);
}

static UINT64 SimHandleValue(void)
{
    return (UINT64)(ULONG_PTR)&SimClassifyNow;
}

//
// classifyContext is the SIM_CLASSIFY_DATA of the running classification.
//
NTSTATUS NTAPI FwpsAcquireClassifyHandle0(void* classifyContext, UINT32 reserved, UINT64* classifyHandle)
{
    UNREFERENCED_PARAMETER(reserved);

    SimRequireWindows(NTDDI_WIN7, "FwpsAcquireClassifyHandle0");
    SimRequireIrql(DISPATCH_LEVEL, "FwpsAcquireClassifyHandle0");
    if (classifyContext == NULL || classifyContext != SimClassifyNow.data) {
        SimViolation("FwpsAcquireClassifyHandle0 without the classifyContext of the running classifyFn");
    }
    if (SimClassifyNow.step != SimNoHandle) {
        SimViolation("FwpsAcquireClassifyHandle0 twice in one classifyFn");
    }
    if (SimFaultShouldFail("FwpsAcquireClassifyHandle0")) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    SimClassifyNow.step = SimHandle;
    *classifyHandle = SimHandleValue();
    return STATUS_SUCCESS;
}

void NTAPI FwpsReleaseClassifyHandle0(UINT64 classifyHandle)
{
    if (classifyHandle != SimHandleValue() || SimClassifyNow.step == SimNoHandle ||
        SimClassifyNow.step == SimReleased) {
        SimViolation("FwpsReleaseClassifyHandle0 on a classify handle that is not acquired (released twice?)");
    }
    if (SimClassifyNow.step == SimWritable) {
        SimViolation("FwpsReleaseClassifyHandle0 before FwpsApplyModifiedLayerData0: the writable layer data is "
                     "applied, then the classify handle released");
    }
    SimClassifyNow.step = SimReleased;
}

static SIZE_T SimLayerDataSize(const SIM_LAYER* layer)
{
    return SimIsConnectLayer(layer) ? sizeof(FWPS_CONNECT_REQUEST0) : sizeof(FWPS_BIND_REQUEST0);
}

NTSTATUS NTAPI FwpsAcquireWritableLayerDataPointer0(UINT64 classifyHandle, UINT64 filterId, UINT32 flags,
                                                    PVOID* writableLayerData, FWPS_CLASSIFY_OUT0* classifyOut)
{
    const SIM_LAYER* layer = SimClassifyNow.layer;
    void* copy;

    UNREFERENCED_PARAMETER(flags);

    SimRequireIrql(DISPATCH_LEVEL, "FwpsAcquireWritableLayerDataPointer0");
    if (classifyHandle != SimHandleValue() || SimClassifyNow.step == SimNoHandle ||
        SimClassifyNow.step == SimReleased) {
        SimViolation("FwpsAcquireWritableLayerDataPointer0 without an acquired classify handle");
    }
    if (SimClassifyNow.step != SimHandle) {
        SimViolation("FwpsAcquireWritableLayerDataPointer0 twice on one classify handle");
    }
    if (filterId != SimClassifyNow.filterId) {
        SimViolation("FwpsAcquireWritableLayerDataPointer0 with filter id %llu, not the classified filter's (%llu)",
                     (unsigned long long)filterId, (unsigned long long)SimClassifyNow.filterId);
    }
    if ((classifyOut->rights & FWPS_RIGHT_ACTION_WRITE) == 0) {
        SimViolation("FwpsAcquireWritableLayerDataPointer0 without FWPS_RIGHT_ACTION_WRITE: a filter of higher "
                     "priority decided, and the request may not be changed");
    }
    if (layer == NULL || (strcmp(layer->layerData, "connect_request") != 0 &&
                          strcmp(layer->layerData, "bind_request") != 0)) {
        SimViolation("FwpsAcquireWritableLayerDataPointer0 at a layer without writable layer data");
    }
    if (SimFaultShouldFail("FwpsAcquireWritableLayerDataPointer0")) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    copy = malloc(SimLayerDataSize(layer));
    if (copy == NULL) {
        SimBugCheck("the simulation ran out of memory");
    }
    memcpy(copy, SimClassifyNow.data->layerData, SimLayerDataSize(layer));
    SimClassifyNow.writable = copy;
    SimClassifyNow.step = SimWritable;
    *writableLayerData = copy;
    return STATUS_SUCCESS;
}

//
// The change becomes the request the next filters and the stack see, with
// the filter named as its modifier and the request before as its previous
// version; a connect redirect leaves a redirect record.
//
static void SimApplyChange(SIM_CLASSIFY_DATA* data, const SIM_LAYER* layer, const void* writable)
{
    if (SimIsConnectLayer(layer)) {
        data->previousConnect = data->connectRequest;
        memcpy(&data->connectRequest, writable, sizeof(data->connectRequest));
        data->connectRequest.previousVersion = &data->previousConnect;
        data->connectRequest.modifierFilterId = SimClassifyNow.filterId;
#if (NTDDI_VERSION >= NTDDI_WIN8)
        // Redirect handles and records exist from Windows 8 on (FwpsRedirectHandleCreate0).
        data->redirectRecord.redirectHandle = data->connectRequest.localRedirectHandle;
        data->redirectRecord.redirectContext = data->connectRequest.localRedirectContext;
#endif
    } else {
        data->previousBind = data->bindRequest;
        memcpy(&data->bindRequest, writable, sizeof(data->bindRequest));
        data->bindRequest.previousVersion = &data->previousBind;
        data->bindRequest.modifierFilterId = SimClassifyNow.filterId;
    }
    data->modified = TRUE;
}

void NTAPI FwpsApplyModifiedLayerData0(UINT64 classifyHandle, PVOID modifiedLayerData, UINT32 flags)
{
    UNREFERENCED_PARAMETER(flags);

    SimRequireIrql(DISPATCH_LEVEL, "FwpsApplyModifiedLayerData0");
    if (classifyHandle != SimHandleValue() || SimClassifyNow.step == SimNoHandle ||
        SimClassifyNow.step == SimReleased) {
        SimViolation("FwpsApplyModifiedLayerData0 without an acquired classify handle (after "
                     "FwpsReleaseClassifyHandle0?)");
    }
    if (SimClassifyNow.step == SimApplied) {
        SimViolation("FwpsApplyModifiedLayerData0 twice: the writable layer data was applied already");
    }
    if (SimClassifyNow.step != SimWritable || modifiedLayerData != SimClassifyNow.writable) {
        SimViolation("FwpsApplyModifiedLayerData0 with data FwpsAcquireWritableLayerDataPointer0 did not hand out");
    }
    SimApplyChange(SimClassifyNow.data, SimClassifyNow.layer, modifiedLayerData);
    free(SimClassifyNow.writable);
    SimClassifyNow.writable = NULL;
    SimClassifyNow.step = SimApplied;
    SimClassifyNow.applied++;
}

void SimRedirectPrepareComeBack(const SIM_LAYER* layer, const SIM_CLASSIFY_DATA* data, SIM_CLASSIFY_DATA* again)
{
    *again = *data;
    again->modified = FALSE;
    if (SimIsConnectLayer(layer)) {
        again->connectRequest.previousVersion = &again->previousConnect;
        again->layerData = &again->connectRequest;
#if (NTDDI_VERSION >= NTDDI_WIN8)
        again->metadata.currentMetadataValues |= FWPS_METADATA_FIELD_REDIRECT_RECORD_HANDLE;
        again->metadata.redirectRecords = (HANDLE)&again->redirectRecord;
#endif
    } else {
        again->bindRequest.previousVersion = &again->previousBind;
        again->layerData = &again->bindRequest;
    }
}

#if (NTDDI_VERSION >= NTDDI_WIN8)
NTSTATUS NTAPI FwpsRedirectHandleCreate0(const GUID* providerGuid, UINT32 flags, HANDLE* redirectHandle)
{
    UNREFERENCED_PARAMETER(flags);

    SimRequireWindows(NTDDI_WIN8, "FwpsRedirectHandleCreate0");
    SimRequireIrql(PASSIVE_LEVEL, "FwpsRedirectHandleCreate0");
    if (providerGuid == NULL) {
        return STATUS_INVALID_PARAMETER;
    }
    if (SimFaultShouldFail("FwpsRedirectHandleCreate0")) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    SimRedirectHandles++;
    *redirectHandle = (HANDLE)&SimRedirectHandles;
    return STATUS_SUCCESS;
}

void NTAPI FwpsRedirectHandleDestroy0(HANDLE redirectHandle)
{
    SimRequireIrql(PASSIVE_LEVEL, "FwpsRedirectHandleDestroy0");
    if (redirectHandle != (HANDLE)&SimRedirectHandles || SimRedirectHandles == 0) {
        SimBugCheck("FwpsRedirectHandleDestroy0 on a handle FwpsRedirectHandleCreate0 did not return");
    }
    SimRedirectHandles--;
}

//
// The redirect records say who redirected the connection: this handle's
// owner (REDIRECTED_BY_SELF, with the context it gave), or another driver.
//
FWPS_CONNECTION_REDIRECT_STATE NTAPI FwpsQueryConnectionRedirectState0(HANDLE redirectRecords, HANDLE redirectHandle,
                                                                       void** redirectContext)
{
    const SIM_REDIRECT_RECORD* record = redirectRecords;

    SimRequireWindows(NTDDI_WIN8, "FwpsQueryConnectionRedirectState0");
    SimRequireIrql(DISPATCH_LEVEL, "FwpsQueryConnectionRedirectState0");
    if (redirectHandle != (HANDLE)&SimRedirectHandles || SimRedirectHandles == 0) {
        SimBugCheck("FwpsQueryConnectionRedirectState0 with a redirect handle that is not open");
    }
    if (redirectContext != NULL) {
        *redirectContext = NULL;
    }
    if (record == NULL) {
        return FWPS_CONNECTION_NOT_REDIRECTED;
    }
    if (record->redirectHandle != redirectHandle) {
        return FWPS_CONNECTION_REDIRECTED_BY_OTHER;
    }
    if (redirectContext != NULL) {
        *redirectContext = record->redirectContext;
    }
    return FWPS_CONNECTION_REDIRECTED_BY_SELF;
}
#endif
