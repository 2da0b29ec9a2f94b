//
// fwpsk.h - the run-time WFP API (callout registration, classification,
// flows, redirection) as the simulation provides it. Structure members keep
// the names and meanings of the fwpsk.h reference on Microsoft Learn; members
// the simulation never fills are left out, so code that reads them does not
// compile here until you add them.
//

#pragma once

#include <fwptypes.h>
#include <sim_layers.h>

//
// NDIS packets are opaque to the simulation.
//
typedef struct _NET_BUFFER_LIST NET_BUFFER_LIST, *PNET_BUFFER_LIST;

typedef struct FWPS_INCOMING_VALUE0_ {
    FWP_VALUE0 value;
} FWPS_INCOMING_VALUE0;

typedef struct FWPS_INCOMING_VALUES0_ {
    UINT16 layerId;
    UINT32 valueCount;
    FWPS_INCOMING_VALUE0* incomingValue;
} FWPS_INCOMING_VALUES0;

#define FWPS_METADATA_FIELD_FLOW_HANDLE 0x00000002
#define FWPS_METADATA_FIELD_IP_HEADER_SIZE 0x00000004
#define FWPS_METADATA_FIELD_PROCESS_PATH 0x00000008
#define FWPS_METADATA_FIELD_PROCESS_ID 0x00000020
#define FWPS_METADATA_FIELD_COMPARTMENT_ID 0x00000800
#define FWPS_METADATA_FIELD_PACKET_DIRECTION 0x00040000
#define FWPS_METADATA_FIELD_ALE_CLASSIFY_REQUIRED 0x00400000
#define FWPS_METADATA_FIELD_REDIRECT_RECORD_HANDLE 0x40000000

#define FWPS_IS_METADATA_FIELD_PRESENT(metadataValues, metadataField) \
    (((metadataValues)->currentMetadataValues & (metadataField)) == (metadataField))

typedef struct FWPS_INCOMING_METADATA_VALUES0_ {
    UINT32 currentMetadataValues;
    UINT32 flags;
    UINT64 flowHandle;
    UINT32 ipHeaderSize;
    FWP_BYTE_BLOB* processPath;
    UINT64 processId;
    UINT32 compartmentId;
    FWP_DIRECTION packetDirection;
    HANDLE redirectRecords;
} FWPS_INCOMING_METADATA_VALUES0;

typedef struct FWPS_ACTION0_ {
    FWP_ACTION_TYPE type;
    UINT32 calloutId;
} FWPS_ACTION0;

#define FWPS_FILTER_FLAG_CLEAR_ACTION_RIGHT 0x00000001
#define FWPS_FILTER_FLAG_PERMIT_IF_CALLOUT_UNREGISTERED 0x00000002

//
// One layout serves every version of the filter structure: the driver reads
// only the members all versions share.
//
typedef struct SIM_FILTER {
    UINT64 filterId;
    FWP_VALUE0 weight;
    UINT16 subLayerWeight;
    UINT16 flags;
    FWPS_ACTION0 action;
    UINT64 context;
} FWPS_FILTER0, FWPS_FILTER1, FWPS_FILTER2, FWPS_FILTER3;

typedef struct FWPS_CLASSIFY_OUT0_ {
    FWP_ACTION_TYPE actionType;
    UINT64 outContext;
    UINT64 filterId;
    UINT32 rights;
    UINT32 flags;
    UINT32 reserved;
} FWPS_CLASSIFY_OUT0;

#define FWPS_RIGHT_ACTION_WRITE 0x00000001
#define FWPS_CLASSIFY_OUT_FLAG_ABSORB 0x00000001
#define FWPS_CLASSIFY_OUT_FLAG_BUFFER_LIMIT_REACHED 0x00000002
#define FWPS_CLASSIFY_OUT_FLAG_NO_MORE_DATA 0x00000004

//
// Stream layers: layerData is an FWPS_STREAM_CALLOUT_IO_PACKET0.
//
#define FWPS_STREAM_FLAG_RECEIVE 0x00000001
#define FWPS_STREAM_FLAG_SEND 0x00000002

typedef struct FWPS_STREAM_DATA0_ {
    UINT32 flags;
    SIZE_T dataLength;
    NET_BUFFER_LIST* netBufferListChain;
} FWPS_STREAM_DATA0;

typedef enum FWPS_STREAM_ACTION_TYPE_ {
    FWPS_STREAM_ACTION_NONE,
    FWPS_STREAM_ACTION_ALLOW_CONNECTION,
    FWPS_STREAM_ACTION_NEED_MORE_DATA,
    FWPS_STREAM_ACTION_DROP_CONNECTION,
    FWPS_STREAM_ACTION_DEFER,
} FWPS_STREAM_ACTION_TYPE;

typedef struct FWPS_STREAM_CALLOUT_IO_PACKET0_ {
    FWPS_STREAM_DATA0* streamData;
    SIZE_T missedBytes;
    UINT32 countBytesRequired;
    SIZE_T countBytesEnforced;
    FWPS_STREAM_ACTION_TYPE streamAction;
} FWPS_STREAM_CALLOUT_IO_PACKET0;

//
// ALE redirect layers: layerData is a connect or bind request.
//
typedef struct SIM_SOCKADDR_STORAGE {
    USHORT ss_family;
    UCHAR data[126];
} SOCKADDR_STORAGE;

typedef struct _FWPS_CONNECT_REQUEST0 {
    SOCKADDR_STORAGE localAddressAndPort;
    SOCKADDR_STORAGE remoteAddressAndPort;
    UINT64 portReservationToken;
    DWORD localRedirectTargetPID;
    struct _FWPS_CONNECT_REQUEST0* previousVersion;
    UINT64 modifierFilterId;
    HANDLE localRedirectHandle;
    void* localRedirectContext;
    SIZE_T localRedirectContextSize;
} FWPS_CONNECT_REQUEST0;

typedef struct _FWPS_BIND_REQUEST0 {
    SOCKADDR_STORAGE localAddressAndPort;
    UINT64 portReservationToken;
    struct _FWPS_BIND_REQUEST0* previousVersion;
    UINT64 modifierFilterId;
} FWPS_BIND_REQUEST0;

//
// Callout functions and registration. Version 0 has no classifyContext.
//
typedef enum FWPS_CALLOUT_NOTIFY_TYPE_ {
    FWPS_CALLOUT_NOTIFY_ADD_FILTER,
    FWPS_CALLOUT_NOTIFY_DELETE_FILTER,
    FWPS_CALLOUT_NOTIFY_ADD_FILTER_POST_COMMIT,
    FWPS_CALLOUT_NOTIFY_TYPE_MAX
} FWPS_CALLOUT_NOTIFY_TYPE;

typedef void(NTAPI* FWPS_CALLOUT_CLASSIFY_FN0)(const FWPS_INCOMING_VALUES0* inFixedValues,
                                                const FWPS_INCOMING_METADATA_VALUES0* inMetaValues,
                                                void* layerData, const FWPS_FILTER0* filter,
                                                UINT64 flowContext, FWPS_CLASSIFY_OUT0* classifyOut);
typedef void(NTAPI* FWPS_CALLOUT_CLASSIFY_FN1)(const FWPS_INCOMING_VALUES0* inFixedValues,
                                                const FWPS_INCOMING_METADATA_VALUES0* inMetaValues,
                                                void* layerData, const void* classifyContext,
                                                const FWPS_FILTER1* filter, UINT64 flowContext,
                                                FWPS_CLASSIFY_OUT0* classifyOut);
typedef FWPS_CALLOUT_CLASSIFY_FN1 FWPS_CALLOUT_CLASSIFY_FN2;
typedef FWPS_CALLOUT_CLASSIFY_FN1 FWPS_CALLOUT_CLASSIFY_FN3;

typedef NTSTATUS(NTAPI* FWPS_CALLOUT_NOTIFY_FN0)(FWPS_CALLOUT_NOTIFY_TYPE notifyType,
                                                  const GUID* filterKey, FWPS_FILTER0* filter);
typedef FWPS_CALLOUT_NOTIFY_FN0 FWPS_CALLOUT_NOTIFY_FN1;
typedef FWPS_CALLOUT_NOTIFY_FN0 FWPS_CALLOUT_NOTIFY_FN2;
typedef FWPS_CALLOUT_NOTIFY_FN0 FWPS_CALLOUT_NOTIFY_FN3;

typedef void(NTAPI* FWPS_CALLOUT_FLOW_DELETE_NOTIFY_FN0)(UINT16 layerId, UINT32 calloutId,
                                                          UINT64 flowContext);

#define FWP_CALLOUT_FLAG_CONDITIONAL_ON_FLOW 0x00000001
#define FWP_CALLOUT_FLAG_ALLOW_OFFLOAD 0x00000002
#define FWP_CALLOUT_FLAG_ENABLE_COMMIT_ADD_NOTIFY 0x00000004
#define FWP_CALLOUT_FLAG_ALLOW_MID_STREAM_INSPECTION 0x00000008
#define FWP_CALLOUT_FLAG_ALLOW_RECLASSIFY 0x00000010
#define FWP_CALLOUT_FLAG_RESERVED1 0x00000020
#define FWP_CALLOUT_FLAG_ALLOW_RSC 0x00000040
#define FWP_CALLOUT_FLAG_ALLOW_L2_BATCH_CLASSIFY 0x00000080
#define FWP_CALLOUT_FLAG_ALLOW_USO 0x00000100
#define FWP_CALLOUT_FLAG_ALLOW_URO 0x00000200

typedef struct FWPS_CALLOUT0_ {
    GUID calloutKey;
    UINT32 flags;
    FWPS_CALLOUT_CLASSIFY_FN0 classifyFn;
    FWPS_CALLOUT_NOTIFY_FN0 notifyFn;
    FWPS_CALLOUT_FLOW_DELETE_NOTIFY_FN0 flowDeleteFn;
} FWPS_CALLOUT0;

typedef struct FWPS_CALLOUT1_ {
    GUID calloutKey;
    UINT32 flags;
    FWPS_CALLOUT_CLASSIFY_FN1 classifyFn;
    FWPS_CALLOUT_NOTIFY_FN1 notifyFn;
    FWPS_CALLOUT_FLOW_DELETE_NOTIFY_FN0 flowDeleteFn;
} FWPS_CALLOUT1, FWPS_CALLOUT2, FWPS_CALLOUT3;

EXTERN_C NTSTATUS NTAPI FwpsCalloutRegister0(void* deviceObject, const FWPS_CALLOUT0* callout, UINT32* calloutId);
EXTERN_C NTSTATUS NTAPI FwpsCalloutRegister1(void* deviceObject, const FWPS_CALLOUT1* callout, UINT32* calloutId);
EXTERN_C NTSTATUS NTAPI FwpsCalloutRegister2(void* deviceObject, const FWPS_CALLOUT2* callout, UINT32* calloutId);
EXTERN_C NTSTATUS NTAPI FwpsCalloutRegister3(void* deviceObject, const FWPS_CALLOUT3* callout, UINT32* calloutId);
EXTERN_C NTSTATUS NTAPI FwpsCalloutUnregisterById0(const UINT32 calloutId);
EXTERN_C NTSTATUS NTAPI FwpsCalloutUnregisterByKey0(const GUID* calloutKey);

EXTERN_C NTSTATUS NTAPI FwpsFlowAssociateContext0(UINT64 flowId, UINT16 layerId, UINT32 calloutId, UINT64 flowContext);
EXTERN_C NTSTATUS NTAPI FwpsFlowRemoveContext0(UINT64 flowId, UINT16 layerId, UINT32 calloutId);

//
// Classify handles and writable layer data (connect and bind redirection).
//
EXTERN_C NTSTATUS NTAPI FwpsAcquireClassifyHandle0(void* classifyContext, UINT32 reserved, UINT64* classifyHandle);
EXTERN_C void NTAPI FwpsReleaseClassifyHandle0(UINT64 classifyHandle);
EXTERN_C NTSTATUS NTAPI FwpsAcquireWritableLayerDataPointer0(UINT64 classifyHandle, UINT64 filterId, UINT32 flags,
                                                             PVOID* writableLayerData,
                                                             FWPS_CLASSIFY_OUT0* classifyOut);
EXTERN_C void NTAPI FwpsApplyModifiedLayerData0(UINT64 classifyHandle, PVOID modifiedLayerData, UINT32 flags);

typedef enum FWPS_CONNECTION_REDIRECT_STATE_ {
    FWPS_CONNECTION_NOT_REDIRECTED,
    FWPS_CONNECTION_REDIRECTED_BY_SELF,
    FWPS_CONNECTION_REDIRECTED_BY_OTHER,
    FWPS_CONNECTION_PREVIOUSLY_REDIRECTED_BY_SELF,
    FWPS_CONNECTION_REDIRECT_STATE_MAX
} FWPS_CONNECTION_REDIRECT_STATE;

//
// The test seam: classify.c calls this where the driver's own filtering
// logic goes, so a scenario can play that logic's decision (SIM_TRAFFIC's
// logic* members). The WDK's headers never define SIM_USER_LOGIC_HOOK.
//
#define SIM_USER_LOGIC_HOOK 1
EXTERN_C void SimUserLogic(FWP_ACTION_TYPE* verdict, FWPS_STREAM_CALLOUT_IO_PACKET0* streamPacket, BOOLEAN* redirect);

EXTERN_C NTSTATUS NTAPI FwpsRedirectHandleCreate0(const GUID* providerGuid, UINT32 flags, HANDLE* redirectHandle);
EXTERN_C void NTAPI FwpsRedirectHandleDestroy0(HANDLE redirectHandle);
EXTERN_C FWPS_CONNECTION_REDIRECT_STATE NTAPI FwpsQueryConnectionRedirectState0(HANDLE redirectRecords,
                                                                                HANDLE redirectHandle,
                                                                                void** redirectContext);
