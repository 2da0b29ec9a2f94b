//
// fwpmu.c - the user-mode filter engine API (fwpuclnt.dll) as a program sees
// it, over the kernel-mode functions of engine.c and objects.c: the same
// sessions, transactions and objects, so the companion's `filters` command
// and the driver share one filter engine. sim/include/fwpmu.h maps the
// program's calls here.
//
// What differs from kernel mode:
// - the return value is a Win32 error code: ERROR_SUCCESS, or FWP_E_* for
//   STATUS_FWP_* (the same low 16 bits: winerror.h and ntstatus.h; Microsoft
//   Learn: WFP Error Codes), EPT_S_NOT_REGISTERED when BFE is not running
//   (FwpmEngineOpen0), and what RtlNtStatusToDosError gives for the rest;
// - the session belongs to the program: what it adds in a session that is
//   not dynamic stays after FwpmEngineClose0 (Object Management), and is
//   not the driver's to delete at unload.
//

#include "sim_internal.h"

#include <fwpmu.h>

#define SIM_FACILITY_FWP_STATUS 0xC0220000u // STATUS_FWP_*
#define SIM_FACILITY_FWP_ERROR  0x80320000u // FWP_E_*

static DWORD SimUserError(NTSTATUS status)
{
    ULONG value = (ULONG)status;

    if ((value & 0xFFFF0000u) == SIM_FACILITY_FWP_STATUS) {
        return SIM_FACILITY_FWP_ERROR | (value & 0xFFFFu);
    }
    switch (status) {
    case STATUS_SUCCESS:
        return ERROR_SUCCESS;
    case EPT_NT_NOT_REGISTERED:
        return EPT_S_NOT_REGISTERED;
    case STATUS_ACCESS_DENIED:
        return ERROR_ACCESS_DENIED;
    case STATUS_INVALID_PARAMETER:
        return ERROR_INVALID_PARAMETER;
    case STATUS_INSUFFICIENT_RESOURCES:
        return ERROR_NO_SYSTEM_RESOURCES;
    default:
        return ERROR_GEN_FAILURE;
    }
}

#undef FwpmEngineOpen0
#undef FwpmEngineClose0
#undef FwpmTransactionBegin0
#undef FwpmTransactionCommit0
#undef FwpmTransactionAbort0
#undef FwpmProviderAdd0
#undef FwpmProviderDeleteByKey0
#undef FwpmSubLayerAdd0
#undef FwpmSubLayerDeleteByKey0
#undef FwpmCalloutAdd0
#undef FwpmCalloutDeleteByKey0
#undef FwpmFilterAdd0
#undef FwpmFilterDeleteById0
#undef FwpmFilterCreateEnumHandle0
#undef FwpmFilterEnum0
#undef FwpmFilterDestroyEnumHandle0

DWORD SimUserFwpmEngineOpen0(const wchar_t* serverName, UINT32 authnService, SEC_WINNT_AUTH_IDENTITY_W* authIdentity,
                             const FWPM_SESSION0* session, HANDLE* engineHandle)
{
    NTSTATUS status = FwpmEngineOpen0(serverName, authnService, authIdentity, session, engineHandle);

    if (NT_SUCCESS(status)) {
        SimSessionSetProgram(*engineHandle);
    }
    return SimUserError(status);
}

DWORD SimUserFwpmEngineClose0(HANDLE engineHandle)
{
    return SimUserError(FwpmEngineClose0(engineHandle));
}

DWORD SimUserFwpmTransactionBegin0(HANDLE engineHandle, UINT32 flags)
{
    return SimUserError(FwpmTransactionBegin0(engineHandle, flags));
}

DWORD SimUserFwpmTransactionCommit0(HANDLE engineHandle)
{
    return SimUserError(FwpmTransactionCommit0(engineHandle));
}

DWORD SimUserFwpmTransactionAbort0(HANDLE engineHandle)
{
    return SimUserError(FwpmTransactionAbort0(engineHandle));
}

DWORD SimUserFwpmProviderAdd0(HANDLE engineHandle, const FWPM_PROVIDER0* provider, PSECURITY_DESCRIPTOR sd)
{
    return SimUserError(FwpmProviderAdd0(engineHandle, provider, sd));
}

DWORD SimUserFwpmProviderDeleteByKey0(HANDLE engineHandle, const GUID* key)
{
    return SimUserError(FwpmProviderDeleteByKey0(engineHandle, key));
}

DWORD SimUserFwpmSubLayerAdd0(HANDLE engineHandle, const FWPM_SUBLAYER0* subLayer, PSECURITY_DESCRIPTOR sd)
{
    return SimUserError(FwpmSubLayerAdd0(engineHandle, subLayer, sd));
}

DWORD SimUserFwpmSubLayerDeleteByKey0(HANDLE engineHandle, const GUID* key)
{
    return SimUserError(FwpmSubLayerDeleteByKey0(engineHandle, key));
}

DWORD SimUserFwpmCalloutAdd0(HANDLE engineHandle, const FWPM_CALLOUT0* callout, PSECURITY_DESCRIPTOR sd, UINT32* id)
{
    return SimUserError(FwpmCalloutAdd0(engineHandle, callout, sd, id));
}

DWORD SimUserFwpmCalloutDeleteByKey0(HANDLE engineHandle, const GUID* key)
{
    return SimUserError(FwpmCalloutDeleteByKey0(engineHandle, key));
}

DWORD SimUserFwpmFilterAdd0(HANDLE engineHandle, const FWPM_FILTER0* filter, PSECURITY_DESCRIPTOR sd, UINT64* id)
{
    return SimUserError(FwpmFilterAdd0(engineHandle, filter, sd, id));
}

DWORD SimUserFwpmFilterDeleteById0(HANDLE engineHandle, UINT64 id)
{
    return SimUserError(FwpmFilterDeleteById0(engineHandle, id));
}

DWORD SimUserFwpmFilterCreateEnumHandle0(HANDLE engineHandle, const FWPM_FILTER_ENUM_TEMPLATE0* enumTemplate,
                                         HANDLE* enumHandle)
{
    return SimUserError(FwpmFilterCreateEnumHandle0(engineHandle, enumTemplate, enumHandle));
}

DWORD SimUserFwpmFilterEnum0(HANDLE engineHandle, HANDLE enumHandle, UINT32 numEntriesRequested,
                             FWPM_FILTER0*** entries, UINT32* numEntriesReturned)
{
    return SimUserError(FwpmFilterEnum0(engineHandle, enumHandle, numEntriesRequested, entries, numEntriesReturned));
}

DWORD SimUserFwpmFilterDestroyEnumHandle0(HANDLE engineHandle, HANDLE enumHandle)
{
    return SimUserError(FwpmFilterDestroyEnumHandle0(engineHandle, enumHandle));
}
