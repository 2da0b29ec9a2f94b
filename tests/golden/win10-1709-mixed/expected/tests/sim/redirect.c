//
// redirect.c - classify handles, writable layer data and redirect handles,
// which connect and bind redirection use.
//
// Reproduced rules (Microsoft Learn: FwpsAcquireClassifyHandle0,
// FwpsAcquireWritableLayerDataPointer0, FwpsApplyModifiedLayerData0,
// FwpsReleaseClassifyHandle0, FwpsRedirectHandleCreate0,
// FwpsQueryConnectionRedirectState0, "Using Bind or Connect Redirection"):
// - writable layer data needs a classify handle and FWPS_RIGHT_ACTION_WRITE;
// - a classify handle is released, and writable layer data applied, before
//   the classifyFn returns (the simulation never pends a classification);
// - a redirect handle is created at PASSIVE_LEVEL and destroyed before unload;
// - classify handles exist from Windows 7 on, redirect handles and
//   FwpsQueryConnectionRedirectState0 from Windows 8 on (fwpsk.h).
//

#include "sim_internal.h"

static ULONG SimClassifyHandles;   // acquired, not yet released
static ULONG SimWritableLayerData; // acquired, not yet applied
static ULONG SimRedirectHandles;

void SimRedirectReset(void)
{
    SimClassifyHandles = SimWritableLayerData = SimRedirectHandles = 0;
}

void SimRedirectCheckClassifyReturn(void)
{
    if (SimClassifyHandles != 0) {
        SimBugCheck("classifyFn returned without FwpsReleaseClassifyHandle0 on its classify handle");
    }
    if (SimWritableLayerData != 0) {
        SimBugCheck("classifyFn returned without FwpsApplyModifiedLayerData0 on the writable layer data it acquired");
    }
}

void SimRedirectCheckClean(const char* when)
{
    if (SimRedirectHandles != 0) {
        SimBugCheck("%lu redirect handle(s) left %s: FwpsRedirectHandleCreate0 without FwpsRedirectHandleDestroy0",
                    (unsigned long)SimRedirectHandles, when);
    }
}

//
// classifyContext is the SIM_CLASSIFY_DATA of the running classification.
//
NTSTATUS NTAPI FwpsAcquireClassifyHandle0(void* classifyContext, UINT32 reserved, UINT64* classifyHandle)
{
    UNREFERENCED_PARAMETER(reserved);

    SimRequireWindows(NTDDI_WIN7, "FwpsAcquireClassifyHandle0");
    SimRequireIrql(DISPATCH_LEVEL, "FwpsAcquireClassifyHandle0");
    if (classifyContext == NULL) {
        SimBugCheck("FwpsAcquireClassifyHandle0 without the classifyContext of a classifyFn");
    }
    if (SimFaultShouldFail("FwpsAcquireClassifyHandle0")) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    SimClassifyHandles++;
    *classifyHandle = (UINT64)(ULONG_PTR)classifyContext;
    return STATUS_SUCCESS;
}

void NTAPI FwpsReleaseClassifyHandle0(UINT64 classifyHandle)
{
    if (classifyHandle == 0 || SimClassifyHandles == 0) {
        SimBugCheck("FwpsReleaseClassifyHandle0 on a handle that is not acquired");
    }
    SimClassifyHandles--;
}

NTSTATUS NTAPI FwpsAcquireWritableLayerDataPointer0(UINT64 classifyHandle, UINT64 filterId, UINT32 flags,
                                                    PVOID* writableLayerData, FWPS_CLASSIFY_OUT0* classifyOut)
{
    SIM_CLASSIFY_DATA* data = (SIM_CLASSIFY_DATA*)(ULONG_PTR)classifyHandle;

    UNREFERENCED_PARAMETER(filterId);
    UNREFERENCED_PARAMETER(flags);

    if (SimClassifyHandles == 0) {
        SimBugCheck("FwpsAcquireWritableLayerDataPointer0 without a classify handle");
    }
    if ((classifyOut->rights & FWPS_RIGHT_ACTION_WRITE) == 0) {
        SimBugCheck("FwpsAcquireWritableLayerDataPointer0 without FWPS_RIGHT_ACTION_WRITE: another filter decided");
    }
    if (SimFaultShouldFail("FwpsAcquireWritableLayerDataPointer0")) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    SimWritableLayerData++;
    *writableLayerData = data->layerData;
    return STATUS_SUCCESS;
}

void NTAPI FwpsApplyModifiedLayerData0(UINT64 classifyHandle, PVOID modifiedLayerData, UINT32 flags)
{
    UNREFERENCED_PARAMETER(classifyHandle);
    UNREFERENCED_PARAMETER(modifiedLayerData);
    UNREFERENCED_PARAMETER(flags);

    if (SimWritableLayerData == 0) {
        SimBugCheck("FwpsApplyModifiedLayerData0 without FwpsAcquireWritableLayerDataPointer0");
    }
    SimWritableLayerData--;
}

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
// The simulation never redirects: every connection is one nobody redirected.
//
FWPS_CONNECTION_REDIRECT_STATE NTAPI FwpsQueryConnectionRedirectState0(HANDLE redirectRecords, HANDLE redirectHandle,
                                                                       void** redirectContext)
{
    UNREFERENCED_PARAMETER(redirectRecords);

    SimRequireWindows(NTDDI_WIN8, "FwpsQueryConnectionRedirectState0");
    if (redirectHandle != (HANDLE)&SimRedirectHandles || SimRedirectHandles == 0) {
        SimBugCheck("FwpsQueryConnectionRedirectState0 with a redirect handle that is not open");
    }
    if (redirectContext != NULL) {
        *redirectContext = NULL;
    }
    return FWPS_CONNECTION_NOT_REDIRECTED;
}
