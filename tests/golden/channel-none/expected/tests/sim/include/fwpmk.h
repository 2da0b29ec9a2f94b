// fwpmk.h - the WDK stand-in that wfpgen's compile check uses too (its
// template's templates/wdk/fwpmk.h): the simulation builds the driver against
// the same declarations.
/*
 * wfpgen test stub: the WFP management API for kernel callers, <fwpmk.h>.
 *
 * Declaration-only stand-in for CI compile checks, transcribed from the
 * documented syntax on Microsoft Learn (functions:
 * learn.microsoft.com/windows-hardware/drivers/ddi/fwpmk/<page>; structures:
 * learn.microsoft.com/windows/win32/api/fwpmtypes/<page>; named per group);
 * nothing is copied from a Microsoft header. In kernel mode every function
 * returns NTSTATUS. Like the real header, this one needs <ntddk.h> (or
 * <wdm.h>) first, and it does not bring in the run-time (fwpsk.h) names.
 */
#ifndef WFPGEN_STUB_FWPMK_H
#define WFPGEN_STUB_FWPMK_H

#ifndef WFPGEN_STUB_WDM_H
#error "wfpgen stub: include <ntddk.h> or <wdm.h> before <fwpmk.h>"
#endif

#include <fwptypes.h>

#if (NTDDI_VERSION >= NTDDI_WIN6)

#include <fwpmk_layers.h>

/* ---- Authentication services for FwpmEngineOpen0: win32/rpc/authentication-service-constants */
#define RPC_C_AUTHN_NONE 0
#define RPC_C_AUTHN_WINNT 10
#define RPC_C_AUTHN_DEFAULT 0xFFFFFFFFL
typedef struct _SEC_WINNT_AUTH_IDENTITY_W SEC_WINNT_AUTH_IDENTITY_W;

/* ---- fwpmtypes/ns-fwpmtypes-fwpm_session0 */
#define FWPM_SESSION_FLAG_DYNAMIC 0x00000001
typedef struct FWPM_SESSION0_ {
    GUID sessionKey;
    FWPM_DISPLAY_DATA0 displayData;
    UINT32 flags;
    UINT32 txnWaitTimeoutInMSec;
    DWORD processId;
    SID *sid;
    wchar_t *username;
    BOOL kernelMode;
} FWPM_SESSION0;

/* ---- fwpmtypes/ns-fwpmtypes-fwpm_provider0 */
#define FWPM_PROVIDER_FLAG_PERSISTENT 0x00000001
#define FWPM_PROVIDER_FLAG_DISABLED 0x00000010
typedef struct FWPM_PROVIDER0_ {
    GUID providerKey;
    FWPM_DISPLAY_DATA0 displayData;
    UINT32 flags;
    FWP_BYTE_BLOB providerData;
    wchar_t *serviceName;
} FWPM_PROVIDER0;

/* ---- fwpmtypes/ns-fwpmtypes-fwpm_sublayer0 */
#define FWPM_SUBLAYER_FLAG_PERSISTENT 0x00000001
typedef struct FWPM_SUBLAYER0_ {
    GUID subLayerKey;
    FWPM_DISPLAY_DATA0 displayData;
    UINT32 flags;
    GUID *providerKey;
    FWP_BYTE_BLOB providerData;
    UINT16 weight;
} FWPM_SUBLAYER0;

/* ---- fwpmtypes/ns-fwpmtypes-fwpm_callout0 */
#define FWPM_CALLOUT_FLAG_PERSISTENT 0x00010000
#define FWPM_CALLOUT_FLAG_USES_PROVIDER_CONTEXT 0x00020000
#define FWPM_CALLOUT_FLAG_REGISTERED 0x00040000
typedef struct FWPM_CALLOUT0_ {
    GUID calloutKey;
    FWPM_DISPLAY_DATA0 displayData;
    UINT32 flags;
    GUID *providerKey;
    FWP_BYTE_BLOB providerData;
    GUID applicableLayer;
    UINT32 calloutId;
} FWPM_CALLOUT0;

/* ---- fwpmtypes/ns-fwpmtypes-fwpm_action0, ns-fwpmtypes-fwpm_filter_condition0,
 *      ns-fwpmtypes-fwpm_filter0 (FWPM_FILTER_FLAG_* from the same page) */
typedef struct FWPM_ACTION0_ {
    FWP_ACTION_TYPE type;
    union {
        GUID filterType;
        GUID calloutKey;
    };
} FWPM_ACTION0;

typedef struct FWPM_FILTER_CONDITION0_ {
    GUID fieldKey;
    FWP_MATCH_TYPE matchType;
    FWP_CONDITION_VALUE0 conditionValue;
} FWPM_FILTER_CONDITION0;

#define FWPM_FILTER_FLAG_NONE 0x00000000
#define FWPM_FILTER_FLAG_PERSISTENT 0x00000001
#define FWPM_FILTER_FLAG_BOOTTIME 0x00000002
#define FWPM_FILTER_FLAG_HAS_PROVIDER_CONTEXT 0x00000004
#define FWPM_FILTER_FLAG_CLEAR_ACTION_RIGHT 0x00000008
#define FWPM_FILTER_FLAG_PERMIT_IF_CALLOUT_UNREGISTERED 0x00000010
#define FWPM_FILTER_FLAG_DISABLED 0x00000020
#if (NTDDI_VERSION >= NTDDI_WIN7)
#define FWPM_FILTER_FLAG_INDEXED 0x00000040
#endif

typedef struct FWPM_FILTER0_ {
    GUID filterKey;
    FWPM_DISPLAY_DATA0 displayData;
    UINT32 flags;
    GUID *providerKey;
    FWP_BYTE_BLOB providerData;
    GUID layerKey;
    GUID subLayerKey;
    FWP_VALUE0 weight;
    UINT32 numFilterConditions;
    FWPM_FILTER_CONDITION0 *filterCondition;
    FWPM_ACTION0 action;
    union {
        UINT64 rawContext;
        GUID providerContextKey;
    };
    GUID *reserved;
    UINT64 filterId;
    FWP_VALUE0 effectiveWeight;
} FWPM_FILTER0;

/* ---- Sessions and transactions: ddi/fwpmk/nf-fwpmk-fwpmengineopen0,
 *      nf-fwpmk-fwpmengineclose0, nf-fwpmk-fwpmtransactionbegin0,
 *      nf-fwpmk-fwpmtransactioncommit0, nf-fwpmk-fwpmtransactionabort0 */
NTSTATUS NTAPI FwpmEngineOpen0(
    _In_opt_ const wchar_t *serverName,
    _In_ UINT32 authnService,
    _In_opt_ SEC_WINNT_AUTH_IDENTITY_W *authIdentity,
    _In_opt_ const FWPM_SESSION0 *session,
    _Out_ HANDLE *engineHandle);
NTSTATUS NTAPI FwpmEngineClose0(_Inout_ HANDLE engineHandle);
NTSTATUS NTAPI FwpmTransactionBegin0(_In_ HANDLE engineHandle, _In_ UINT32 flags);
NTSTATUS NTAPI FwpmTransactionCommit0(_In_ HANDLE engineHandle);
NTSTATUS NTAPI FwpmTransactionAbort0(_In_ HANDLE engineHandle);

/* ---- Objects: ddi/fwpmk/nf-fwpmk-fwpmprovideradd0, nf-fwpmk-fwpmsublayeradd0,
 *      nf-fwpmk-fwpmcalloutadd0, nf-fwpmk-fwpmfilteradd0 and the matching
 *      ...deletebykey0 / ...deletebyid0 pages */
NTSTATUS NTAPI FwpmProviderAdd0(
    _In_ HANDLE engineHandle, _In_ const FWPM_PROVIDER0 *provider,
    _In_opt_ PSECURITY_DESCRIPTOR sd);
NTSTATUS NTAPI FwpmProviderDeleteByKey0(_In_ HANDLE engineHandle, _In_ const GUID *key);

NTSTATUS NTAPI FwpmSubLayerAdd0(
    _In_ HANDLE engineHandle, _In_ const FWPM_SUBLAYER0 *subLayer,
    _In_opt_ PSECURITY_DESCRIPTOR sd);
NTSTATUS NTAPI FwpmSubLayerDeleteByKey0(_In_ HANDLE engineHandle, _In_ const GUID *key);

NTSTATUS NTAPI FwpmCalloutAdd0(
    _In_ HANDLE engineHandle, _In_ const FWPM_CALLOUT0 *callout,
    _In_opt_ PSECURITY_DESCRIPTOR sd, _Out_opt_ UINT32 *id);
NTSTATUS NTAPI FwpmCalloutDeleteById0(_In_ HANDLE engineHandle, _In_ UINT32 id);
NTSTATUS NTAPI FwpmCalloutDeleteByKey0(_In_ HANDLE engineHandle, _In_ const GUID *key);

NTSTATUS NTAPI FwpmFilterAdd0(
    _In_ HANDLE engineHandle, _In_ const FWPM_FILTER0 *filter,
    _In_opt_ PSECURITY_DESCRIPTOR sd, _Out_opt_ UINT64 *id);
NTSTATUS NTAPI FwpmFilterDeleteById0(_In_ HANDLE engineHandle, _In_ UINT64 id);
NTSTATUS NTAPI FwpmFilterDeleteByKey0(_In_ HANDLE engineHandle, _In_ const GUID *key);

/* ---- Enumeration: ddi/fwpmk/nf-fwpmk-fwpmfiltercreateenumhandle0,
 *      nf-fwpmk-fwpmfilterenum0, nf-fwpmk-fwpmfilterdestroyenumhandle0,
 *      nf-fwpmk-fwpmfreememory0. The template's members are left out: the
 *      code that uses these passes NULL (every filter). */
typedef struct FWPM_FILTER_ENUM_TEMPLATE0_ FWPM_FILTER_ENUM_TEMPLATE0;
NTSTATUS NTAPI FwpmFilterCreateEnumHandle0(
    _In_ HANDLE engineHandle, _In_opt_ const FWPM_FILTER_ENUM_TEMPLATE0 *enumTemplate,
    _Out_ HANDLE *enumHandle);
NTSTATUS NTAPI FwpmFilterEnum0(
    _In_ HANDLE engineHandle, _In_ HANDLE enumHandle, _In_ UINT32 numEntriesRequested,
    _Outptr_result_buffer_(*numEntriesReturned) FWPM_FILTER0 ***entries,
    _Out_ UINT32 *numEntriesReturned);
NTSTATUS NTAPI FwpmFilterDestroyEnumHandle0(_In_ HANDLE engineHandle, _Inout_ HANDLE enumHandle);
void NTAPI FwpmFreeMemory0(_Inout_ void **p);

/* ---- Base filtering engine state: ddi/fwpmk/nf-fwpmk-fwpmbfestateget0,
 *      nf-fwpmk-fwpmbfestatesubscribechanges0, nf-fwpmk-fwpmbfestateunsubscribechanges0,
 *      nc-fwpmk-fwpm_service_state_change_callback0, win32 fwpmtypes/ne-fwpmtypes-fwpm_service_state */
typedef enum FWPM_SERVICE_STATE_ {
    FWPM_SERVICE_STOPPED,
    FWPM_SERVICE_START_PENDING,
    FWPM_SERVICE_STOP_PENDING,
    FWPM_SERVICE_RUNNING,
    FWPM_SERVICE_STATE_MAX
} FWPM_SERVICE_STATE;

typedef void(NTAPI *FWPM_SERVICE_STATE_CHANGE_CALLBACK0)(
    _Inout_ void *context, _In_ FWPM_SERVICE_STATE newState);

FWPM_SERVICE_STATE NTAPI FwpmBfeStateGet0(void);
NTSTATUS NTAPI FwpmBfeStateSubscribeChanges0(
    _Inout_ void *deviceObject,
    _In_ FWPM_SERVICE_STATE_CHANGE_CALLBACK0 callback,
    _In_opt_ void *context,
    _Out_ HANDLE *changeHandle);
NTSTATUS NTAPI FwpmBfeStateUnsubscribeChanges0(_Inout_ HANDLE changeHandle);

/* ---- Version-independent names (wfp-facts.md 1.4): always version 0 */
#define FWPM_SESSION FWPM_SESSION0
#define FWPM_PROVIDER FWPM_PROVIDER0
#define FWPM_SUBLAYER FWPM_SUBLAYER0
#define FWPM_CALLOUT FWPM_CALLOUT0
#define FWPM_FILTER FWPM_FILTER0
#define FwpmEngineOpen FwpmEngineOpen0
#define FwpmEngineClose FwpmEngineClose0
#define FwpmTransactionBegin FwpmTransactionBegin0
#define FwpmTransactionCommit FwpmTransactionCommit0
#define FwpmTransactionAbort FwpmTransactionAbort0
#define FwpmProviderAdd FwpmProviderAdd0
#define FwpmSubLayerAdd FwpmSubLayerAdd0
#define FwpmCalloutAdd FwpmCalloutAdd0
#define FwpmFilterAdd FwpmFilterAdd0

#endif /* NTDDI_VERSION >= NTDDI_WIN6 */
#endif /* WFPGEN_STUB_FWPMK_H */
