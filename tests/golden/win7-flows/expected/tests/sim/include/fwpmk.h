//
// fwpmk.h - the management WFP API (sessions, transactions, providers,
// sublayers, callouts, filters, BFE state) as the simulation provides it
// (sim/engine.c). Members follow the fwpmtypes.h reference on Microsoft Learn.
//

#pragma once

#include <fwptypes.h>
#include <sim_layers.h>

#define RPC_C_AUTHN_WINNT 10
#define RPC_C_AUTHN_DEFAULT 0xFFFFFFFFL

typedef struct FWPM_DISPLAY_DATA0_ {
    wchar_t* name;
    wchar_t* description;
} FWPM_DISPLAY_DATA0;

#define FWPM_SESSION_FLAG_DYNAMIC 0x00000001

typedef struct FWPM_SESSION0_ {
    GUID sessionKey;
    FWPM_DISPLAY_DATA0 displayData;
    UINT32 flags;
    UINT32 txnWaitTimeoutInMSec;
} FWPM_SESSION0;

typedef struct FWPM_PROVIDER0_ {
    GUID providerKey;
    FWPM_DISPLAY_DATA0 displayData;
    UINT32 flags;
    wchar_t* serviceName;
} FWPM_PROVIDER0;

typedef struct FWPM_SUBLAYER0_ {
    GUID subLayerKey;
    FWPM_DISPLAY_DATA0 displayData;
    UINT32 flags;
    GUID* providerKey;
    UINT16 weight;
} FWPM_SUBLAYER0;

typedef struct FWPM_CALLOUT0_ {
    GUID calloutKey;
    FWPM_DISPLAY_DATA0 displayData;
    UINT32 flags;
    GUID* providerKey;
    GUID applicableLayer;
    UINT32 calloutId;
} FWPM_CALLOUT0;

typedef struct FWPM_ACTION0_ {
    FWP_ACTION_TYPE type;
    union {
        GUID filterType;
        GUID calloutKey;
    };
} FWPM_ACTION0;

typedef struct FWPM_FILTER_CONDITION0_ FWPM_FILTER_CONDITION0;

#define FWPM_FILTER_FLAG_NONE 0x00000000
#define FWPM_FILTER_FLAG_PERSISTENT 0x00000001
#define FWPM_FILTER_FLAG_BOOTTIME 0x00000002
#define FWPM_FILTER_FLAG_HAS_PROVIDER_CONTEXT 0x00000004
#define FWPM_FILTER_FLAG_CLEAR_ACTION_RIGHT 0x00000008
#define FWPM_FILTER_FLAG_PERMIT_IF_CALLOUT_UNREGISTERED 0x00000010

typedef struct FWPM_FILTER0_ {
    GUID filterKey;
    FWPM_DISPLAY_DATA0 displayData;
    UINT32 flags;
    GUID* providerKey;
    GUID layerKey;
    GUID subLayerKey;
    FWP_VALUE0 weight;
    UINT32 numFilterConditions;
    FWPM_FILTER_CONDITION0* filterCondition;
    FWPM_ACTION0 action;
    union {
        UINT64 rawContext;
        GUID providerContextKey;
    };
    UINT64 filterId;
} FWPM_FILTER0;

EXTERN_C NTSTATUS FwpmEngineOpen0(const wchar_t* serverName, UINT32 authnService, void* authIdentity,
                                  const FWPM_SESSION0* session, HANDLE* engineHandle);
EXTERN_C NTSTATUS FwpmEngineClose0(HANDLE engineHandle);
EXTERN_C NTSTATUS FwpmTransactionBegin0(HANDLE engineHandle, UINT32 flags);
EXTERN_C NTSTATUS FwpmTransactionCommit0(HANDLE engineHandle);
EXTERN_C NTSTATUS FwpmTransactionAbort0(HANDLE engineHandle);
EXTERN_C NTSTATUS FwpmProviderAdd0(HANDLE engineHandle, const FWPM_PROVIDER0* provider, void* sd);
EXTERN_C NTSTATUS FwpmSubLayerAdd0(HANDLE engineHandle, const FWPM_SUBLAYER0* subLayer, void* sd);
EXTERN_C NTSTATUS FwpmCalloutAdd0(HANDLE engineHandle, const FWPM_CALLOUT0* callout, void* sd, UINT32* id);
EXTERN_C NTSTATUS FwpmFilterAdd0(HANDLE engineHandle, const FWPM_FILTER0* filter, void* sd, UINT64* id);
EXTERN_C NTSTATUS FwpmFilterDeleteById0(HANDLE engineHandle, UINT64 id);

//
// Base Filtering Engine state: a driver that may load before BFE subscribes
// and adds its objects once BFE runs.
//
typedef enum FWPM_SERVICE_STATE_ {
    FWPM_SERVICE_STOPPED,
    FWPM_SERVICE_START_PENDING,
    FWPM_SERVICE_STOP_PENDING,
    FWPM_SERVICE_RUNNING,
    FWPM_SERVICE_STATE_MAX
} FWPM_SERVICE_STATE;

typedef void(CALLBACK* FWPM_SERVICE_STATE_CHANGE_CALLBACK0)(void* context, FWPM_SERVICE_STATE newState);

EXTERN_C FWPM_SERVICE_STATE FwpmBfeStateGet0(void);
EXTERN_C NTSTATUS FwpmBfeStateSubscribeChanges0(void* deviceObject, FWPM_SERVICE_STATE_CHANGE_CALLBACK0 callback,
                                                void* context, HANDLE* changeHandle);
EXTERN_C NTSTATUS FwpmBfeStateUnsubscribeChanges0(HANDLE changeHandle);
