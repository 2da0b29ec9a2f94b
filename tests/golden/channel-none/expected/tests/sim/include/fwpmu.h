//
// fwpmu.h - the user-mode filter engine API (fwpuclnt.dll) for the
// companion's `filters` command (app/filters.c) when the tests run it
// in-process against the simulated filter engine.
//
// The user-mode functions have the names and parameters of the kernel-mode
// ones the simulation implements (fwpmk.h), but return a Win32 error code:
// ERROR_SUCCESS or an FWP_E_* HRESULT (Microsoft Learn: FwpmEngineOpen0,
// FwpmFilterAdd0, ..., "Return value"). So each name below is mapped to a
// SimUser* entry point (tests/sim/fwpmu.c) that calls the kernel-mode one in
// a session marked as a program's and converts its NTSTATUS; the driver's
// own calls are untouched.
//

#pragma once

#include <windows.h>
#include <fwpmk.h>
#include <string.h>

//
// filters.c defines the shared keys itself (initguid.h, then guids.h) as a
// program must; here the driver's guids.c defines them already, so guids.h
// is included once now, as declarations, and the later include is a no-op
// (#pragma once).
//
#include "guids.h"

typedef LONG HRESULT;

//
// Values: winerror.h of the Windows SDK (Microsoft Learn: WFP Error Codes;
// System Error Codes (1700-3999)). An FWP_E_* code has the low 16 bits of
// its STATUS_FWP_* twin.
//
#define FWP_E_CALLOUT_NOT_FOUND  ((HRESULT)0x80320001L)
#define FWP_E_FILTER_NOT_FOUND   ((HRESULT)0x80320003L)
#define FWP_E_PROVIDER_NOT_FOUND ((HRESULT)0x80320005L)
#define FWP_E_SUBLAYER_NOT_FOUND ((HRESULT)0x80320007L)
#define FWP_E_ALREADY_EXISTS     ((HRESULT)0x80320009L)
#define FWP_E_IN_USE             ((HRESULT)0x8032000AL)
#define EPT_S_NOT_REGISTERED     1753L

#define IsEqualGUID(rguid1, rguid2) (!memcmp(rguid1, rguid2, sizeof(GUID)))

DWORD SimUserFwpmEngineOpen0(const wchar_t* serverName, UINT32 authnService, SEC_WINNT_AUTH_IDENTITY_W* authIdentity,
                             const FWPM_SESSION0* session, HANDLE* engineHandle);
DWORD SimUserFwpmEngineClose0(HANDLE engineHandle);
DWORD SimUserFwpmTransactionBegin0(HANDLE engineHandle, UINT32 flags);
DWORD SimUserFwpmTransactionCommit0(HANDLE engineHandle);
DWORD SimUserFwpmTransactionAbort0(HANDLE engineHandle);
DWORD SimUserFwpmProviderAdd0(HANDLE engineHandle, const FWPM_PROVIDER0* provider, PSECURITY_DESCRIPTOR sd);
DWORD SimUserFwpmProviderDeleteByKey0(HANDLE engineHandle, const GUID* key);
DWORD SimUserFwpmSubLayerAdd0(HANDLE engineHandle, const FWPM_SUBLAYER0* subLayer, PSECURITY_DESCRIPTOR sd);
DWORD SimUserFwpmSubLayerDeleteByKey0(HANDLE engineHandle, const GUID* key);
DWORD SimUserFwpmCalloutAdd0(HANDLE engineHandle, const FWPM_CALLOUT0* callout, PSECURITY_DESCRIPTOR sd, UINT32* id);
DWORD SimUserFwpmCalloutDeleteByKey0(HANDLE engineHandle, const GUID* key);
DWORD SimUserFwpmFilterAdd0(HANDLE engineHandle, const FWPM_FILTER0* filter, PSECURITY_DESCRIPTOR sd, UINT64* id);
DWORD SimUserFwpmFilterDeleteById0(HANDLE engineHandle, UINT64 id);
DWORD SimUserFwpmFilterCreateEnumHandle0(HANDLE engineHandle, const FWPM_FILTER_ENUM_TEMPLATE0* enumTemplate,
                                         HANDLE* enumHandle);
DWORD SimUserFwpmFilterEnum0(HANDLE engineHandle, HANDLE enumHandle, UINT32 numEntriesRequested,
                             FWPM_FILTER0*** entries, UINT32* numEntriesReturned);
DWORD SimUserFwpmFilterDestroyEnumHandle0(HANDLE engineHandle, HANDLE enumHandle);

#define FwpmEngineOpen0 SimUserFwpmEngineOpen0
#define FwpmEngineClose0 SimUserFwpmEngineClose0
#define FwpmTransactionBegin0 SimUserFwpmTransactionBegin0
#define FwpmTransactionCommit0 SimUserFwpmTransactionCommit0
#define FwpmTransactionAbort0 SimUserFwpmTransactionAbort0
#define FwpmProviderAdd0 SimUserFwpmProviderAdd0
#define FwpmProviderDeleteByKey0 SimUserFwpmProviderDeleteByKey0
#define FwpmSubLayerAdd0 SimUserFwpmSubLayerAdd0
#define FwpmSubLayerDeleteByKey0 SimUserFwpmSubLayerDeleteByKey0
#define FwpmCalloutAdd0 SimUserFwpmCalloutAdd0
#define FwpmCalloutDeleteByKey0 SimUserFwpmCalloutDeleteByKey0
#define FwpmFilterAdd0 SimUserFwpmFilterAdd0
#define FwpmFilterDeleteById0 SimUserFwpmFilterDeleteById0
#define FwpmFilterCreateEnumHandle0 SimUserFwpmFilterCreateEnumHandle0
#define FwpmFilterEnum0 SimUserFwpmFilterEnum0
#define FwpmFilterDestroyEnumHandle0 SimUserFwpmFilterDestroyEnumHandle0
// FwpmFreeMemory0 returns nothing: the kernel-mode one serves as it is.
